"""The desk over /api/v1/desk: public catalogue, lookup, intake with Idempotency-Key, queues,
steps with their refusals, the scope matrix, rectifications and figures."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache

from linli.service_desk.models import ServiceCase, ServiceItemVersion
from linli.service_desk.tests.conftest import QIAN_ID, ZHANG_ID
from linli.service_desk.tests.test_cases import DIBAO_COMPLETE, SEES_CASE

API = "/api/v1/desk"
WEDNESDAY = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def as_user(client, desk):
    def login(name):
        client.logout()
        if name != "anonymous":
            client.force_login(desk["users"][name])
        return client

    return login


def intake(client, id_number=ZHANG_ID, **extra):
    applicant = client.post(f"{API}/applicants/lookup", {"id_number": id_number}, content_type="application/json")
    assert applicant.status_code == 200, applicant.content
    body = {"item_code": "SQ001", "channel": "window", "applicant": applicant.json()["public_id"]}
    body |= {"checklist": DIBAO_COMPLETE} | extra
    return client.post(f"{API}/cases", body, content_type="application/json", **extra.pop("headers", {}))


def test_the_catalogue_and_guides_are_public(as_user):
    client = as_user("anonymous")
    listed = client.get(f"{API}/items", {"q": "最低生活保障"}).json()
    assert [i["code"] for i in listed["items"]] == ["SQ001", "SQ003"]
    guide = client.get(f"{API}/items/SQ007").json()
    assert guide["name"] == "高龄津贴申请" and guide["promised_days"] == 22 and guide["legal_days"] == 30
    assert [m["name"] for m in guide["materials"] if m["pool_held"]] == ["身份证、户口簿原件及复印件"]
    missing = client.get(f"{API}/items/NOPE")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


@time_machine.travel(WEDNESDAY, tick=False)
def test_intake_is_idempotent_and_shows_the_case_with_its_actions(as_user):
    client = as_user("community_worker")
    applicant = client.post(f"{API}/applicants/lookup", {"id_number": ZHANG_ID}, content_type="application/json")
    body = {"item_code": "SQ001", "channel": "window", "applicant": applicant.json()["public_id"]}
    body["checklist"] = DIBAO_COMPLETE
    first = client.post(f"{API}/cases", body, content_type="application/json", headers={"Idempotency-Key": "k1"})
    again = client.post(f"{API}/cases", body, content_type="application/json", headers={"Idempotency-Key": "k1"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert ServiceCase.objects.count() == 1
    case = first.json()
    assert case["number"] == "210102-20261125-00001" and case["state"] == "accepted"
    assert case["applicant_id_masked"].count("*") == 8 and ZHANG_ID not in first.content.decode()
    assert [e["action"] for e in case["timeline"]] == ["submit", "accept"]
    assert case["actions"] == ["withdraw"]  # the street decides; the window may only withdraw on request
    street = as_user("street_officer").get(f"{API}/cases/{case['number']}").json()
    assert street["actions"] == ["start_review"]


@time_machine.travel(WEDNESDAY, tick=False)
def test_refusals_name_the_field_in_the_request_language(as_user):
    client = as_user("community_worker")
    response = intake(client, checklist={"m1": "provided"})
    assert response.status_code == 422
    fields = {f["field"]: f["message"] for f in response.json()["error"]["fields"]}
    assert fields["checklist.m3"] == "缺少必要材料：家庭经济状况核对授权书"
    english = client.post(
        f"{API}/cases",
        {"item_code": "NOPE", "channel": "window"},
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )
    assert english.status_code == 422
    assert english.json()["error"]["fields"] == [{"field": "item_code", "message": "No such item in the catalogue"}]
    assert ServiceCase.objects.count() == 0


@time_machine.travel(WEDNESDAY, tick=False)
def test_a_step_from_the_wrong_state_is_a_409_and_an_unknown_action_a_404(as_user):
    number = intake(as_user("community_worker")).json()["number"]
    street = as_user("street_officer")
    wrong = street.post(
        f"{API}/cases/{number}/actions/decide", {"decision": "approved"}, content_type="application/json"
    )
    assert wrong.status_code == 409 and wrong.json()["error"]["code"] == "conflict"
    unknown = street.post(f"{API}/cases/{number}/actions/approve_all", {}, content_type="application/json")
    assert unknown.status_code == 404
    for key in ("nonsense", "210102-20991231-00001", "0190c0de-0000-7000-8000-000000000000"):
        assert street.get(f"{API}/cases/{key}").status_code == 404, key
    started = street.post(f"{API}/cases/{number}/actions/start_review", {}, content_type="application/json")
    assert started.status_code == 200 and started.json()["state"] == "in_review"
    no_reason = street.post(
        f"{API}/cases/{number}/actions/decide", {"decision": "denied"}, content_type="application/json"
    )
    assert no_reason.status_code == 422 and no_reason.json()["error"]["fields"][0]["field"] == "note"


@pytest.mark.parametrize(("name", "sees"), sorted(SEES_CASE.items()))
@time_machine.travel(WEDNESDAY, tick=False)
def test_case_scope_matrix_over_the_api(as_user, name, sees):
    number = intake(as_user("community_worker")).json()["number"]
    client = as_user(name)
    detail = client.get(f"{API}/cases/{number}")
    if name == "anonymous":
        assert detail.status_code == 401
        return
    assert detail.status_code == (200 if sees else 404)
    listed = [c["number"] for c in client.get(f"{API}/cases").json()["items"]]
    assert (number in listed) is sees


@time_machine.travel(WEDNESDAY, tick=False)
def test_a_resident_applies_online_and_sees_only_their_own_cases(as_user):
    resident = as_user("qian_resident")
    created = resident.post(
        f"{API}/cases",
        {"item_code": "SQ007", "channel": "online", "checklist": {"m2": "provided", "m4": "provided"}},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["state"] == "submitted" and created.json()["actions"] == ["withdraw"]
    assert [c["number"] for c in resident.get(f"{API}/cases").json()["items"]] == [created.json()["number"]]
    # a resident cannot use a staff channel, nor apply for someone else
    staff_channel = resident.post(
        f"{API}/cases", {"item_code": "SQ007", "channel": "window", "applicant": "x"}, content_type="application/json"
    )
    assert staff_channel.status_code == 403
    lookup = resident.post(f"{API}/applicants/lookup", {"id_number": ZHANG_ID}, content_type="application/json")
    assert lookup.status_code == 403


def test_catalogue_edits_make_versions_and_need_the_permission(as_user, desk):
    body = {
        "name": "高龄津贴申请",
        "deciding_level": "district",
        "department_kind": "civil_affairs",
        "promised_days": 10,
    }
    denied = as_user("community_worker").put(f"{API}/items/SQ007", body, content_type="application/json")
    assert denied.status_code == 403
    admin = as_user("city_admin")
    saved = admin.put(f"{API}/items/SQ007", body, content_type="application/json")
    assert saved.json() == {"code": "SQ007", "version": 2, "created": True}
    again = admin.put(f"{API}/items/SQ007", body, content_type="application/json")
    assert again.json() == {"code": "SQ007", "version": 2, "created": False}
    bad = admin.put(
        f"{API}/items/SQ099",
        body | {"deciding_level": "district", "department_kind": ""},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["error"]["fields"][0]["field"] == "department_kind"
    assert not ServiceItemVersion.objects.filter(item__code="SQ099").exists()
    assert admin.get(f"{API}/items/SQ007").json()["promised_days"] == 10


@time_machine.travel(WEDNESDAY, tick=False)
def test_a_case_keeps_the_item_version_it_started_with(as_user):
    number = intake(as_user("community_worker")).json()["number"]
    body = {"name": "最低生活保障审核确认", "deciding_level": "street", "promised_days": 5}
    assert as_user("city_admin").put(f"{API}/items/SQ001", body, content_type="application/json").status_code == 200
    case = as_user("community_worker").get(f"{API}/cases/{number}").json()
    assert case["item_version"] == 1 and case["item_name"] == "最低生活保障审核确认（低保申请）"


@time_machine.travel(WEDNESDAY, tick=False)
def test_figures_per_street_for_a_district_supervisor(as_user):
    client = as_user("community_worker")
    number = intake(client).json()["number"]
    street = as_user("street_officer")
    for action, body in [("start_review", {}), ("decide", {"decision": "approved", "note": "符合"})]:
        assert (
            street.post(f"{API}/cases/{number}/actions/{action}", body, content_type="application/json").status_code
            == 200
        )
    rows = as_user("district_admin").get(f"{API}/figures/210102000000").json()
    by_path = {r["path"]: r for r in rows}
    assert by_path["210102001"]["decided"] == 1 and by_path["210102001"]["on_time_rate"] == 1.0
    assert as_user("community_worker").get(f"{API}/figures/210102000000").status_code == 404
    assert as_user("other_district_admin").get(f"{API}/figures/210102000000").status_code == 404


@time_machine.travel(WEDNESDAY, tick=False)
def test_inbox_shows_the_applicants_notifications(as_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        number = intake(
            as_user("binhe_worker"),
            id_number=QIAN_ID,
            item_code="SQ005",
            checklist={"m1": "provided", "m3": "provided"},
        ).json()["number"]
    inbox = as_user("qian_resident").get("/api/v1/me/inbox").json()
    assert [m["kind"] for m in inbox] == ["accepted"] and number in inbox[0]["text"]
    english = as_user("qian_resident").get("/api/v1/me/inbox", headers={"Accept-Language": "en"}).json()
    assert english[0]["text"].startswith("Your application for")


def test_a_malformed_applicant_reference_is_a_clear_refusal(as_user):
    body = {"item_code": "SQ001", "channel": "window", "applicant": "not-a-uuid", "checklist": DIBAO_COMPLETE}
    refused = as_user("community_worker").post(f"{API}/cases", body, content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["error"]["fields"][0]["field"] == "applicant"
    assert ServiceCase.objects.count() == 0
