# ruff: noqa: F811 (the stage's fixtures are imported from sessions_support)
"""Sessions' services: scheduling and recording sessions, the one extension, the outcome (every
refusal the issue names), judicial confirmation within 30 days, follow-up and closing, the sealed
texts read with a reason."""

from __future__ import annotations

import datetime as dt

import pytest

from linli.core.actor import Actor
from linli.core.crypto import unseal
from linli.core.errors import DomainError
from linli.core.models import AuditEntry
from linli.mediation.domain.disputes import DisputeState, SessionState
from linli.mediation.models import Dispute, DisputeFollowUp, DisputeStep, MediationAgreement, MediationSession
from linli.mediation.services import sessions as svc
from linli.mediation.tests.sessions_support import (  # noqa: F401 (fixtures)
    FACTS,
    NOW,
    SHUIYUANDI,
    TERMS,
    TODAY,
    add_dispute,
    add_held_session,
    clock,
    party_ids,
    world,
)

pytestmark = pytest.mark.django_db


def refused(call, **kw) -> DomainError:
    with pytest.raises(DomainError) as error:
        call(**kw)
    return error.value


def fields(error: DomainError) -> list[str]:
    return [f.field for f in error.fields]


# ---- sessions -------------------------------------------------------------------------------------


def test_the_mediator_schedules_and_records_a_session_with_sealed_minutes(world):
    actor = world.actors["mediator"]
    session = svc.session_schedule(
        actor=actor, dispute=world.dispute, starts_at=NOW + dt.timedelta(hours=2), place="水源地社区调解室"
    )
    assert session.state == SessionState.SCHEDULED and session.mediator_name == "王调解"
    recorded = svc.session_record(
        actor=actor, session=session, attended_party_ids=party_ids(world.dispute), minutes="双方同意再谈"
    )
    assert recorded.state == SessionState.HELD
    assert recorded.attended == sorted(party_ids(world.dispute))
    assert "双方同意再谈" not in recorded.minutes_sealed
    assert unseal(recorded.minutes_sealed, context="mediation.minutes") == "双方同意再谈"
    assert list(DisputeStep.objects.filter(dispute=world.dispute).values_list("action", flat=True)) == [
        "session_schedule",
        "session_record",
    ]
    assert AuditEntry.objects.filter(action="mediation.session_record").count() == 1


def test_intake_staff_of_the_area_enter_a_paper_record_a_day_late(world):
    session = svc.session_schedule(
        actor=world.actors["community_worker"],
        dispute=world.dispute,
        starts_at=NOW - dt.timedelta(hours=20),
        place="居委会会议室",
    )
    assert session.state == SessionState.SCHEDULED


def test_a_session_more_than_a_day_past_or_without_place_is_refused(world):
    error = refused(
        svc.session_schedule,
        actor=world.actors["mediator"],
        dispute=world.dispute,
        starts_at=NOW - dt.timedelta(days=2),
        place="",
    )
    assert fields(error) == ["starts_at", "place"]
    assert MediationSession.objects.count() == 0


def test_a_session_of_a_dispute_not_in_mediation_is_refused(world):
    Dispute.objects.filter(pk=world.dispute.pk).update(state=DisputeState.ACCEPTED)
    error = refused(
        svc.session_schedule, actor=world.actors["mediator"], dispute=world.dispute, starts_at=NOW, place="调解室"
    )
    assert error.code == "conflict"
    assert MediationSession.objects.count() == 0


@pytest.mark.parametrize(
    ("who", "status"),
    [("other_mediator", 404), ("other_community_worker", 404), ("resident", 404), ("anonymous", 404), ("police", 404)],
)
def test_others_cannot_schedule(world, who, status):
    error = refused(svc.session_schedule, actor=world.actors[who], dispute=world.dispute, starts_at=NOW, place="调解室")
    assert error.status == status
    assert MediationSession.objects.count() == 0


def test_the_street_officer_holds_intake_over_the_street(world):
    session = svc.session_schedule(
        actor=world.actors["street_officer"], dispute=world.dispute, starts_at=NOW, place="街道调解室"
    )
    assert session.place == "街道调解室"


