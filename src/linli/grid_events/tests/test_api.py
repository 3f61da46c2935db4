"""Grid events over /api/v1/grid: reporting with photos (multipart), the duplicate proposal,
refusals naming the field, steps, the whistle check-in, supervision, rates and points."""

import io

import pytest
from django.core.cache import cache

from linli.grid_events.models import EventPhoto, EventStep, GridEvent
from linli.grid_events.tests.conftest import PNG, SHUIYUANDI, department

API = "/api/v1/grid"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def as_user(client, grid):
    def login(name):
        client.logout()
        if name != "anonymous":
            client.force_login(grid["users"][name])
        return client

    return login


def upload(data: bytes = PNG, name: str = "scene.png"):
    file = io.BytesIO(data)
    file.name = name
    return file


def report(client, headers=None, **extra):
    body = {
        "description": "路口井盖缺失，行人容易踩空",
        "lat": SHUIYUANDI[0],
        "lng": SHUIYUANDI[1],
        "category": "C0102",
        "photos": [upload()],
    } | extra
    return client.post(f"{API}/events", body, headers=headers or {})


def act(client, number, action, **form):
    return client.post(f"{API}/events/{number}/actions/{action}", form)


def test_a_report_with_a_photo_and_the_duplicate_proposal(as_user):
    client = as_user("grid_worker")
    first = report(client, headers={"Idempotency-Key": "k1"})
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["state"] == "reported" and body["category"] == "C0102" and body["holder"] == "水源地社区"
    assert body["actions"] == [] and [p["stage"] for p in body["photos"]] == ["report"]
    replay = report(client, headers={"Idempotency-Key": "k1"})
    assert replay.json()["number"] == body["number"] and GridEvent.objects.count() == 1

    second = report(client, description="同一个井盖还没修")
    assert second.status_code == 409
    error = second.json()["error"]
    assert error["code"] == "duplicates_proposed" and body["number"] in error["message"]
    assert [(d["number"], d["distance_m"]) for d in error["details"]["duplicates"]] == [(body["number"], 0)]
    assert GridEvent.objects.count() == 1
    near = client.get(f"{API}/duplicates", {"lat": SHUIYUANDI[0], "lng": SHUIYUANDI[1], "category": "C0103"}).json()
    assert [d["number"] for d in near] == [body["number"]]  # same major class: related
    anyway = report(client, description="另一个井盖", not_duplicate="true")
    assert anyway.status_code == 201


@pytest.mark.parametrize(
    ("extra", "field", "words"),
    [
        ({"category": "E9999"}, "category", "未知的事件分类"),
        ({"lat": 31.23, "lng": 121.47}, "lat", "不在本市范围内"),  # Shanghai
        ({"photos": [upload(b"GIF89a" + b"\x00" * 20, "a.gif")]}, "photos", "不是 JPG"),
        ({"photos": [upload(PNG + b"\x00" * (10 * 1024 * 1024), "big.png")]}, "photos", "超过 10 MB"),
        ({"description": "  "}, "description", "请描述问题"),
        ({"coordinates": "bd09"}, "coordinates", "坐标系"),
    ],
)
def test_bad_reports_are_refused_naming_the_field(as_user, extra, field, words):
    client = as_user("grid_worker")
    answer = report(client, **extra)
    assert answer.status_code == 422, answer.content
    fields = {f["field"]: f["message"] for f in answer.json()["error"]["fields"]}
    assert field in fields and words in fields[field]
    assert GridEvent.objects.count() == 0 and EventPhoto.objects.count() == 0


def test_gcj02_coordinates_are_converted_to_wgs84(as_user):
    from linli.core.geo import wgs84_to_gcj02

    client = as_user("grid_worker")
    gcj = wgs84_to_gcj02(*SHUIYUANDI)
    body = report(client, lat=gcj[0], lng=gcj[1], coordinates="gcj02").json()
    assert abs(body["lat"] - SHUIYUANDI[0]) < 1e-6 and abs(body["lng"] - SHUIYUANDI[1]) < 1e-6


