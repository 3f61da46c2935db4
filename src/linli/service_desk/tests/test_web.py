"""The desk's pages: the public catalogue, applying online, the intake wizard with its
one-time notice, the case page and its steps, queues, rectifications and figures — and the
same 404 for anyone outside the case's scope."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from linli.core.models import AuditEntry
from linli.service_desk.models import ServiceCase
from linli.service_desk.tests.conftest import ZHANG_ID

WEDNESDAY = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def as_user(client, desk):
    def login(name):
        client.logout()
        if name != "anonymous":
            client.force_login(desk["users"][name])
        return client

    return login


def test_catalogue_and_guide_are_public_and_apply_asks_residents_to_log_in(as_user):
    client = as_user("anonymous")
    page = client.get("/services/", {"q": "高龄"}).content.decode()
    # the name hit first; items found through a synonym (高龄 → 老年) follow it
    assert "高龄津贴申请" in page and page.index("高龄津贴申请") < page.index("老年人优待证")
    assert "最低生活保障" not in page
    guide = client.get("/services/SQ007/").content.decode()
    assert "22" in guide and "免提交" in guide and "民政" in guide
    apply = client.get("/services/SQ007/apply/")
    assert apply.status_code == 302 and apply["Location"].startswith("/login/")
    assert client.get("/services/NOPE/").status_code == 404


@time_machine.travel(WEDNESDAY, tick=False)
def test_a_resident_applies_online_and_follows_the_case(as_user):
    client = as_user("qian_resident")
    response = client.post("/services/SQ007/apply/", {"checklist.m2": "on", "checklist.m4": "on", "note": "请尽快"})
    case = ServiceCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/my/cases/{case.public_id}/"
    page = client.get(response["Location"]).content.decode()
    assert case.number in page and "已提交" in page and f"/my/cases/{case.public_id}/withdraw/" in page
    listing = client.get("/my/cases/").content.decode()
    assert case.number in listing
    # someone else's case is not theirs to see
    assert as_user("resident").get(f"/my/cases/{case.public_id}/").status_code == 404


@time_machine.travel(WEDNESDAY, tick=False)
def test_the_intake_wizard_looks_up_then_accepts_or_prints_the_notice(as_user):
    client = as_user("binhe_worker")  # 沈河区, serving 张 of 和平区
    assert client.get("/staff/desk/intake/item/").status_code == 302  # no applicant yet
    bad = client.post("/staff/desk/intake/", {"id_number": "123"})
    assert bad.status_code == 400 and "18" in bad.content.decode()
    found = client.post("/staff/desk/intake/", {"id_number": ZHANG_ID})
    assert found.status_code == 302 and AuditEntry.objects.filter(action="resident.applicant_lookup").count() == 1
    step_two = client.get("/staff/desk/intake/item/", {"item": "SQ001"}).content.decode()
    assert "张建国" in step_two and ZHANG_ID not in step_two and "家庭经济状况核对授权书" in step_two
    notice = client.post(
        "/staff/desk/intake/item/",
        {"item_code": "SQ001", "channel": "window", "checklist.m1": "provided", "notice": "1"},
    ).content.decode()
    assert "一次性告知" in notice and "家庭经济状况核对授权书" in notice and "收入、财产申报" in notice
    assert ServiceCase.objects.count() == 0
    missing = client.post(
        "/staff/desk/intake/item/", {"item_code": "SQ001", "channel": "window", "checklist.m1": "provided"}
    )
    assert missing.status_code == 400 and "缺少必要材料" in missing.content.decode()
    accepted = client.post(
        "/staff/desk/intake/item/",
        {
            "item_code": "SQ001",
            "channel": "window",
            "checklist.m1": "provided",
            "checklist.m3": "provided",
            "checklist.m4": "deferred",
            "deferred_until": "2026-12-01",
        },
    )
    case = ServiceCase.objects.get()
    assert accepted.status_code == 302 and accepted["Location"] == f"/staff/desk/cases/{case.public_id}/"
    page = client.get(accepted["Location"]).content.decode()
    assert case.number in page and "容缺" in page and "浑河湾街道" in page


@time_machine.travel(WEDNESDAY, tick=False)
def test_the_case_page_offers_the_steps_and_refuses_with_reasons(as_user):
    client = as_user("community_worker")
    client.post("/staff/desk/intake/", {"id_number": ZHANG_ID})
    client.post(
        "/staff/desk/intake/item/",
        {
            "item_code": "SQ001",
            "channel": "window",
            "checklist.m1": "provided",
            "checklist.m3": "provided",
            "checklist.m4": "provided",
        },
    )
    case = ServiceCase.objects.get()
    street = as_user("street_officer")
    page = street.get(f"/staff/desk/cases/{case.public_id}/").content.decode()
    assert "签收审核" in page
    assert street.post(f"/staff/desk/cases/{case.public_id}/step/start_review/").status_code == 302
    no_note = street.post(f"/staff/desk/cases/{case.public_id}/step/request_supplement/", {"note": ""})
    assert no_note.status_code == 400 and "请写明需要补正的材料" in no_note.content.decode()
    wrong = street.post(f"/staff/desk/cases/{case.public_id}/step/start_review/")
    assert wrong.status_code == 400 and "不能执行" in wrong.content.decode()
    for outsider in ("other_community_worker", "binhe_worker", "qian_resident", "anonymous"):
        response = as_user(outsider).get(f"/staff/desk/cases/{case.public_id}/")
        assert response.status_code in ((302,) if outsider == "anonymous" else (404,)), outsider


@time_machine.travel(WEDNESDAY, tick=False)
def test_queues_rectifications_and_figures_render_for_their_people(as_user):
    assert as_user("community_worker").get("/staff/desk/", {"queue": "overdue"}).status_code == 200
    assert as_user("community_worker").get("/staff/desk/rectifications/").status_code == 200
    assert as_user("district_admin").get("/staff/desk/figures/").status_code == 200
    assert as_user("community_worker").get("/staff/desk/figures/").status_code == 404
    assert as_user("resident").get("/staff/desk/").status_code == 404


def test_an_admin_edits_an_item_into_a_new_version_and_marks_materials(as_user):
    admin = as_user("city_admin")
    page = admin.get("/staff/desk/catalogue/SQ009/").content.decode()
    assert "身份证 | 免提交" in page
    body = {
        "name": "老年人优待证办理",
        "item_type": "20",
        "deciding_level": "district",
        "department_kind": "civil_affairs",
        "promised_days": "3",
        "channels": ["window", "online"],
        "citywide": "on",
        "materials_text": "身份证 | 免提交\n照片 | 容缺\n户口簿 | 可选 | 魔法",
        "retention_years": "10",
    }
    bad = admin.post("/staff/desk/catalogue/SQ009/", body)
    assert bad.status_code == 400 and "魔法" in bad.content.decode()
    body["materials_text"] = "身份证 | 免提交\n照片 | 容缺\n户口簿 | 可选"
    saved = admin.post("/staff/desk/catalogue/SQ009/", body)
    assert saved.status_code == 302
    guide = as_user("anonymous").get("/api/v1/desk/items/SQ009").json()
    assert guide["version"] == 2 and guide["promised_days"] == 3 and guide["channels"] == ["window", "online"]
    # the photo keeps its key m2; the new material gets the next free one
    assert [(m["key"], m["name"], m["required"]) for m in guide["materials"]] == [
        ("m1", "身份证", True),
        ("m2", "照片", True),
        ("m3", "户口簿", False),
    ]
    assert as_user("community_worker").get("/staff/desk/catalogue/SQ009/").status_code == 404


@time_machine.travel(WEDNESDAY, tick=False)
def test_the_sms_link_rates_once_without_logging_in(as_user, desk):
    from linli.residents.services import applicant_lookup
    from linli.service_desk.services import rating_link
    from linli.service_desk.tests.test_cases import step, window_intake

    worker, street = desk["actors"]["community_worker"], desk["actors"]["street_officer"]
    case = window_intake(worker, applicant_lookup(actor=worker, id_number=ZHANG_ID, purpose="受理").public_id)
    link = rating_link(case)
    client = as_user("anonymous")
    early = client.post(link, {"score": "5"})
    assert early.status_code == 400 and ServiceCase.objects.get().state == "accepted"
    case = step(street, case, "start_review")
    case = step(street, case, "decide", decision="approved", note="符合")
    case = step(worker, case, "deliver", delivery_method="pickup")
    assert client.post(link, {"score": "9"}).status_code == 400
    assert client.post(link, {"score": "1", "note": "太慢"}).status_code == 200
    case.refresh_from_db()
    assert case.state == "rated" and case.rating.channel == "sms" and case.rating.score == 1
    assert case.rectifications.count() == 1
    assert "already" in client.get(link).content.decode() or "已" in client.get(link).content.decode()
    assert client.get(link[:-3] + "xx/").status_code == 404


@time_machine.travel(WEDNESDAY, tick=False)
def test_a_resident_sends_a_photo_and_the_window_opens_it(as_user, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.DATA_DIR = tmp_path
    resident = as_user("qian_resident")
    resident.post("/services/SQ007/apply/", {"checklist.m2": "on", "checklist.m4": "on"})
    case = ServiceCase.objects.get()
    photo = SimpleUploadedFile("银行卡.jpg", b"\xff\xd8\xff\xe0" + b"0" * 100, content_type="image/jpeg")
    sent = resident.post(f"/my/cases/{case.public_id}/materials/", {"material_key": "m2", "file": photo})
    assert sent.status_code == 302
    page = resident.get(f"/my/cases/{case.public_id}/").content.decode()
    assert "银行卡.jpg" in page and "照片已收到" in page
    wrong = SimpleUploadedFile("x.jpg", b"GIF89a", content_type="image/jpeg")
    resident.post(f"/my/cases/{case.public_id}/materials/", {"material_key": "m2", "file": wrong})
    assert "只接受 JPG、PNG 或 PDF 文件" in resident.get(f"/my/cases/{case.public_id}/").content.decode()
    window = as_user("binhe_worker")
    material = case.materials.get()
    opened = window.get(f"/staff/desk/cases/{case.public_id}/materials/{material.public_id}/")
    assert (
        opened.status_code == 200 and opened["Content-Type"] == "image/jpeg" and opened.content.startswith(b"\xff\xd8")
    )
    assert (
        as_user("community_worker")
        .get(f"/staff/desk/cases/{case.public_id}/materials/{material.public_id}/")
        .status_code
        == 404
    )


@time_machine.travel(WEDNESDAY, tick=False)
def test_a_notification_link_opens_the_right_page_for_each_reader(as_user):
    as_user("qian_resident").post("/services/SQ007/apply/", {"checklist.m2": "on"})
    case = ServiceCase.objects.get()
    link = f"/cases/{case.public_id}/"
    assert as_user("qian_resident").get(link)["Location"] == f"/my/cases/{case.public_id}/"
    assert as_user("binhe_worker").get(link)["Location"] == f"/staff/desk/cases/{case.public_id}/"
    assert as_user("community_worker").get(link).status_code == 404


@time_machine.travel(WEDNESDAY, tick=False)
def test_the_window_checks_an_online_applications_materials_when_accepting(as_user):
    as_user("qian_resident").post("/services/SQ007/apply/", {"checklist.m2": "on"})  # photo and form missing
    case = ServiceCase.objects.get()
    window = as_user("binhe_worker")
    page = window.get(f"/staff/desk/cases/{case.public_id}/").content.decode()
    assert 'name="checklist.m3"' in page and 'name="checklist.m4"' in page
    refused = window.post(f"/staff/desk/cases/{case.public_id}/step/accept/", {})
    assert refused.status_code == 400 and "缺少必要材料" in refused.content.decode()
    accepted = window.post(
        f"/staff/desk/cases/{case.public_id}/step/accept/",
        {"checklist.m3": "deferred", "checklist.m4": "provided", "deferred_until": "2026-12-01"},
    )
    assert accepted.status_code == 302
    case.refresh_from_db()
    assert case.state == "accepted" and case.checklist["m3"] == "deferred" and str(case.deferred_until) == "2026-12-01"