def test_a_record_needs_minutes_and_a_party_present(world):
    session = svc.session_schedule(actor=world.actors["mediator"], dispute=world.dispute, starts_at=NOW, place="调解室")
    error = refused(
        svc.session_record, actor=world.actors["mediator"], session=session, attended_party_ids=[], minutes="  "
    )
    assert fields(error) == ["minutes", "attended"]
    stranger = party_ids(world.other)[0]
    error = refused(
        svc.session_record, actor=world.actors["mediator"], session=session, attended_party_ids=[stranger], minutes="谈"
    )
    assert fields(error) == ["attended"]
    session.refresh_from_db()
    assert session.state == SessionState.SCHEDULED and session.minutes_sealed == ""


def test_a_future_session_cannot_be_recorded_and_a_cancelled_one_not_at_all(world):
    actor = world.actors["mediator"]
    later = svc.session_schedule(
        actor=actor, dispute=world.dispute, starts_at=NOW + dt.timedelta(days=2), place="调解室"
    )
    error = refused(
        svc.session_record, actor=actor, session=later, attended_party_ids=party_ids(world.dispute), minutes="谈"
    )
    assert fields(error) == ["minutes"]
    assert refused(svc.session_cancel, actor=actor, session=later, reason="").fields[0].field == "reason"
    svc.session_cancel(actor=actor, session=later, reason="当事人出差")
    later.refresh_from_db()
    assert later.state == SessionState.CANCELLED
    error = refused(svc.session_cancel, actor=actor, session=later, reason="当事人出差")
    assert error.code == "conflict"
    assert AuditEntry.objects.get(action="mediation.session_cancel").reason == "当事人出差"


# ---- the time limit -----------------------------------------------------------------------------


def test_the_time_limit_is_extended_once_with_every_partys_consent(world):
    actor = world.actors["mediator"]
    before = world.dispute.due_on
    dispute = svc.dispute_extend(actor=actor, dispute=world.dispute, days=15, reason="双方同意延长继续调解")
    assert dispute.extended and dispute.due_on >= before + dt.timedelta(days=15)
    assert dispute.due_on <= before + dt.timedelta(days=15 + 10)  # moved at most past a holiday
    error = refused(svc.dispute_extend, actor=actor, dispute=world.dispute, days=5, reason="再延长一次")
    assert error.code == "conflict"


def test_an_extension_is_refused_without_consent_or_beyond_the_maximum(world):
    actor = world.actors["mediator"]
    error = refused(svc.dispute_extend, actor=actor, dispute=world.dispute, days=31, reason="", parties_agree=False)
    assert fields(error) == ["days", "parties_agree", "reason"]
    world.dispute.parties.filter(side="respondent").update(consent="pending")
    error = refused(svc.dispute_extend, actor=actor, dispute=world.dispute, days=10, reason="继续调解")
    assert fields(error) == ["parties_agree"]
    world.dispute.refresh_from_db()
    assert not world.dispute.extended


# ---- the outcome ---------------------------------------------------------------------------------


def test_a_written_agreement_after_a_session_agrees_the_dispute(world):
    add_held_session(world.dispute)
    agreement = svc.agreement_record(
        actor=world.actors["mediator"],
        dispute=world.dispute,
        kind="written",
        terms=TERMS,
        signed_on=TODAY,
        perform_by=TODAY + dt.timedelta(days=10),
    )
    world.dispute.refresh_from_db()
    assert world.dispute.state == DisputeState.AGREED
    assert world.dispute.outcome == "written" and world.dispute.ended_on == TODAY
    assert unseal(agreement.terms_sealed, context="mediation.terms") == TERMS
    assert DisputeStep.objects.filter(dispute=world.dispute, action="agree", to_state="agreed").count() == 1


