# ruff: noqa: F811 (the stage's fixtures are imported from safety_support)
"""Stage safety's services: beats, police cases, incidents, drills, and the stored four-zero
statuses computed from them (hand-checked)."""

import datetime as dt
from decimal import Decimal

import pytest

from linli.core.errors import DomainError
from linli.core.models import AuditEntry
from linli.mediation.models import EmergencyDrill, FourZeroStatus, PoliceBeat, PoliceCase, SafetyIncident
from linli.mediation.selectors import safety as sel
from linli.mediation.services import safety as svc
from linli.mediation.tests.safety_support import (  # noqa: F401 (fixtures)
    BINHE,
    DECEMBER,
    HUNHEWAN,
    JIXIAN,
    MANAGER,
    NOVEMBER,
    SHUIYUANDI,
    STREET,
    TODAY,
    add_residents,
    at,
    clock,
    escalated_dispute,
    grid_event,
    police,
    shelter,
)

pytestmark = pytest.mark.django_db


def fields(error: DomainError) -> list[str]:
    return [f.field for f in error.fields]


# ---- beats -------------------------------------------------------------------------------------


def test_a_beat_links_a_district_police_officer(police, actors):
    beat = svc.beat_set(
        actor=actors["street_officer"],
        community_path=HUNHEWAN,
        user_id=police["users"]["spare_officer"].pk,
        since=TODAY,
    )
    assert (beat.path, beat.officer_name, beat.until) == (HUNHEWAN, "spare_officer", None)
    assert AuditEntry.objects.filter(action="mediation.beat_set", object_id=str(beat.pk)).count() == 1
    assert sel.beat_paths(police["actors"]["spare_officer"]) == [HUNHEWAN]


def test_a_beat_refuses_an_account_not_of_the_police_department(police, actors, people):
    for user in (people["community_worker"], police["users"]["shenhe_officer"]):
        with pytest.raises(DomainError) as refused:
            svc.beat_set(actor=actors["street_officer"], community_path=HUNHEWAN, user_id=user.pk, since=TODAY)
        assert fields(refused.value) == ["user_id"]
    assert PoliceBeat.objects.filter(path=HUNHEWAN).count() == 0


def test_a_second_active_officer_is_refused(police, actors):
    with pytest.raises(DomainError) as refused:
        svc.beat_set(
            actor=actors["street_officer"],
            community_path=SHUIYUANDI,
            user_id=police["users"]["spare_officer"].pk,
            since=TODAY,
        )
    assert refused.value.code == "conflict"
    assert list(PoliceBeat.objects.values_list("path", "officer_name")) == [(SHUIYUANDI, "officer")]


def test_beats_are_set_only_within_the_managers_area(police, actors):
    for name, community in (
        ("street_officer", JIXIAN),
        ("community_worker", HUNHEWAN),
        ("other_district_admin", HUNHEWAN),
    ):
        with pytest.raises(DomainError) as refused:
            svc.beat_set(
                actor=actors[name], community_path=community, user_id=police["users"]["spare_officer"].pk, since=TODAY
            )
        assert refused.value.status == 404
    assert PoliceBeat.objects.count() == 1


def test_ending_a_beat_needs_a_reason_then_frees_the_community(police, actors):
    beat = PoliceBeat.objects.get(path=SHUIYUANDI)
    with pytest.raises(DomainError) as refused:
        svc.beat_end(actor=actors["district_admin"], beat_id=beat.pk, until=TODAY, reason="")
    assert fields(refused.value) == ["reason"]
    beat.refresh_from_db()
    assert beat.until is None
    svc.beat_end(actor=actors["district_admin"], beat_id=beat.pk, until=TODAY, reason="调任其他派出所")
    beat.refresh_from_db()
    assert beat.until == TODAY
    svc.beat_set(
        actor=actors["district_admin"],
        community_path=SHUIYUANDI,
        user_id=police["users"]["spare_officer"].pk,
        since=TODAY + dt.timedelta(days=1),
    )
    assert PoliceBeat.objects.filter(path=SHUIYUANDI, until__isnull=True).count() == 1


# ---- police cases, incidents, drills -----------------------------------------------------------


def test_the_officer_records_a_case_in_their_beat(police):
    officer = police["actors"]["officer"]
    number = grid_event(SHUIYUANDI, "E0409", at(TODAY))
    case = svc.police_case_record(
        actor=officer,
        data=svc.PoliceCaseInput(SHUIYUANDI, "criminal", TODAY, "入室盗窃", grid_event_number=number),
    )
    assert (case.path, case.kind, case.grid_event_number, case.recorded_by_name) == (
        SHUIYUANDI,
        "criminal",
        number,
        "officer",
    )
    status = FourZeroStatus.objects.get(path=SHUIYUANDI, month=DECEMBER)
    assert (status.cases, status.cases_state, status.four_zero) == (1, "missed", False)


