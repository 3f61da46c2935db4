"""The grid-event pages: report with the duplicate proposal, the event page's forms, the boards,
the resident's 随手拍 and rating, and 404s for people outside."""

import io

import pytest

from linli.grid_events.models import GridEvent, Response
from linli.grid_events.tests.conftest import PNG, SHUIYUANDI, department


@pytest.fixture
def as_user(client, grid):
    def login(name):
        client.logout()
        if name != "anonymous":
            client.force_login(grid["users"][name])
        return client

    return login


def upload(name="p.png", data=PNG):
    file = io.BytesIO(data)
    file.name = name
    return file


def staff_report(client, **extra):
    body = {
        "description": "垃圾箱满溢",
        "category": "E0102",
        "urgency": "normal",
        "lat": SHUIYUANDI[0],
        "lng": SHUIYUANDI[1],
        "photos": [upload()],
    } | extra
    return client.post("/staff/grid/report/", body)


def test_the_report_form_shows_duplicates_before_saving(as_user):
    client = as_user("grid_worker")
    page = client.get("/staff/grid/report/")
    assert page.status_code == 200 and "pick-map" in page.text and "1号楼" in page.text
    first = staff_report(client)
    number = GridEvent.objects.get().number
    assert first.status_code == 302 and first["Location"] == f"/staff/grid/events/{number}/"
    again = staff_report(client, description="又满了")
    assert again.status_code == 400 and number in again.text and 'name="not_duplicate"' in again.text
    assert GridEvent.objects.count() == 1
    anyway = staff_report(client, description="又满了", not_duplicate="on")
    assert anyway.status_code == 302 and GridEvent.objects.count() == 2


def test_a_bad_report_names_the_field(as_user):
    client = as_user("grid_worker")
    answer = staff_report(client, lat=31.2, lng=121.4, photos=[upload("x.gif", b"GIF89a....")])
    assert answer.status_code == 400
    assert "位置不在本市范围内" in answer.text and "不是 JPG" in answer.text
    assert GridEvent.objects.count() == 0


def test_the_event_page_offers_the_holders_steps_and_takes_them(as_user):
    client = as_user("grid_worker")
    staff_report(client)
    number = GridEvent.objects.get().number
    client = as_user("community_worker")
    page = client.get(f"/staff/grid/events/{number}/")
    assert page.status_code == 200 and 'data-action="register"' in page.text
    assert client.post(f"/staff/grid/events/{number}/step/register/", {"category": "E0102"}).status_code == 302
    housing, water = department("210102", "housing"), department("210102", "water")
    whistled = client.post(
        f"/staff/grid/events/{number}/step/whistle/",
        {"note": "联合处置", "department_id": water.pk, "departments": [housing.pk, water.pk]},
    )
    assert whistled.status_code == 302
    event = GridEvent.objects.get()
    assert event.holder_department_id == water.pk  # the lead chosen in the select, not the first box
    refused = client.post(f"/staff/grid/events/{number}/step/return/", {"note": "x"})
    # community staff see the event but may not return a department's task
    assert refused.status_code == 400 and "没有此操作的权限" in refused.text
    assert GridEvent.objects.get().state == "dispatched"
    client = as_user("housing_officer")
    board = client.get("/staff/grid/whistles/")
    response = Response.objects.get(department=housing)
    check_in = f"/staff/grid/whistles/{response.whistle.public_id}/check-in/"
    assert board.status_code == 200 and "和平区住房和城乡建设局" in board.text and board.text.count(check_in) == 1
    client.post(f"/staff/grid/whistles/{response.whistle.public_id}/check-in/", {"department": housing.pk})
    response.refresh_from_db()
    assert response.checked_in_by_name == "housing_officer"


def test_a_failed_step_keeps_the_page_and_says_why(as_user):
    client = as_user("grid_worker")
    staff_report(client)
    event = GridEvent.objects.get()
    client = as_user("community_worker")
    client.post(f"/staff/grid/events/{event.number}/step/register/", {"category": "E0102"})
    client.post(f"/staff/grid/events/{event.number}/step/self_handle/", {})
    client.post(f"/staff/grid/events/{event.number}/step/report_handled/", {"note": "清理完毕"})
    answer = client.post(f"/staff/grid/events/{event.number}/step/verify_pass/", {"note": "好"})
    assert answer.status_code == 400 and "核查须附现场照片" in answer.text
    event.refresh_from_db()
    assert event.state == "handled"