@pytest.mark.parametrize("terms", ["", "   \n  "])
def test_an_agreement_with_no_terms_is_refused(world, terms):
    add_held_session(world.dispute)
    error = refused(
        svc.agreement_record,
        actor=world.actors["mediator"],
        dispute=world.dispute,
        kind="oral",
        terms=terms,
        signed_on=TODAY,
    )
    assert fields(error) == ["terms"]
    assert MediationAgreement.objects.count() == 0
    world.dispute.refresh_from_db()
    assert world.dispute.state == DisputeState.MEDIATING


def test_an_agreement_with_no_session_held_is_refused(world):
    error = refused(
        svc.agreement_record,
        actor=world.actors["mediator"],
        dispute=world.dispute,
        kind="oral",
        terms=TERMS,
        signed_on=TODAY,
    )
    assert error.code == "conflict"
    assert MediationAgreement.objects.count() == 0


def test_an_agreement_dated_in_the_future_or_performed_before_it_is_refused(world):
    add_held_session(world.dispute)
    error = refused(
        svc.agreement_record,
        actor=world.actors["mediator"],
        dispute=world.dispute,
        kind="spoken",
        terms=TERMS,
        signed_on=TODAY + dt.timedelta(days=1),
        perform_by=TODAY,
    )
    assert fields(error) == ["kind", "signed_on", "perform_by"]


def test_failure_names_the_route_onward(world):
    actor = world.actors["mediator"]
    assert fields(refused(svc.dispute_fail, actor=actor, dispute=world.dispute, onward_route="x", reason="")) == [
        "onward_route",
        "reason",
    ]
    dispute = svc.dispute_fail(actor=actor, dispute=world.dispute, onward_route="litigation", reason="双方分歧过大")
    assert (dispute.state, dispute.outcome, dispute.onward_route) == ("failed", "failed", "litigation")
    assert AuditEntry.objects.get(action="mediation.dispute_fail").reason == "双方分歧过大"
    error = refused(svc.dispute_fail, actor=actor, dispute=world.dispute, onward_route="litigation", reason="再次失败")
    assert error.code == "conflict"


def test_another_mediator_cannot_record_an_outcome(world):
    add_held_session(world.dispute)
    error = refused(
        svc.agreement_record,
        actor=world.actors["other_mediator"],
        dispute=world.dispute,
        kind="oral",
        terms=TERMS,
        signed_on=TODAY,
    )
    assert error.status == 404
    assert MediationAgreement.objects.count() == 0


# ---- judicial confirmation -----------------------------------------------------------------------


def agreed(world, kind: str = "written", days_ago: int = 5) -> MediationAgreement:
    Dispute.objects.filter(pk=world.dispute.pk).update(accepted_on=TODAY - dt.timedelta(days=days_ago + 5))
    add_held_session(world.dispute, days_ago=days_ago + 1)
    return svc.agreement_record(
        actor=world.actors["mediator"],
        dispute=world.dispute,
        kind=kind,
        terms=TERMS,
        signed_on=TODAY - dt.timedelta(days=days_ago),
        perform_by=TODAY - dt.timedelta(days=1),
    )


def test_confirmation_within_thirty_days_then_the_courts_ruling(world):
    agreed(world)
    actor = world.actors["mediator"]
    agreement = svc.confirmation_record(actor=actor, dispute=world.dispute, applied_on=TODAY, court="和平区人民法院")
    assert agreement.confirmation_result == "pending"
    error = refused(
        svc.confirmation_record, actor=actor, dispute=world.dispute, applied_on=TODAY, court="和平区人民法院"
    )
    assert error.code == "conflict"
    error = refused(
        svc.confirmation_result,
        actor=actor,
        dispute=world.dispute,
        result="confirmed",
        decided_on=TODAY + dt.timedelta(days=1),
    )
    assert fields(error) == ["decided_on"]
    agreement = svc.confirmation_result(actor=actor, dispute=world.dispute, result="confirmed", decided_on=TODAY)
    assert (agreement.confirmation_result, agreement.confirmation_decided_on) == ("confirmed", TODAY)