def test_a_case_outside_the_beat_or_in_the_future_is_refused(police):
    officer = police["actors"]["officer"]
    with pytest.raises(DomainError) as refused:
        svc.police_case_record(actor=officer, data=svc.PoliceCaseInput(HUNHEWAN, "criminal", TODAY))
    assert refused.value.status == 404
    with pytest.raises(DomainError) as refused:
        svc.police_case_record(
            actor=officer, data=svc.PoliceCaseInput(SHUIYUANDI, "criminal", TODAY + dt.timedelta(days=1))
        )
    assert fields(refused.value) == ["occurred_on"]
    other = grid_event(HUNHEWAN, "E0409", at(TODAY))
    with pytest.raises(DomainError) as refused:
        svc.police_case_record(
            actor=officer, data=svc.PoliceCaseInput(SHUIYUANDI, "theft", TODAY, grid_event_number=other)
        )
    assert fields(refused.value) == ["kind", "grid_event_number"]
    assert PoliceCase.objects.count() == 0


def test_an_incident_is_recorded_by_the_community_not_by_another(police, actors):
    data = svc.IncidentInput(SHUIYUANDI, "gas", "minor", TODAY, "厨房燃气泄漏，已处置")
    with pytest.raises(DomainError) as refused:
        svc.incident_record(actor=actors["other_community_worker"], data=data)
    assert refused.value.status == 404
    assert SafetyIncident.objects.count() == 0
    incident = svc.incident_record(actor=actors["community_worker"], data=data)
    assert (incident.kind, incident.severity, incident.recorded_by_name) == ("gas", "minor", "community_worker")
    assert FourZeroStatus.objects.get(path=SHUIYUANDI, month=DECEMBER).accidents_state == "missed"


def test_an_incident_needs_its_description_kind_and_severity(actors, clock):
    with pytest.raises(DomainError) as refused:
        svc.incident_record(actor=actors["community_worker"], data=svc.IncidentInput(SHUIYUANDI, "x", "y", None, " "))
    assert fields(refused.value) == ["occurred_on", "kind", "severity", "description"]
    assert SafetyIncident.objects.count() == 0


def test_a_drill_needs_participants_and_a_past_day(actors, clock):
    with pytest.raises(DomainError) as refused:
        svc.drill_record(
            actor=actors["community_worker"],
            data=svc.DrillInput(SHUIYUANDI, TODAY + dt.timedelta(days=2), "消防疏散", 0),
        )
    assert fields(refused.value) == ["held_on", "participants"]
    assert EmergencyDrill.objects.count() == 0


def test_a_drill_at_a_shelter_of_the_street(actors, clock):
    place = shelter(HUNHEWAN, "800")  # the same street as 水源地
    far = shelter(JIXIAN, "800")
    with pytest.raises(DomainError) as refused:
        svc.drill_record(
            actor=actors["community_worker"], data=svc.DrillInput(SHUIYUANDI, TODAY, "地震避险", 40, facility_ref=far)
        )
    assert fields(refused.value) == ["facility_ref"]
    drill = svc.drill_record(
        actor=actors["community_worker"], data=svc.DrillInput(SHUIYUANDI, TODAY, "地震避险", 40, facility_ref=place)
    )
    assert (str(drill.facility_ref), drill.participants) == (place, 40)
    assert sel.drill_place_names([drill]) == {place: "避难场所003"}


# ---- the four-zero statuses --------------------------------------------------------------------


def test_four_zero_is_computed_from_every_source(police, actors):
    """November in 浑河湾街道, by hand:
    水源地: officer, a drill in March, no petition/accident/case → four-zero;
    浑河湾: no officer (cases: no records), a drill, a gas-pipe grid event → accidents missed;
    and in December 水源地 has a petition (an escalated dispute) and 1.0 m² of shelter each."""
    svc.drill_record(actor=MANAGER, data=svc.DrillInput(SHUIYUANDI, dt.date(2026, 3, 5), "消防疏散", 30))
    svc.drill_record(actor=MANAGER, data=svc.DrillInput(HUNHEWAN, dt.date(2026, 3, 6), "消防疏散", 25))
    grid_event(HUNHEWAN, "E0403", at(dt.date(2026, 11, 20)))
    grid_event(HUNHEWAN, "E0409", at(dt.date(2026, 11, 21)))  # a security event: not an accident
    escalated_dispute(SHUIYUANDI, dt.date(2026, 12, 2))
    escalated_dispute(SHUIYUANDI, dt.date(2026, 12, 3), escalated=False)
    assert svc.four_zero_compute(under=STREET, month=NOVEMBER) == 2
    rows = {s.path: s for s in FourZeroStatus.objects.filter(month=NOVEMBER)}
    shuiyuandi, hunhewan = rows[SHUIYUANDI], rows[HUNHEWAN]
    assert (shuiyuandi.petitions_state, shuiyuandi.accidents_state, shuiyuandi.cases_state) == ("met", "met", "met")
    assert (shuiyuandi.readiness_state, shuiyuandi.drills, shuiyuandi.four_zero) == ("met", 1, True)
    assert (hunhewan.accidents, hunhewan.accidents_state, hunhewan.cases_state) == (1, "missed", "no_data")
    assert hunhewan.four_zero is False
    shelter(SHUIYUANDI, "3")
    add_residents(SHUIYUANDI, 3)
    svc.four_zero_compute(under=SHUIYUANDI, month=DECEMBER)
    december = FourZeroStatus.objects.get(path=SHUIYUANDI, month=DECEMBER)
    assert (december.petitions, december.petitions_state) == (1, "missed")
    assert (december.shelter_m2_per_resident, december.readiness_state) == (Decimal("1.000"), "missed")


