"""Grid events on the staff workbench: each role's working queues as counts that equal the
board's queues, a department's tasks to accept and check-ins due, what a department returned, and
event numbers in the header search."""

from datetime import timedelta

from django.utils import timezone

from linli.core.workbench import SearchQuery, today_sections
from linli.grid_events.models import Response
from linli.grid_events.selectors import event_queue
from linli.grid_events.tests.conftest import department
from linli.grid_events.tests.test_workflow import report, step
from linli.grid_events.workbench import grid_search


def _counts(actor) -> dict[str, int]:
    sections = {s.key: s for s in today_sections(actor=actor, today=timezone.localdate())}
    return {c.key: c.count for c in sections["grid"].counts} if "grid" in sections else {}


def test_each_role_sees_its_own_grid_work(grid, clock):
    a = grid["actors"]
    first = report(a["grid_worker"])
    report(a["resident"], channel="resident_photo", not_duplicate=True)
    assert _counts(a["community_worker"])["grid.to_register"] == 2
    assert "grid.to_register" not in _counts(a["grid_worker"])  # a grid worker verifies, does not register

    civil = department("210102", "civil_affairs")
    step(a["community_worker"], first, "register")
    first = step(a["community_worker"], first, "dispatch", department_id=civil.pk)
    assert _counts(a["department_officer"])["grid.pending"] == 1
    step(a["department_officer"], first, "return", note="不属民政职责")
    community = _counts(a["community_worker"])
    assert community["grid.returned"] == 1 and community["grid.to_register"] == 1
    assert _counts(a["department_officer"])["grid.pending"] == 0

    first.refresh_from_db()
    housing, water = department("210102", "housing"), department("210102", "water")
    step(a["street_officer"], first, "whistle", note="联合处置", departments=[housing.pk, water.pk])
    assert _counts(a["water_officer"])["grid.check_ins"] == 1
    from linli.grid_events.services import whistle_check_in

    whistle_check_in(actor=a["water_officer"], response=Response.objects.get(department=water), note="到")
    assert _counts(a["water_officer"])["grid.check_ins"] == 0

    # the numbers are the board's queues
    for actor_name in ("community_worker", "housing_officer", "grid_worker", "district_admin"):
        actor = a[actor_name]
        for key, count in _counts(actor).items():
            queue = key.removeprefix("grid.")
            if queue != "check_ins":
                assert event_queue(actor=actor, queue=queue).count() == count, (actor_name, key)

    clock.shift(timedelta(days=3))
    assert _counts(a["district_admin"])["grid.overdue"] >= 1
    assert _counts(a["shenhe_urban_officer"]) == {
        "grid.pending": 0,
        "grid.handling": 0,
        "grid.check_ins": 0,
        "grid.supervised": 0,
        "grid.overdue": 0,
    }


def test_board_tabs_show_counts(client, grid, clock):
    report(grid["actors"]["grid_worker"])
    client.force_login(grid["users"]["community_worker"])
    page = client.get("/staff/grid/").content.decode()
    assert 'aria-current="page">待立案 <span class="tab-count">1</span>' in page


def test_header_search_finds_event_numbers_and_addresses_in_scope(grid, clock):
    a = grid["actors"]
    event = report(a["grid_worker"], address="和平区水源地小区3号楼")
    found = grid_search(a["community_worker"], SearchQuery(event.number, "text"))
    assert [h.url for h in found.hits] == [f"/staff/grid/events/{event.number}/"]
    assert [h.url for h in grid_search(a["community_worker"], SearchQuery("水源地小区", "text")).hits] == [
        f"/staff/grid/events/{event.number}/"
    ]
    assert grid_search(a["binhe_worker"], SearchQuery(event.number, "text")).hits == []