def test_confirmation_after_thirty_days_is_refused(world):
    agreed(world, days_ago=31)
    error = refused(
        svc.confirmation_record, actor=world.actors["mediator"], dispute=world.dispute, applied_on=TODAY, court="法院"
    )
    assert fields(error) == ["applied_on"]
    assert MediationAgreement.objects.get().confirmation_result == ""


def test_confirmation_in_the_future_or_of_an_oral_agreement_is_refused(world):
    agreed(world, kind="oral")
    actor = world.actors["mediator"]
    error = refused(
        svc.confirmation_record,
        actor=actor,
        dispute=world.dispute,
        applied_on=TODAY + dt.timedelta(days=1),
        court="法院",
    )
    assert fields(error) == ["applied_on"]
    error = refused(svc.confirmation_record, actor=actor, dispute=world.dispute, applied_on=TODAY, court="法院")
    assert error.code == "conflict"
    assert MediationAgreement.objects.get().confirmation_result == ""


# ---- follow-up and closing -----------------------------------------------------------------------


def test_a_full_performance_found_at_follow_up_lets_the_dispute_close(world):
    agreed(world)
    actor = world.actors["mediator"]
    svc.follow_up_record(actor=actor, dispute=world.dispute, on=TODAY, performance="full", note="已赔偿五百元")
    assert unseal(DisputeFollowUp.objects.get().note_sealed, context="mediation.follow_up") == "已赔偿五百元"
    dispute = svc.dispute_close(actor=actor, dispute=world.dispute)
    assert dispute.state == DisputeState.CLOSED
    assert DisputeStep.objects.filter(dispute=world.dispute, action="close").count() == 1


def test_closing_without_full_performance_needs_a_reason(world):
    agreed(world)
    actor = world.actors["mediator"]
    svc.follow_up_record(actor=actor, dispute=world.dispute, on=TODAY, performance="partial")
    error = refused(svc.dispute_close, actor=actor, dispute=world.dispute)
    assert fields(error) == ["reason"]
    world.dispute.refresh_from_db()
    assert world.dispute.state == DisputeState.AGREED
    dispute = svc.dispute_close(actor=actor, dispute=world.dispute, reason="剩余款项双方自行结清")
    assert dispute.state == DisputeState.CLOSED


def test_a_follow_up_before_the_agreement_or_in_the_future_is_refused(world):
    agreed(world)
    actor = world.actors["mediator"]
    error = refused(
        svc.follow_up_record, actor=actor, dispute=world.dispute, on=TODAY - dt.timedelta(days=30), performance="full"
    )
    assert fields(error) == ["on"]
    error = refused(
        svc.follow_up_record, actor=actor, dispute=world.dispute, on=TODAY + dt.timedelta(days=1), performance="bad"
    )
    assert fields(error) == ["on", "performance"]
    assert DisputeFollowUp.objects.count() == 0


def test_a_follow_up_of_a_dispute_in_mediation_is_refused(world):
    error = refused(
        svc.follow_up_record, actor=world.actors["mediator"], dispute=world.dispute, on=TODAY, performance="full"
    )
    assert error.code == "conflict"


# ---- sealed texts --------------------------------------------------------------------------------


def test_minutes_are_read_with_a_reason_and_audited(world):
    session = add_held_session(world.dispute)
    worker = world.actors["community_worker"]
    assert fields(refused(svc.session_minutes_read, actor=worker, session=session, reason="")) == ["reason"]
    assert svc.session_minutes_read(actor=worker, session=session, reason="核对调解过程") == "双方陈述了各自意见"
    entry = AuditEntry.objects.get(action="mediation.dispute_read")
    assert (entry.reason, entry.details) == ("核对调解过程", {"what": "minutes"})
    error = refused(
        svc.session_minutes_read, actor=world.actors["other_community_worker"], session=session, reason="查看"
    )
    assert error.status == 404