def test_steps_through_the_api_and_a_refused_one(as_user):
    client = as_user("grid_worker")
    number = report(client).json()["number"]
    client = as_user("community_worker")
    refused = act(client, number, "verify_pass")
    assert refused.status_code == 409 and "不能" in refused.json()["error"]["message"]
    assert act(client, number, "register").json()["state"] == "registered"
    dispatched = act(client, number, "dispatch").json()
    assert dispatched["holder"] == "和平区城市管理局" and dispatched["actions"] == ["whistle"]
    client = as_user("urban_officer")
    queue = client.get(f"{API}/events", {"queue": "pending"}).json()
    assert [e["number"] for e in queue["items"]] == [number]
    handled = act(client, number, "accept")
    assert handled.json()["state"] == "handling"
    done = client.post(f"{API}/events/{number}/actions/report_handled", {"note": "已补装", "photos": [upload()]})
    assert done.json()["state"] == "handled"
    client = as_user("grid_worker")
    closed = client.post(f"{API}/events/{number}/actions/verify_pass", {"photos": [upload()]}).json()
    assert closed["state"] == "closed"
    photo = closed["photos"][-1]
    got = client.get(f"{API}/events/{number}/photos/{photo['public_id']}")
    assert got.status_code == 200 and got.content == PNG and got["Cache-Control"] == "private, no-store"


def test_the_whistle_board_and_check_in(as_user):
    housing, water = department("210102", "housing"), department("210102", "water")
    client = as_user("community_worker")
    number = report(client).json()["number"]
    act(client, number, "register")
    whistled = client.post(
        f"{API}/events/{number}/actions/whistle", {"note": "多部门联合", "departments": [housing.pk, water.pk]}
    ).json()
    assert whistled["holder"] == "和平区住房和城乡建设局"
    board = client.get(f"{API}/whistles").json()
    assert [(r["department"], r["checked_in_at"]) for r in board[0]["responses"]] == [
        ("和平区住房和城乡建设局", None),
        ("和平区水务局", None),
    ]
    client = as_user("water_officer")
    checked = client.post(
        f"{API}/whistles/{board[0]['public_id']}/check-in", {"note": "到"}, content_type="application/json"
    )
    assert checked.status_code == 200 and checked.json()["checked_in_by_name"] == "water_officer"
    client = as_user("urban_officer")  # not summoned
    refused = client.post(f"{API}/whistles/{board[0]['public_id']}/check-in", {}, content_type="application/json")
    assert refused.status_code == 404


def test_supervision_rates_and_points(as_user):
    client = as_user("grid_worker")
    number = report(client).json()["number"]
    client = as_user("district_admin")
    issued = client.post(
        f"{API}/events/{number}/supervisions", {"level": 2, "note": "请加快立案"}, content_type="application/json"
    )
    assert issued.status_code == 201 and issued.json()["level"] == 2
    bad = client.post(f"{API}/events/{number}/supervisions", {"level": 7, "note": ""}, content_type="application/json")
    assert {f["field"] for f in bad.json()["error"]["fields"]} == {"level", "note"}
    client = as_user("community_worker")
    answered = client.post(
        f"{API}/supervisions/{issued.json()['id']}/answer", {"answer": "已立案"}, content_type="application/json"
    )
    assert answered.json()["answer"] == "已立案"
    client = as_user("district_admin")
    units = client.get(f"{API}/rates/units", {"parent": "210102"}).json()
    assert [(u["key"], u["total"]) for u in units] == [("210102001", 1)]
    points = client.get(f"{API}/map/points").json()
    assert [(p["number"], p["state"]) for p in points] == [(number, "reported")]
    client = as_user("other_district_admin")
    assert client.get(f"{API}/rates/units", {"parent": "210102"}).status_code == 404
    assert client.get(f"{API}/map/points").json() == []


def test_lists_use_a_fixed_number_of_queries(as_user, django_assert_max_num_queries):
    client = as_user("grid_worker")
    for n in range(3):
        report(client, description=f"问题{n}", not_duplicate="true")
    client = as_user("community_worker")
    with django_assert_max_num_queries(12):
        listed = client.get(f"{API}/events", {"queue": "to_register"}).json()
    assert listed["count"] == 3
    assert EventStep.objects.filter(action="report").count() == 3
