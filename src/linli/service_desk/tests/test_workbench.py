"""The desk's part of the staff workbench and the queue tabs: the numbers on "Today" are the
numbers of the queues they link to, for each role, and the page stays within a fixed number of
queries."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

from linli.core.models import AuditEntry
from linli.core.workbench import SearchQuery, today_sections
from linli.service_desk.selectors import case_queue, queue_counts
from linli.service_desk.services import IntakeInput, TransitionInput, case_intake, case_transition
from linli.service_desk.tests.conftest import QIAN_ID, ZHANG_ID
from linli.service_desk.workbench import desk_search

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)
DIBAO_COMPLETE = {"m1": "provided", "m3": "provided", "m4": "provided"}


def _intake(actor, applicant_ref):
    data = IntakeInput(item_code="SQ001", channel="window", applicant_ref=applicant_ref, checklist=DIBAO_COMPLETE)
    return case_intake(actor=actor, data=data)


def _section(actor, key="desk"):
    sections = {s.key: s for s in today_sections(actor=actor, today=timezone.localdate())}
    return sections.get(key)


def _counts(section) -> dict[str, int]:
    return {c.key: c.count for c in section.counts}


def test_today_counts_are_the_queues_they_link_to(desk):
    actors = desk["actors"]
    with time_machine.travel(MONDAY, tick=False):
        case = _intake(actors["community_worker"], desk["zhang"].public_id)  # SQ001: 20 working days
        _intake(actors["binhe_worker"], desk["qian"].public_id)  # another district: not ours
    # on its due day the case is due soon, not overdue; the day after it is overdue
    due = case.due_on
    with time_machine.travel(datetime(due.year, due.month, due.day, 9, 0, tzinfo=SHANGHAI), tick=False):
        worker = _counts(_section(actors["community_worker"]))
        assert worker["desk.mine"] == 1 and worker["desk.due_soon"] == 1 and worker["desk.overdue"] == 0
        assert worker["desk.unit"] == 0  # the community decides its own items, but 低保 is the street's
    with time_machine.travel(
        datetime(due.year, due.month, due.day, 9, 0, tzinfo=SHANGHAI) + timedelta(days=1), tick=False
    ):
        worker_section = _section(actors["community_worker"])
        worker = _counts(worker_section)
        assert worker["desk.overdue"] == 1 and worker["desk.due_soon"] == 0
        assert [row.title.split(" · ")[0] for row in worker_section.rows] == [case.number]
        assert worker_section.rows[0].tone == "danger"
        street = _counts(_section(actors["street_officer"]))
        assert street["desk.unit"] == 1 and street["desk.overdue"] == 1
        # every number is the length of the queue its link opens
        for item in worker_section.counts:
            if item.key.startswith("desk.") and "queue=" in item.url:
                queue = item.url.split("queue=")[1]
                assert case_queue(actor=actors["community_worker"], queue=queue).count() == item.count, item.key
        admin = _counts(_section(actors["district_admin"]))
        assert admin == {"desk.due_soon": 0, "desk.overdue": 1, "desk.rectifications": 0}
        assert _counts(_section(actors["other_district_admin"]))["desk.overdue"] == 1  # 钱's case in 沈河区
    assert _section(actors["resident"]) is None and _section(actors["anonymous"]) is None


@time_machine.travel(MONDAY, tick=False)
def test_supplements_received_reach_the_deciding_unit(desk):
    actors = desk["actors"]
    case = _intake(actors["community_worker"], desk["zhang"].public_id)
    street = actors["street_officer"]
    case_transition(actor=street, case=case, action="start_review", data=TransitionInput())
    case_transition(actor=street, case=case, action="request_supplement", data=TransitionInput(note="缺收入证明"))
    assert queue_counts(actor=street, queues=("supplied",))["supplied"] == 0
    case.refresh_from_db()
    with time_machine.travel(datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI), tick=False):
        case_transition(actor=actors["community_worker"], case=case, action="supply", data=TransitionInput())
        assert queue_counts(actor=street, queues=("supplied",))["supplied"] == 1
        assert _counts(_section(street))["desk.supplied"] == 1


@time_machine.travel(MONDAY, tick=False)
def test_queue_tabs_show_their_counts(client, desk):
    _intake(desk["actors"]["community_worker"], desk["zhang"].public_id)
    client.force_login(desk["users"]["community_worker"])
    page = client.get("/staff/desk/?queue=mine").content.decode()
    assert 'aria-current="page">我的办件 <span class="tab-count">1</span>' in page


@time_machine.travel(MONDAY, tick=False)
def test_header_search_finds_a_case_number_in_scope_only(desk):
    case = _intake(desk["actors"]["community_worker"], desk["zhang"].public_id)
    found = desk_search(desk["actors"]["community_worker"], SearchQuery(case.number, "digits"))
    assert [hit.title.split(" · ")[0] for hit in found.hits] == [case.number]
    elsewhere = desk_search(desk["actors"]["other_district_admin"], SearchQuery(case.number, "digits"))
    assert elsewhere.hits == []
    # an ID number is the resident pool's to answer (exactly and audited), never a case search
    assert desk_search(desk["actors"]["community_worker"], SearchQuery(ZHANG_ID, "id_number", ZHANG_ID)) is None
    assert desk_search(desk["actors"]["community_worker"], SearchQuery(QIAN_ID, "id_number", QIAN_ID)) is None


def test_today_page_runs_in_a_fixed_number_of_queries(client, desk, django_assert_max_num_queries):
    actors = desk["actors"]
    with time_machine.travel(MONDAY, tick=False):
        cases = [_intake(actors["community_worker"], desk["zhang"].public_id) for _ in range(3)]
    with time_machine.travel(cases[0].due_on + timedelta(days=2), tick=False):
        client.force_login(desk["users"]["community_worker"])
        client.get("/staff/")  # warm the per-process memos (calendar, visit rules)
        # the shell and the desk, grid and visits sections (16), then volunteers (4), the time bank
        # (2), charity (3) and social assistance (applications 3, the roll 3, relief 4 with its
        # first rows), care services (10 over its six stages) and safe community (9 over its
        # stages: disputes, time limits, screening, drills, support cases) and deliberation (6: one
        # aggregate per stage with work for a committee member — topics, consultations, voting,
        # decisions, village, board — rows only where there is work): each section a fixed
        # number, whatever the data size
        with django_assert_max_num_queries(60):
            page = client.get("/staff/").content.decode()
    assert 'data-key="desk.overdue"><span class="work-number">3</span>' in page


@time_machine.travel(MONDAY, tick=False)
def test_person_page_lists_their_cases_and_starts_a_new_one(client, desk):
    case = _intake(desk["actors"]["community_worker"], desk["zhang"].public_id)
    client.force_login(desk["users"]["community_worker"])
    page = client.get(f"/staff/residents/people/{desk['zhang'].public_id}/").content.decode()
    assert case.number in page and "为此人受理" in page and "记录走访" in page
    # no ID number typed: the intake starts from the person and the look-up is audited
    response = client.post(f"/staff/desk/intake/person/{desk['zhang'].public_id}/")
    assert response.status_code == 302 and response["Location"] == "/staff/desk/intake/item/"
    assert client.session["desk_applicant"]["name"] == "张建国"
    assert AuditEntry.objects.filter(
        action="resident.applicant_lookup", object_id=str(desk["zhang"].public_id)
    ).exists()
    # someone outside the person's scope gets the same 404 as for nobody, and nothing is logged
    client.force_login(desk["users"]["binhe_worker"])
    before = AuditEntry.objects.filter(action="resident.applicant_lookup").count()
    assert client.post(f"/staff/desk/intake/person/{desk['zhang'].public_id}/").status_code == 404
    assert AuditEntry.objects.filter(action="resident.applicant_lookup").count() == before