def test_supervision_lists_overdue_events_with_their_holder(as_user, clock):
    from datetime import timedelta

    staff_report(as_user("grid_worker"))
    clock.shift(timedelta(hours=3))  # past the registration limit
    page = as_user("district_admin").get("/staff/grid/supervision/")
    overdue = page.text.split("超期事件")[1].split("未回复的督办")[0]
    assert GridEvent.objects.get().number in overdue and "水源地社区" in overdue


def test_boards_and_the_outside_world(as_user):
    client = as_user("grid_worker")
    staff_report(client)
    number = GridEvent.objects.get().number
    client = as_user("district_admin")
    for url in ("/staff/grid/", "/staff/grid/supervision/", "/staff/grid/map/", "/staff/grid/whistles/"):
        assert client.get(url).status_code == 200, url
    supervision = client.get("/staff/grid/supervision/")
    assert "浑河湾街道" in supervision.text
    client = as_user("other_district_admin")
    assert client.get(f"/staff/grid/events/{number}/").status_code == 404
    client = as_user("resident")
    assert client.get("/staff/grid/").status_code == 404
    client = as_user("anonymous")
    assert client.get("/staff/grid/").status_code == 302


def test_resident_photo_report_progress_and_rating(as_user):
    client = as_user("resident")
    sent = client.post(
        "/report/",
        {
            "description": "小区门口路灯不亮",
            "urgency": "normal",
            "lat": SHUIYUANDI[0],
            "lng": SHUIYUANDI[1],
            "photos": [upload()],
        },
    )
    event = GridEvent.objects.get()
    assert sent.status_code == 302 and event.channel == "resident_photo"
    mine = client.get("/my/events/")
    assert event.number in mine.text
    page = client.get(f"/my/events/{event.number}/")
    assert "上报" in page.text and "step-rate" not in page.text
    client = as_user("community_worker")
    client.post(f"/staff/grid/events/{event.number}/step/register/", {"category": "C0118"})
    client.post(f"/staff/grid/events/{event.number}/step/self_handle/", {})
    client.post(f"/staff/grid/events/{event.number}/step/report_handled/", {"note": "已换灯泡"})
    client = as_user("grid_worker")
    client.post(f"/staff/grid/events/{event.number}/step/verify_pass/", {"photos": [upload()]})
    client = as_user("resident")
    page = client.get(f"/my/events/{event.number}/")
    assert "step-rate" in page.text
    rated = client.post(f"/my/events/{event.number}/rate/", {"score": "4", "note": "谢谢"})
    assert rated.status_code == 302
    event.refresh_from_db()
    assert (event.state, event.rating) == ("evaluated", 4)
    other = as_user("other_community_worker")
    assert other.get(f"/my/events/{event.number}/").status_code == 404


def test_the_city_edits_categories_and_a_district_routes_them(as_user):
    client = as_user("city_admin")
    listed = client.get("/staff/grid/categories/", {"q": "暴露垃圾"})
    assert listed.status_code == 200 and "E0102" in listed.text
    form = {
        "code": "E0102", "name": "", "major_name": "", "department_kind": "urban_management",
        "register_minutes": 20, "dispatch_minutes": 30, "accept_minutes": 60,
        "handle_minutes": 120, "handle_urgent_minutes": 60, "verify_minutes": 60, "is_active": "on",
    }  # fmt: skip
    assert client.post("/staff/grid/categories/E0102/", form).status_code == 302
    from linli.grid_events.models import CategoryRoute, EventCategory

    assert EventCategory.objects.get(code="E0102").register_minutes == 20
    bad = client.post("/staff/grid/categories/E0102/", form | {"handle_minutes": 0})
    assert bad.status_code == 400 and EventCategory.objects.get(code="E0102").handle_minutes == 120
    water = department("210102", "water")
    client = as_user("district_admin")
    refused = client.post("/staff/grid/categories/E0102/", form | {"register_minutes": 5})
    assert refused.status_code == 200 and EventCategory.objects.get(code="E0102").register_minutes == 20
    client.post("/staff/grid/categories/E0102/route/", {"district": "210102", "department_id": water.pk})
    assert CategoryRoute.objects.get(category__code="E0102").department == water
    assert as_user("other_district_admin").get("/staff/grid/categories/new/").status_code == 404
    client = as_user("city_admin")
    created = client.post("/staff/grid/categories/new/", form | {"code": "X01", "name": "共享单车乱停"})
    assert created.status_code == 302 and EventCategory.objects.get(code="X01").kind == "city"
    assert as_user("community_worker").get("/staff/grid/categories/").status_code == 404
