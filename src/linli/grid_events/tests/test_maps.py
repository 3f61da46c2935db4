"""The events map: points filtered by the days they were reported and by state, with the state's
translated name; the map pages carry the shared base layer's settings and no setting names."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.grid_events.tests.conftest import SHUIYUANDI

API = "/api/v1/grid"


@pytest.fixture
def as_user(client, grid):
    def login(name):
        client.logout()
        client.force_login(grid["users"][name])
        return client

    return login


def report(client, text):
    body = {"description": text, "lat": SHUIYUANDI[0], "lng": SHUIYUANDI[1], "category": "C0102"}
    answer = client.post(f"{API}/events", body | {"not_duplicate": "true"})
    assert answer.status_code == 201, answer.content
    return answer.json()["number"]


def test_points_are_filtered_by_day_and_state_and_carry_the_state_name(as_user, clock):
    first = report(as_user("grid_worker"), "路口井盖缺失")
    clock.shift(timedelta(days=3))
    second = report(as_user("grid_worker"), "路灯不亮")  # logged in again: the session has aged
    client = as_user("community_worker")
    everything = client.get(f"{API}/map/points", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert [p["number"] for p in everything] == [second, first]
    assert {p["state_name"] for p in everything} == {"已上报"}
    english = client.get(f"{API}/map/points", HTTP_ACCEPT_LANGUAGE="en").json()
    assert {p["state_name"] for p in english} == {"Reported"}
    later = timezone.localdate()
    earlier = later - timedelta(days=3)
    assert [p["number"] for p in client.get(f"{API}/map/points", {"since": str(later)}).json()] == [second]
    assert [p["number"] for p in client.get(f"{API}/map/points", {"until": str(earlier)}).json()] == [first]
    both = client.get(f"{API}/map/points", {"since": str(earlier), "until": str(later)}).json()
    assert len(both) == 2
    assert client.get(f"{API}/map/points", {"since": str(later + timedelta(days=1))}).json() == []
    assert client.get(f"{API}/map/points", {"state": "closed"}).json() == []
    assert len(client.get(f"{API}/map/points", {"state": "reported,closed"}).json()) == 2


def test_an_unknown_state_or_a_bad_day_names_the_parameter(as_user):
    client = as_user("community_worker")
    bad = client.get(f"{API}/map/points", {"state": "lost"}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400 and bad.json()["error"]["fields"][0]["field"] == "state"
    assert "lost" in bad.json()["error"]["message"]
    day = client.get(f"{API}/map/points", {"since": "yesterday"})
    assert day.status_code == 422 and day.json()["error"]["fields"][0]["field"] == "since"


def test_the_events_map_page_passes_its_filters_to_the_points(as_user):
    client = as_user("community_worker")
    page = client.get("/staff/grid/map/", {"since": "2026-01-01", "state": "handling"}).content.decode()
    assert 'data-points="/api/v1/grid/map/points?since=2026-01-01&amp;state=handling"' in page
    assert '<option value="handling" selected>' in page and "处置中" in page
    assert 'id="map-base"' in page and "/api/v1/facilities/map/roads" in page
    assert "LINLI_" not in page
    wrong = client.get("/staff/grid/map/", {"since": "2026-02-01", "until": "2026-01-01"}).content.decode()
    assert "结束日期早于开始日期" in wrong or "The end day is before the start day." in wrong
    assert 'data-points="/api/v1/grid/map/points"' in wrong  # a bad filter filters nothing


@pytest.mark.parametrize(
    ("user", "url"),
    [("grid_worker", "/staff/grid/report/"), ("resident", "/report/")],
)
def test_report_pages_load_the_shared_map_without_setting_names(as_user, user, url):
    page = as_user(user).get(url).content.decode()
    assert 'data-mode="pick"' in page and 'id="map-base"' in page and "portal/map.js" in page
    assert "/api/v1/map/address" in page and "示意范围" in page
    assert "LINLI_" not in page and "data-tiles" not in page


def test_points_take_a_fixed_number_of_queries(as_user, django_assert_num_queries):
    client = as_user("grid_worker")
    for n in range(3):
        report(client, f"问题{n}")
    client = as_user("community_worker")
    client.get(f"{API}/map/points")  # the per-process memos (scope, categories) are warm on a server
    with django_assert_num_queries(4):  # session, user, postings, the points
        points = client.get(f"{API}/map/points", {"state": "reported", "since": "2026-01-01"}).json()
    assert len(points) == 3