def test_the_agreement_paper_masks_id_numbers_unless_revealed(world):
    agreed(world)
    paper = svc.agreement_paper(actor=world.actors["mediator"], dispute=world.dispute)
    assert paper.committee == "水源地社区人民调解委员会"
    assert [(p.name, p.id_number) for p in paper.parties] == [
        ("张伟", "210102********1234"),
        ("李强", "210102********456X"),
    ]
    assert paper.facts == FACTS and paper.terms == TERMS
    revealed = svc.agreement_paper(actor=world.actors["mediator"], dispute=world.dispute, reveal_reason="双方签字需要")
    assert revealed.parties[0].id_number == "210102198001011234"
    assert list(
        AuditEntry.objects.filter(action="mediation.agreement_print").order_by("pk").values_list("reason", flat=True)
    ) == [
        "",
        "双方签字需要",
    ]


def test_the_agreement_paper_is_not_for_a_reader_who_does_not_handle_it(world):
    agreed(world)
    error = refused(svc.agreement_paper, actor=world.actors["other_mediator"], dispute=world.dispute)
    assert error.status == 404
    assert not AuditEntry.objects.filter(action="mediation.agreement_print").exists()


def test_a_mediator_cannot_act_on_a_dispute_not_assigned_to_them(world):
    other = add_dispute(SHUIYUANDI, None)
    error = refused(svc.session_schedule, actor=world.actors["mediator"], dispute=other, starts_at=NOW, place="调解室")
    assert error.status == 404


def test_a_session_held_on_the_spot_is_recorded_at_once(world):
    actor = world.actors["mediator"]
    held = NOW - dt.timedelta(days=5)
    session = svc.session_held_record(
        actor=actor,
        dispute=world.dispute,
        held_at=held,
        place="楼道现场",
        attended_party_ids=party_ids(world.dispute),
        minutes="现场调解",
    )
    assert (session.state, session.starts_at) == (SessionState.HELD, held)
    error = refused(
        svc.session_held_record,
        actor=actor,
        dispute=world.dispute,
        held_at=NOW + dt.timedelta(hours=1),
        place="",
        attended_party_ids=[],
        minutes="",
    )
    assert fields(error) == ["held_at", "place", "minutes", "attended"]
    error = refused(
        svc.session_held_record,
        actor=actor,
        dispute=world.dispute,
        held_at=NOW - dt.timedelta(days=20),
        place="楼道",
        attended_party_ids=party_ids(world.dispute),
        minutes="现场调解",
    )
    assert fields(error) == ["held_at"]  # before the dispute was accepted
    assert MediationSession.objects.count() == 1


def test_a_failure_entered_late_keeps_its_day(world):
    day = TODAY - dt.timedelta(days=3)
    dispute = svc.dispute_fail(
        actor=world.actors["mediator"], dispute=world.dispute, onward_route="arbitration", reason="双方分歧过大", on=day
    )
    assert dispute.ended_on == day
    error = refused(
        svc.dispute_fail,
        actor=world.actors["mediator"],
        dispute=world.other,
        onward_route="arbitration",
        reason="双方分歧过大",
        on=TODAY + dt.timedelta(days=1),
    )
    assert fields(error) == ["on"]


def test_a_session_in_a_registered_mediation_room_takes_its_name(world):
    from linli.facilities.services import FacilityInput, facility_save

    editor = Actor.system("rooms", permissions=frozenset({"facility.edit", "facility.view"}), root_path="2101")
    here = facility_save(
        actor=editor,
        data=FacilityInput(
            kind="mediation_room", name="水源地人民调解室", unit=SHUIYUANDI, lat=41.78, lng=123.43, floor_area_m2="30"
        ),
    )
    elsewhere = facility_save(
        actor=editor,
        data=FacilityInput(
            kind="mediation_room", name="集贤人民调解室", unit="210102002001", lat=41.78, lng=123.43, floor_area_m2="30"
        ),
    )
    actor = world.actors["mediator"]
    session = svc.session_schedule(actor=actor, dispute=world.dispute, starts_at=NOW, facility_ref=here.public_id)
    assert (session.place, session.facility_ref) == ("水源地人民调解室", here.public_id)
    error = refused(
        svc.session_schedule, actor=actor, dispute=world.dispute, starts_at=NOW, facility_ref=elsewhere.public_id
    )
    assert fields(error) == ["facility_ref", "place"]