def test_an_incident_of_a_grid_event_counts_once(police, actors):
    number = grid_event(SHUIYUANDI, "E0405", at(TODAY))
    svc.incident_record(
        actor=actors["community_worker"],
        data=svc.IncidentInput(SHUIYUANDI, "building", "injury", TODAY, "热力管道破裂烫伤", grid_event_number=number),
    )
    assert FourZeroStatus.objects.get(path=SHUIYUANDI, month=DECEMBER).accidents == 1


def test_computing_again_changes_nothing_but_the_time(police, clock):
    svc.four_zero_compute(under="210102", month=NOVEMBER)
    first = list(
        FourZeroStatus.objects.order_by("path").values_list("path", "four_zero", "cases_state", "readiness_state")
    )
    clock.shift(dt.timedelta(hours=1))
    assert svc.four_zero_compute(under="210102", month=NOVEMBER) == 3
    again = list(
        FourZeroStatus.objects.order_by("path").values_list("path", "four_zero", "cases_state", "readiness_state")
    )
    assert (
        again
        == first
        == [
            (SHUIYUANDI, False, "met", "missed"),
            (HUNHEWAN, False, "no_data", "missed"),
            (JIXIAN, False, "no_data", "missed"),
        ]
    )
    assert FourZeroStatus.objects.count() == 3


def test_a_drill_recomputes_the_later_months_of_its_year(police, actors):
    svc.four_zero_compute(under=SHUIYUANDI, month=NOVEMBER)
    svc.four_zero_compute(under=SHUIYUANDI, month=DECEMBER)
    svc.drill_record(
        actor=actors["community_worker"], data=svc.DrillInput(SHUIYUANDI, dt.date(2026, 10, 9), "防汛", 12)
    )
    states = dict(FourZeroStatus.objects.filter(path=SHUIYUANDI).values_list("month", "four_zero"))
    assert states == {dt.date(2026, 10, 1): True, NOVEMBER: True, DECEMBER: True}


def test_the_board_refreshes_the_open_month_only_when_stale(police, actors, clock):
    street = actors["street_officer"]
    assert svc.four_zero_refresh(actor=street, month=DECEMBER) is True
    assert FourZeroStatus.objects.filter(month=DECEMBER).count() == 2
    assert svc.four_zero_refresh(actor=street, month=DECEMBER) is False
    assert svc.four_zero_refresh(actor=street, month=NOVEMBER) is False  # a closed month is kept
    clock.shift(dt.timedelta(minutes=11))
    assert svc.four_zero_refresh(actor=street, month=DECEMBER) is True


def test_the_tick_recomputes_every_district_when_stale(police, clock):
    assert svc.four_zero_tick() == "5 statuses"  # four communities and a village
    assert svc.four_zero_tick() == "fresh"
    assert set(FourZeroStatus.objects.values_list("path", flat=True)) >= {SHUIYUANDI, BINHE}


def test_the_command_recomputes_a_month_idempotently(police, clock):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("four_zero", "--month", "2026-11", stdout=out)
    assert out.getvalue().strip() == "2026-11: 5 communities"
    call_command("four_zero", "--month", "2026-11", stdout=StringIO())
    assert FourZeroStatus.objects.filter(month=NOVEMBER).count() == 5
    assert AuditEntry.objects.filter(action="mediation.four_zero_compute").count() == 4  # one per district per run
    with pytest.raises(CommandError):
        call_command("four_zero", "--month", "2027-01", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("four_zero", "--month", "Nov", stdout=StringIO())


def test_the_tick_refreshes_a_district_a_board_view_left_stale(police, actors, clock):
    svc.four_zero_tick()
    clock.shift(dt.timedelta(minutes=11))
    assert svc.four_zero_refresh(actor=actors["district_admin"], month=DECEMBER) is True  # 和平区 only
    assert svc.four_zero_tick() == "2 statuses"  # 沈河区's community and village
    assert svc.four_zero_tick() == "fresh"
