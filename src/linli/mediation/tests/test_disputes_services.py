# ruff: noqa: F811 (the stage's fixtures are imported from disputes_support)
"""Intake, consent, assignment and recusal through the services: the refusals the issue names
(no consent → no mediator; a mediator who is a party; a second dispute for one grid event; an
unknown kind; a future day), with nothing changed on a refused path."""

from __future__ import annotations

import datetime as dt

import pytest

from linli.core.crypto import unseal
from linli.core.errors import DomainError
from linli.core.models import AuditEntry, InboxMessage
from linli.mediation.models import Dispute, DisputeParty, DisputeStep, FourZeroStatus
from linli.mediation.services.intake import (
    ApplyInput,
    PartyInput,
    dispute_apply,
    dispute_assign,
    dispute_escalate,
    dispute_facts_reveal,
    dispute_recusal,
    dispute_register,
    dispute_withdraw,
    next_workday,
    party_consent,
)
from linli.mediation.tests.disputes_support import (  # noqa: F401 (fixtures)
    FACTS,
    OUTSIDER_PHONE,
    SHUIYUANDI,
    TODAY,
    accepted,
    add_mediator,
    clock,
    dispute_input,
    mediating,
    registered,
    world,
)

pytestmark = pytest.mark.django_db


def fields_of(error: DomainError) -> set[str]:
    return {f.field for f in error.fields}


def test_register_seals_the_facts_numbers_the_case_and_awaits_consent(world):
    dispute = registered(world)
    assert dispute.number == f"TJ{SHUIYUANDI}20261207" + "00001"
    assert (dispute.state, dispute.level, dispute.source, dispute.path) == (
        "consent",
        "community",
        "window",
        SHUIYUANDI,
    )
    assert FACTS not in dispute.facts_sealed and unseal(dispute.facts_sealed, context="mediation.facts") == FACTS
    zhang, outsider = dispute.parties.order_by("side", "pk")
    assert (zhang.side, zhang.name, str(zhang.person_ref), zhang.user_id) == (
        "applicant",
        "张建国",
        world.zhang,
        world.users["resident"].pk,
    )
    assert (outsider.name, outsider.phone_masked, outsider.person_ref) == ("陈外来", "139****5678", None)
    assert OUTSIDER_PHONE not in outsider.phone_sealed
    assert list(dispute.steps.values_list("action", "to_state")) == [("register", "consent")]
    assert AuditEntry.objects.filter(action="mediation.dispute_register", object_id=dispute.number).count() == 1
    assert registered(world).number.endswith("00002")


def test_register_refuses_an_unknown_kind_a_future_day_and_one_sided_parties_with_nothing_saved(world):
    data = dispute_input(
        world,
        kind="no_such_kind",
        registered_on=TODAY + dt.timedelta(days=1),
        parties=[PartyInput(side="applicant", person_ref=world.zhang)],
        facts="",
    )
    with pytest.raises(DomainError) as refused:
        dispute_register(actor=world.actors["community_worker"], data=data)
    assert fields_of(refused.value) == {"kind", "registered_on", "parties", "facts"}
    assert Dispute.objects.count() == 0 and DisputeParty.objects.count() == 0


def test_register_takes_a_paper_record_of_last_year_but_not_older(world):
    late = registered(world, registered_on=TODAY - dt.timedelta(days=366))
    assert late.registered_on == TODAY - dt.timedelta(days=366) and late.number.startswith(f"TJ{SHUIYUANDI}20251206")
    with pytest.raises(DomainError) as refused:
        registered(world, registered_on=TODAY - dt.timedelta(days=367))
    assert fields_of(refused.value) == {"registered_on"}


def test_register_refuses_a_resident_of_another_area_and_a_community_outside_scope(world):
    with pytest.raises(DomainError) as refused:
        registered(
            world,
            community="210102002001",
            parties=[PartyInput(side="applicant", person_ref=world.sun), PartyInput(side="respondent", name="某")],
        )
    assert fields_of(refused.value) == {"community", "parties-0-person_ref"}
    assert Dispute.objects.count() == 0


