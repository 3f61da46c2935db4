"""Entitlements' pages as each role: the list (read by care staff, edited by the city only), an
item's form with field errors, publishing; the assessment on a phone; the elder's page (scoped);
the resident's "what we are entitled to"; query counts pinned on the list pages."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from linli.care.models import CareAssessment, FamilyLink, ServiceItem, ServiceList
from linli.care.selectors.entitlements import list_in_force
from linli.care.services.entitlements import assessment_record
from linli.care.tests import entitlements_support as support
from linli.care.tests.entitlements_support import HUNHEWAN, SHUIYUANDI, TODAY, answers_for, elder
from linli.core.models import AuditEntry
from linli.testing import log_in

pytestmark = pytest.mark.django_db
clock, city_officer = support.clock, support.city_officer  # the support module's fixtures


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("community_worker", 200),
        ("street_officer", 200),
        ("civil_affairs_officer", 200),
        ("city_civil_affairs", 200),
        ("resident", 404),
        ("district_admin", 404),
        ("grid_worker", 404),
    ],
)
def test_who_reads_the_list(client, people, city_officer, clock, username, status):
    log_in(client, username)
    response = client.get("/staff/care/list/")
    assert response.status_code == status
    if status == 200:
        assert "助餐（送餐上门）" in text(response)
        assert ("起草新版本" in text(response) or "New version" in text(response)) == (username == "city_civil_affairs")


def test_anonymous_is_sent_to_log_in(client, tree):
    assert client.get("/staff/care/list/").status_code == 302
    assert client.get("/my/care/entitled/").status_code == 302


def test_the_list_page_runs_in_few_queries(client, people, clock, django_assert_max_num_queries):
    log_in(client, "community_worker")
    with django_assert_max_num_queries(14):
        assert client.get("/staff/care/list/").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get("/staff/care/list/1/").status_code == 200


def test_the_city_drafts_edits_and_publishes(client, people, city_officer, clock):
    log_in(client, "city_civil_affairs")
    response = client.post("/staff/care/list/new/")
    assert response.status_code == 302 and response["Location"] == "/staff/care/list/2/"
    form = client.get("/staff/care/list/2/items/ZC01/")
    assert form.status_code == 200 and 'name="c0-subsidy_share"' in text(form)
    body = {
        "code": "ZC01",
        "name": "助餐（送餐上门）",
        "name_en": "Meals delivered home",
        "category": "meals",
        "unit": "餐",
        "unit_en": "meal",
        "unit_price": "abc",
        "duration_minutes": "15",
        "monthly_cap": "30",
        "own_cost_allowed": "on",
        "rows": "2",
        "c0-min_age": "80",
        "c0-subsidy_share": "50",
        "c1-min_age": "60",
        "c1-care_kinds": ["tekun", "dibao"],
        "c1-subsidy_share": "100",
    }
    bad = client.post("/staff/care/list/2/items/ZC01/", body)
    assert bad.status_code == 400
    assert "单价应为不小于 0 的金额" in text(bad)
    assert ServiceItem.objects.get(service_list__version=2, code="ZC01").unit_price == Decimal("15.00")
    good = client.post("/staff/care/list/2/items/ZC01/", body | {"unit_price": "16.50"})
    assert good.status_code == 302
    saved = ServiceItem.objects.get(service_list__version=2, code="ZC01")
    assert (saved.unit_price, saved.conditions) == (
        Decimal("16.50"),
        [{"subsidy_share": 50, "min_age": 80}, {"subsidy_share": 100, "min_age": 60, "care_kinds": ["dibao", "tekun"]}],
    )
    refused = client.post("/staff/care/list/2/publish/", {"effective_from": "", "document": "", "reason": ""})
    assert refused.status_code == 400 and "请填写发文文号" in text(refused)
    assert ServiceList.objects.get(version=2).published_at is None
    published = client.post(
        "/staff/care/list/2/publish/",
        {"effective_from": TODAY.isoformat(), "document": "沈民发〔2026〕12号", "reason": "助餐调价"},
    )
    assert published.status_code == 302
    assert list_in_force(TODAY).version == 2
    assert client.get("/staff/care/list/2/items/ZC01/").status_code == 200
    again = client.post("/staff/care/list/2/items/ZC01/", body | {"unit_price": "99"})
    assert again.status_code == 400
    assert ServiceItem.objects.get(service_list__version=2, code="ZC01").unit_price == Decimal("16.50")


def test_a_district_officer_cannot_edit(client, people, clock):
    log_in(client, "civil_affairs_officer")
    assert client.post("/staff/care/list/new/").status_code == 302
    assert ServiceList.objects.count() == 1
    log_in(client, "community_worker")
    assert client.post("/staff/care/list/new/").status_code == 404
    assert ServiceList.objects.count() == 1


def test_a_worker_assesses_an_elder_and_the_entitlements_change(client, people, clock):
    mother = elder(SHUIYUANDI, "101", "王秀英", 72)
    log_in(client, "community_worker")
    found = client.get("/staff/care/assessments/new/", {"q": "王秀英"})
    assert f"?person={mother.public_id}" in text(found)
    page = client.get(f"/staff/care/elders/{mother.public_id}/")
    assert "未评估" in text(page) or "Not assessed" in text(page)
    answers = answers_for(50)
    missing = {k: v for k, v in answers.items() if k != "bathing"}
    bad = client.post(
        f"/staff/care/assessments/new/?person={mother.public_id}",
        missing | {"assessed_on": TODAY.isoformat(), "second_assessor_name": "李娟"},
    )
    assert bad.status_code == 400 and "请回答“洗澡”" in text(bad)
    assert CareAssessment.objects.count() == 0
    done = client.post(
        f"/staff/care/assessments/new/?person={mother.public_id}",
        answers | {"assessed_on": TODAY.isoformat(), "second_assessor_name": "李娟"},
    )
    assert done.status_code == 302 and done["Location"] == f"/staff/care/elders/{mother.public_id}/"
    page = text(client.get(done["Location"]))
    assert "中度失能" in page
    assert "70%" in page


def test_the_elder_page_by_role_and_scope(client, people, clock):
    mother = elder(SHUIYUANDI, "101", "王秀英", 82)
    for username, status in [
        ("community_worker", 200),
        ("street_officer", 200),
        ("other_community_worker", 404),
        ("resident", 404),
        ("district_admin", 404),
    ]:
        log_in(client, username)
        assert client.get(f"/staff/care/elders/{mother.public_id}/").status_code == status, username
    assert client.get("/staff/care/elders/not-a-uuid/").status_code == 404


def test_the_elder_page_runs_in_few_queries(client, people, clock, django_assert_max_num_queries):
    mother = elder(SHUIYUANDI, "101", "王秀英", 82)
    log_in(client, "community_worker")
    with django_assert_max_num_queries(18):
        assert client.get(f"/staff/care/elders/{mother.public_id}/").status_code == 200


def test_reading_answers_on_the_page_needs_a_reason(client, people, actors, clock):
    mother = elder(SHUIYUANDI, "101", "王秀英", 82)
    assessment = assessment_record(
        actor=actors["community_worker"],
        person_ref=mother.public_id,
        answers=answers_for(60),
        assessed_on=TODAY,
        second_assessor_name="李娟",
    )
    log_in(client, "community_worker")
    url = f"/staff/care/assessments/{assessment.public_id}/"
    page = text(client.get(url))
    assert "洗澡" not in page
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400 and "请填写查看理由" in text(refused)
    assert not AuditEntry.objects.filter(action="care.assessment.revealed").exists()
    shown = text(client.post(url, {"reason": "复核等级"}))
    assert "洗澡" in shown
    assert AuditEntry.objects.filter(action="care.assessment.revealed", reason="复核等级").count() == 1
    log_in(client, "other_community_worker")
    assert client.get(url).status_code == 404


def test_the_due_list(client, people, actors, clock):
    mother = elder(SHUIYUANDI, "101", "王秀英", 82)
    assessment_record(
        actor=actors["community_worker"],
        person_ref=mother.public_id,
        answers=answers_for(60),
        assessed_on=TODAY - dt.timedelta(days=350),
        second_assessor_name="李娟",
    )
    log_in(client, "community_worker")
    assert "王秀英" in text(client.get("/staff/care/assessments/"))
    log_in(client, "other_community_worker")
    assert "王秀英" not in text(client.get("/staff/care/assessments/"))
    log_in(client, "civil_affairs_officer")
    assert client.get("/staff/care/assessments/").status_code == 200


def test_the_resident_sees_what_the_people_they_care_for_are_entitled_to(client, people, actors, clock):
    elder(HUNHEWAN, "201", "陈建国", 40, user=people["resident"])
    mother = elder(SHUIYUANDI, "101", "王秀英", 82, kinds=["elderly_alone"])
    FamilyLink.objects.create(
        user=people["resident"],
        person_ref=mother.public_id,
        relation="child",
        path=mother.path,
        how="window",
        linked_at=support.NOW,
        linked_by_name="community_worker",
    )
    log_in(client, "resident")
    page = text(client.get("/my/care/entitled/"))
    assert "王秀英" in page and "陈建国" in page
    assert "政府补贴 50%，您付 ¥40.00/次，本月还可用 4 次" in page


def test_the_resident_tile(client, people, clock):
    log_in(client, "resident")
    assert "/my/care/entitled/" in text(client.get("/my/care/"))
