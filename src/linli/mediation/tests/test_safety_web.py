# ruff: noqa: F811 (the stage's fixtures are imported from safety_support)
"""Stage safety's pages: the role × scope matrix, the forms' refusals beside their fields, the
board's pinned query count and its export."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import translation
from python_calamine import CalamineWorkbook

from linli.mediation.domain.safety import ZeroState
from linli.mediation.models import EmergencyDrill, FourZeroStatus, PoliceBeat, PoliceCase
from linli.mediation.selectors import safety as sel
from linli.mediation.services import safety as svc
from linli.mediation.tests.safety_support import (  # noqa: F401 (fixtures)
    DECEMBER,
    HUNHEWAN,
    JIXIAN,
    MANAGER,
    SHUIYUANDI,
    TODAY,
    at,
    clock,
    grid_event,
    police,
)
from linli.testing import log_in

pytestmark = pytest.mark.django_db
BOARD = reverse("portal:mediation:safety-board")


def _board_rows(client, name: str) -> list[str]:
    log_in(client, name)
    response = client.get(BOARD)
    assert response.status_code == 200
    return [r.path for r in response.context["board"].rows]


def test_the_board_shows_each_actor_their_area(client, police):
    assert _board_rows(client, "district_admin") == [SHUIYUANDI, HUNHEWAN, JIXIAN]
    assert _board_rows(client, "street_officer") == [SHUIYUANDI, HUNHEWAN]
    assert _board_rows(client, "community_worker") == [SHUIYUANDI]
    assert _board_rows(client, "other_community_worker") == [HUNHEWAN]
    assert _board_rows(client, "other_district_admin") == ["210103001001", "210103001201"]
    assert _board_rows(client, "officer") == [SHUIYUANDI]


def test_the_board_is_not_there_for_a_resident_or_anonymous(client, police):
    response = client.get(BOARD)
    assert response.status_code == 302
    log_in(client, "resident")
    assert client.get(BOARD).status_code == 404


def test_the_board_reads_a_fixed_number_of_queries(client, police, django_assert_num_queries):
    svc.four_zero_compute(under="210102", month=DECEMBER)
    log_in(client, "district_admin")
    client.get(BOARD)  # warm the memoised tree lookups
    with django_assert_num_queries(8):  # session, user, postings; freshness, communities; rows, names, trend
        response = client.get(BOARD)
    assert response.status_code == 200
    assert len(response.context["board"].rows) == 3
    assert response.context["points"] == []  # the small tree's communities have no positions


def test_the_board_exports_a_sheet(client, police):
    log_in(client, "street_officer")
    response = client.get(reverse("portal:mediation:safety-board-export") + "?month=2026-12")
    assert response.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert [row[0] for row in rows[1:]] == ["水源地社区", "浑河湾社区"]
    with translation.override("zh-hans"):
        met, missed, none = (str(ZeroState(v).label) for v in ("met", "missed", "no_data"))
    assert rows[1][2:7] == [met, met, met, missed, "否"]  # no drill this year
    assert rows[2][4] == none  # no police officer in 浑河湾


def test_a_closed_month_is_shown_as_stored(client, police):
    log_in(client, "street_officer")
    response = client.get(BOARD + "?month=2026-11")
    assert response.status_code == 200
    assert response.context["board"].rows == []


def test_the_officer_sees_the_security_events_of_their_beat_only(client, police):
    mine = grid_event(SHUIYUANDI, "E0409", at(TODAY))
    grid_event(HUNHEWAN, "E0409", at(TODAY))
    grid_event(SHUIYUANDI, "E0403", at(TODAY))  # a safety event, not a security one
    log_in(client, "officer")
    response = client.get(reverse("portal:mediation:safety-police"))
    assert response.status_code == 200
    assert [e.number for e in response.context["events"]] == [mine]
    assert [p for p, _ in response.context["communities"]] == [SHUIYUANDI]


def test_the_police_page_is_the_officers_only(client, police):
    log_in(client, "community_worker")
    assert client.get(reverse("portal:mediation:safety-police")).status_code == 404


def test_the_officer_records_a_case_and_a_refusal_stays_beside_its_field(client, police):
    log_in(client, "officer")
    url = reverse("portal:mediation:safety-police")
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    data = {"community_path": SHUIYUANDI, "kind": "criminal", "occurred_on": tomorrow, "note": "盗窃"}
    response = client.post(url, data)
    assert response.status_code == 422
    assert response.context["form"].errors["occurred_on"] == ["日期不能晚于今天"]
    assert PoliceCase.objects.count() == 0
    response = client.post(url, data | {"occurred_on": TODAY.isoformat()})
    assert response.status_code == 302
    assert list(PoliceCase.objects.values_list("path", "kind", "note")) == [(SHUIYUANDI, "criminal", "盗窃")]
    response = client.post(url, data | {"community_path": HUNHEWAN, "occurred_on": TODAY.isoformat()})
    assert response.status_code == 422  # not a choice of theirs
    assert PoliceCase.objects.count() == 1


def test_a_drill_with_no_participants_is_refused_on_the_page(client, police):
    log_in(client, "community_worker")
    url = reverse("portal:mediation:safety-drills")
    response = client.get(url)
    assert response.context["without"] == [(SHUIYUANDI, "水源地社区")]
    data = {"community_path": SHUIYUANDI, "held_on": TODAY.isoformat(), "scenario": "消防疏散", "participants": "0"}
    response = client.post(url, data)
    assert response.status_code == 422
    assert response.context["form"].errors["participants"] == ["参加人数须大于0"]
    assert EmergencyDrill.objects.count() == 0
    assert client.post(url, data | {"participants": "35"}).status_code == 302
    assert client.get(url).context["without"] == []


def test_incidents_page_lists_the_month(client, police):
    svc.incident_record(actor=MANAGER, data=svc.IncidentInput(SHUIYUANDI, "fire", "minor", TODAY, "楼道杂物起火"))
    svc.incident_record(actor=MANAGER, data=svc.IncidentInput(HUNHEWAN, "fire", "minor", TODAY, "电动车起火"))
    event = grid_event(SHUIYUANDI, "E0403", at(TODAY))
    log_in(client, "community_worker")
    response = client.get(reverse("portal:mediation:safety-incidents"))
    assert response.status_code == 200
    assert [i.description for i in response.context["incidents"]] == ["楼道杂物起火"]
    assert [e.number for e in response.context["events"]] == [event]


def test_the_beats_page_marks_communities_without_an_officer(client, police):
    log_in(client, "street_officer")
    response = client.get(reverse("portal:mediation:safety-beats"))
    assert response.status_code == 200
    assert response.context["missing"] == 1
    assert [(r.path, o) for r, o in response.context["rows"]][1] == (
        HUNHEWAN,
        [(police["users"]["officer"].pk, "officer"), (police["users"]["spare_officer"].pk, "spare_officer")],
    )
    spare = police["users"]["spare_officer"].pk
    set_url = reverse("portal:mediation:safety-beat-set")
    response = client.post(set_url, {"community_path": SHUIYUANDI, "user_id": spare, "since": TODAY.isoformat()})
    assert response.status_code == 422
    assert "该社区已有在岗的社区民警" in response.content.decode()
    response = client.post(set_url, {"community_path": HUNHEWAN, "user_id": spare, "since": TODAY.isoformat()})
    assert response.status_code == 302
    assert sel.beat_active_of(HUNHEWAN).officer_name == "spare_officer"


def test_ending_a_beat_on_the_page_needs_a_reason(client, police):
    beat = PoliceBeat.objects.get(path=SHUIYUANDI)
    log_in(client, "street_officer")
    url = reverse("portal:mediation:safety-beat-end", args=[beat.pk])
    response = client.post(url, {"until": TODAY.isoformat(), "reason": ""})
    assert response.status_code == 422
    assert PoliceBeat.objects.get(pk=beat.pk).until is None
    assert client.post(url, {"until": TODAY.isoformat(), "reason": "岗位调整"}).status_code == 302
    assert PoliceBeat.objects.get(pk=beat.pk).until == TODAY


def test_the_beats_page_is_the_managers_only(client, police):
    log_in(client, "community_worker")
    assert client.get(reverse("portal:mediation:safety-beats")).status_code == 404
    log_in(client, "other_district_admin")
    beat = PoliceBeat.objects.get(path=SHUIYUANDI)
    url = reverse("portal:mediation:safety-beat-end", args=[beat.pk])
    assert client.post(url, {"until": TODAY.isoformat(), "reason": "岗位调整"}).status_code == 404
    assert PoliceBeat.objects.get(pk=beat.pk).until is None


def test_the_workbench_tells_each_role_its_safety_work(police, actors):
    from linli.mediation.workbench.safety import safety_today

    grid_event(SHUIYUANDI, "E0409", at(TODAY))
    svc.four_zero_compute(under="210102", month=dt.date(2026, 11, 1))
    officer = safety_today(police["actors"]["officer"], TODAY)
    assert [(c.key, c.count) for c in officer.counts] == [("safety.security", 1), ("safety.no_drill", 1)]
    worker = safety_today(actors["community_worker"], TODAY)
    assert [(c.key, c.count) for c in worker.counts] == [("safety.no_drill", 1)]
    assert [r.title for r in worker.rows] == ["水源地社区"]
    street = safety_today(actors["street_officer"], TODAY)
    assert [(c.key, c.count) for c in street.counts] == [("safety.no_drill", 2), ("safety.missed", 2)]
    assert street.rows[-1].detail == "应急有备"  # 浑河湾: no drill (its cases have no records, not missed)
    assert safety_today(actors["resident"], TODAY) is None


def test_the_board_narrows_to_a_street(client, police):
    log_in(client, "district_admin")
    response = client.get(BOARD)
    assert response.context["streets"] == [("210102001", "浑河湾街道"), ("210102002", "集贤街道")]
    narrowed = client.get(BOARD + "?street=210102002")
    assert [r.path for r in narrowed.context["board"].rows] == [JIXIAN]
    assert 'value="210102002" selected' in narrowed.content.decode()


def test_a_record_entered_by_mistake_is_withdrawn_with_a_reason(client, police):
    from linli.core.models import AuditEntry

    svc.drill_record(actor=MANAGER, data=svc.DrillInput(SHUIYUANDI, TODAY, "消防疏散", 30))
    drill = EmergencyDrill.objects.get()
    assert FourZeroStatus.objects.get(path=SHUIYUANDI, month=DECEMBER).readiness_state == "met"
    log_in(client, "other_community_worker")
    url = reverse("portal:mediation:safety-drill-withdraw", args=[drill.public_id])
    assert client.post(url, {"reason": "重复登记"}).status_code == 404
    log_in(client, "community_worker")
    response = client.post(url, {"reason": ""}, follow=True)
    assert "请写明理由" in response.content.decode()
    assert EmergencyDrill.objects.count() == 1
    response = client.post(url, {"reason": "重复登记"})
    assert response.status_code == 302
    assert EmergencyDrill.objects.count() == 0
    assert AuditEntry.objects.get(action="mediation.drill_withdraw").reason == "重复登记"
    assert FourZeroStatus.objects.get(path=SHUIYUANDI, month=DECEMBER).readiness_state == "missed"


def test_the_officer_withdraws_a_case_of_their_beat(client, police):
    case = svc.police_case_record(
        actor=police["actors"]["officer"], data=svc.PoliceCaseInput(SHUIYUANDI, "criminal", TODAY, "误报")
    )
    log_in(client, "officer")
    url = reverse("portal:mediation:safety-police-case-withdraw", args=[case.public_id])
    assert client.post(url, {"reason": "经核实不属刑事案件"}).status_code == 302
    assert PoliceCase.objects.count() == 0


def test_a_mediator_only_account_sees_an_empty_board_and_computes_nothing(client, police, tree):
    from linli.testing import make_user

    make_user("only_mediator", "mediator", tree[SHUIYUANDI])
    assert _board_rows(client, "only_mediator") == []
    assert FourZeroStatus.objects.count() == 0