def test_the_street_officer_names_the_community_and_a_worker_without_intake_may_not_register(world):
    with pytest.raises(DomainError) as unnamed:
        registered(world, actor="street_officer")
    assert fields_of(unnamed.value) == {"community"}
    assert registered(world, actor="street_officer", community=SHUIYUANDI).path == SHUIYUANDI
    with pytest.raises(DomainError) as refused:
        registered(world, actor="grid_worker")
    assert refused.value.code == "permission_denied" and Dispute.objects.count() == 1


def test_every_party_agreeing_accepts_with_the_time_limit_on_the_work_calendar(world):
    dispute = registered(world)
    applicant, respondent = dispute.parties.order_by("side", "pk")
    worker = world.actors["community_worker"]
    dispute = party_consent(actor=worker, dispute=dispute, party_id=applicant.pk, consent="agreed")
    assert dispute.state == "consent"
    dispute = party_consent(actor=worker, dispute=dispute, party_id=respondent.pk, consent="agreed", note="电话确认")
    dispute.refresh_from_db()
    # 2026-12-07 + 30 days = 2027-01-06, a Wednesday
    assert (dispute.state, dispute.accepted_on, dispute.due_on) == ("accepted", TODAY, dt.date(2027, 1, 6))
    assert list(dispute.steps.values_list("action", flat=True)) == ["register", "accept"]


def test_next_workday_skips_the_weekend():
    assert next_workday(dt.date(2026, 12, 12)) == dt.date(2026, 12, 14)  # Saturday → Monday
    assert next_workday(dt.date(2026, 12, 14)) == dt.date(2026, 12, 14)


def test_one_refusal_ends_the_dispute_unmediated_and_no_mediator_may_be_assigned(world):
    dispute = registered(world)
    applicant, respondent = dispute.parties.order_by("side", "pk")
    worker = world.actors["community_worker"]
    with pytest.raises(DomainError) as early:
        dispute_assign(actor=worker, dispute=dispute, mediator_id=world.committee.public_id)
    assert early.value.code == "conflict" and "尚未全部同意" in early.value.message.zh
    party_consent(actor=worker, dispute=dispute, party_id=respondent.pk, consent="refused", note="不愿调解")
    dispute.refresh_from_db()
    assert (dispute.state, dispute.ended_on, dispute.mediator_id) == ("refused", TODAY, None)
    with pytest.raises(DomainError) as late:
        party_consent(actor=worker, dispute=dispute, party_id=applicant.pk, consent="agreed")
    assert late.value.code == "conflict"
    assert DisputeParty.objects.get(pk=applicant.pk).consent == "pending"


def test_consent_on_a_future_day_is_refused(world):
    dispute = registered(world)
    party = dispute.parties.first()
    with pytest.raises(DomainError) as refused:
        party_consent(
            actor=world.actors["community_worker"],
            dispute=dispute,
            party_id=party.pk,
            consent="agreed",
            on=TODAY + dt.timedelta(days=1),
        )
    assert fields_of(refused.value) == {"on"} and DisputeParty.objects.get(pk=party.pk).consent == "pending"


def test_assign_sets_the_level_by_the_mediator_and_tells_them(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dispute = mediating(world)
    assert (dispute.state, dispute.mediator_id, dispute.level) == ("mediating", world.committee.pk, "community")
    inbox = InboxMessage.objects.filter(user_id=world.users["mediator"].pk)
    assert [m.kind for m in inbox] == ["mediation.assigned"]
    worker = world.actors["community_worker"]
    with pytest.raises(DomainError) as no_reason:
        dispute_assign(actor=worker, dispute=dispute, mediator_id=world.full_time.public_id)
    assert fields_of(no_reason.value) == {"reason"}
    dispute = dispute_assign(actor=worker, dispute=dispute, mediator_id=world.full_time.public_id, reason="案情复杂")
    assert (dispute.mediator_id, dispute.level) == (world.full_time.pk, "street")
    assert list(dispute.steps.values_list("action", flat=True)) == ["register", "accept", "assign", "reassign"]


def test_assign_refuses_a_mediator_of_another_street(world):
    dispute = accepted(world)
    with pytest.raises(DomainError) as refused:
        dispute_assign(actor=world.actors["community_worker"], dispute=dispute, mediator_id=world.far.public_id)
    assert fields_of(refused.value) == {"mediator"}
    dispute.refresh_from_db()
    assert (dispute.state, dispute.mediator_id) == ("accepted", None)


@pytest.mark.parametrize("how", ["person", "account", "name_and_phone"])
def test_assign_refuses_a_mediator_who_is_a_party(world, how):
    kwargs = {
        "person": {"person_ref": world.zhang},
        "account": {"user": world.users["resident"]},
        "name_and_phone": {"phone": OUTSIDER_PHONE},
    }[how]
    name = "陈外来" if how == "name_and_phone" else "张建国"
    party_mediator = add_mediator(SHUIYUANDI, "committee", name, **kwargs)
    dispute = accepted(world)
    with pytest.raises(DomainError) as refused:
        dispute_assign(actor=world.actors["community_worker"], dispute=dispute, mediator_id=party_mediator.public_id)
    assert refused.value.fields[0].message.zh == "该调解员是本纠纷的当事人，应当回避"
    dispute.refresh_from_db()
    assert (dispute.state, dispute.mediator_id) == ("accepted", None)


def test_recusal_removes_the_mediator_and_keeps_them_out(world):
    dispute = mediating(world)
    party = dispute.parties.order_by("side", "pk").last()
    worker = world.actors["community_worker"]
    dispute = dispute_recusal(actor=worker, dispute=dispute, party_id=party.pk, reason="调解员与对方是亲戚")
    assert (dispute.state, dispute.mediator_id) == ("accepted", None)
    assert dispute.excluded_mediators == [str(world.committee.public_id)]
    with pytest.raises(DomainError) as refused:
        dispute_assign(actor=worker, dispute=dispute, mediator_id=world.committee.public_id)
    assert refused.value.fields[0].message.zh == "当事人已申请该调解员回避"
    assert dispute_assign(actor=worker, dispute=dispute, mediator_id=world.expert.public_id).level == "expert"
    step = DisputeStep.objects.get(dispute=dispute, action="recuse")
    assert (step.from_state, step.to_state, step.note) == ("mediating", "accepted", "王调解")


def test_the_resident_party_asks_for_recusal_themself(world):
    dispute = mediating(world)
    dispute = dispute_recusal(actor=world.actors["resident"], dispute=dispute, reason="调解员偏向对方")
    assert dispute.state == "accepted"


def test_a_party_withdraws_and_a_stranger_may_not(world):
    dispute = mediating(world)
    with pytest.raises(DomainError) as stranger:
        dispute_withdraw(actor=world.actors["other_community_worker"], dispute=dispute, reason="不想调了", party_id=1)
    assert stranger.value.code == "not_found"
    dispute = dispute_withdraw(actor=world.actors["resident"], dispute=dispute, reason="已经私下和解")
    assert (dispute.state, dispute.ended_on) == ("withdrawn", TODAY)
    assert dispute.parties.get(user=world.users["resident"]).consent == "withdrawn"
    with pytest.raises(DomainError) as again:
        dispute_withdraw(actor=world.actors["resident"], dispute=dispute, reason="已经私下和解")
    assert again.value.code == "conflict"


def test_escalate_marks_it_once_with_a_reason(world):
    dispute = registered(world)
    with pytest.raises(DomainError):
        dispute_escalate(actor=world.actors["community_worker"], dispute=dispute, reason="")
    dispute = dispute_escalate(actor=world.actors["community_worker"], dispute=dispute, reason="当事人到区信访")
    assert dispute.escalated is True
    # the four-zero status of the month it was registered in follows at once: one petition, missed
    status = FourZeroStatus.objects.get(path=dispute.path[:12], month=dispute.registered_on.replace(day=1))
    assert (status.petitions, status.petitions_state, status.four_zero) == (1, "missed", False)
    with pytest.raises(DomainError) as again:
        dispute_escalate(actor=world.actors["community_worker"], dispute=dispute, reason="当事人到区信访")
    assert again.value.code == "conflict"


def test_facts_read_with_a_reason_are_audited_and_hidden_from_other_areas(world):
    dispute = registered(world)
    texts = dispute_facts_reveal(actor=world.actors["community_worker"], dispute=dispute, reason="准备调解")
    assert (texts.facts, texts.claim) == (FACTS, "请求晚十点后停止施工")
    entry = AuditEntry.objects.get(action="mediation.dispute_read")
    assert (entry.reason, entry.object_id) == ("准备调解", dispute.number)
    with pytest.raises(DomainError) as refused:
        dispute_facts_reveal(actor=world.actors["other_community_worker"], dispute=dispute, reason="看看情况")
    assert refused.value.code == "not_found" and AuditEntry.objects.filter(action="mediation.dispute_read").count() == 1


def test_a_resident_applies_and_has_agreed_at_once(world):
    dispute = dispute_apply(
        actor=world.actors["resident"],
        data=ApplyInput(kind="neighbour", facts=FACTS, respondent_name="李明", respondent_phone="13700001111"),
    )
    assert (dispute.source, dispute.path, dispute.state, dispute.title) == ("portal", SHUIYUANDI, "consent", "邻里纠纷")
    applicant, respondent = dispute.parties.order_by("side", "pk")
    assert (applicant.name, applicant.consent, applicant.user_id) == ("张建国", "agreed", world.users["resident"].pk)
    assert (respondent.name, respondent.consent, respondent.phone_masked) == ("李明", "pending", "137****1111")
    with pytest.raises(DomainError) as refused:
        dispute_apply(actor=world.actors["resident"], data=ApplyInput(kind="neighbour", facts="", respondent_name=""))
    assert fields_of(refused.value) == {"facts", "respondent_name"}


def test_a_grid_event_becomes_one_dispute(world):
    from linli.areas.models import Building
    from linli.grid_events.services import ReportInput, event_report

    Building.objects.filter(code="210102001002001001").update(lat=41.78, lng=123.43)
    building = Building.objects.get(code="210102001002001001")
    event = event_report(
        actor=world.actors["community_worker"],
        data=ReportInput(description="楼道堆物引发争吵", building_id=str(building.public_id), not_duplicate=True),
    )
    first = registered(world, source="grid_event", source_ref=event.number)
    assert (first.source, first.source_ref) == ("grid_event", event.number)
    with pytest.raises(DomainError) as second:
        registered(world, source="grid_event", source_ref=event.number)
    assert second.value.code == "conflict" and second.value.details == {"dispute": first.number}
    with pytest.raises(DomainError) as unseen:
        registered(world, actor="street_officer", community=SHUIYUANDI, source="grid_event", source_ref="GE000")
    assert fields_of(unseen.value) == {"source_ref"}
    assert Dispute.objects.count() == 1


def test_a_party_with_an_account_is_asked_in_their_inbox(world, django_capture_on_commit_callbacks):
    from linli.core.models import InboxMessage

    with django_capture_on_commit_callbacks(execute=True):
        dispute = registered(world)
    resident = world.actors["resident"]
    assert dispute.parties.get(side="applicant").user_id == resident.user_id
    message = InboxMessage.objects.get(user_id=resident.user_id, kind="mediation.registered")
    assert dispute.number in message.text_zh and message.link == f"/my/mediation/disputes/{dispute.number}/"
    # the worker who registered it is told nothing, and an outsider has no account to tell
    assert InboxMessage.objects.filter(kind="mediation.registered").count() == 1
