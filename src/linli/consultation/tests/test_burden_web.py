# ruff: noqa: F811 (the stage's fixtures are imported from burden_support)
"""Stage burden's pages and API: who opens what (role × scope), query counts on list pages and
endpoints, forms keep input on error, masked names only, the public lists without log-in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from linli.consultation.models import Certificate, TaskEntryRequest
from linli.consultation.services import burden as svc
from linli.consultation.tests.burden_support import (  # noqa: F401 (fixtures)
    DISTRICT,
    SHUIYUANDI,
    TODAY,
    clock,
    filed,
    issue_input,
    kind,
    zhang,
)
from linli.testing import log_in

pytestmark = pytest.mark.django_db
LISTS = "portal:consultation:burden-lists"
CERTS = "portal:consultation:burden-certificates"
REQUESTS = "portal:consultation:burden-requests"
FIGURES = "portal:consultation:burden-figures"


@pytest.fixture
def issued(actors, kind, zhang):
    return svc.certificate_issue(
        actor=actors["community_worker"], data=issue_input(kind.pk, subject_ref=str(zhang.public_id))
    )


@pytest.mark.parametrize(
    ("who", "lists", "certs", "requests", "figures"),
    [
        ("resident", 404, 404, 404, 404),
        ("grid_worker", 404, 404, 404, 404),
        ("community_worker", 200, 200, 404, 404),
        ("department_officer", 200, 404, 200, 404),
        ("district_admin", 200, 404, 200, 200),
        ("city_admin", 200, 404, 200, 200),
    ],
)
def test_who_opens_which_page(client, people, clock, who, lists, certs, requests, figures):
    log_in(client, who)
    codes = [client.get(reverse(name)).status_code for name in (LISTS, CERTS, REQUESTS, FIGURES)]
    assert codes == [lists, certs, requests, figures]


def test_anonymous_is_sent_to_log_in(client, tree):
    assert client.get(reverse(CERTS)).status_code == 302


def test_the_issued_list_shows_masked_names_only_in_scope(client, issued, django_assert_num_queries):
    log_in(client, "community_worker")
    client.get(reverse(CERTS))
    with django_assert_num_queries(4):
        page = client.get(reverse(CERTS))
    html = page.content.decode()
    assert "张*国" in html and "张建国" not in html and issued.number in html
    log_in(client, "other_community_worker")
    assert issued.number not in client.get(reverse(CERTS)).content.decode()
    url = reverse("portal:consultation:burden-certificate", args=[issued.public_id])
    assert client.get(url).status_code == 404


def test_issuing_on_the_page_keeps_the_input_when_refused(client, people, kind, clock):
    log_in(client, "community_worker")
    url = reverse("portal:consultation:burden-certificate-new")
    page = client.post(url, {"path": SHUIYUANDI, "kind_id": kind.pk, "subject_name": "王小明", "purpose": ""})
    assert page.status_code == 422
    assert 'value="王小明"' in page.content.decode()
    assert Certificate.objects.count() == 0
    done = client.post(url, {"path": SHUIYUANDI, "kind_id": kind.pk, "subject_name": "王小明", "purpose": "居住证"})
    made = Certificate.objects.get()
    assert done.status_code == 302 and made.subject_shown == "王*明"
    printable = client.get(reverse("portal:consultation:burden-certificate", args=[made.public_id]))
    assert "居住证明" in printable.content.decode() and "王小明" not in printable.content.decode()


def test_voiding_asks_for_confirmation(client, people, issued):
    log_in(client, "community_worker")
    url = reverse("portal:consultation:burden-certificate-void", args=[issued.public_id])
    assert client.post(url, {"reason": "填错"}).status_code == 422
    assert Certificate.objects.get(pk=issued.pk).voided_at is None
    assert client.post(url, {"reason": "填错", "confirm": "on"}).status_code == 302
    assert Certificate.objects.get(pk=issued.pk).void_reason == "填错"


def test_a_department_sees_only_its_own_requests(client, actors, clock, django_assert_num_queries):
    mine = filed(actors["department_officer"])
    log_in(client, "department_officer")
    client.get(reverse(REQUESTS))
    with django_assert_num_queries(4):
        page = client.get(reverse(REQUESTS))
    assert mine.number in page.content.decode()
    log_in(client, "other_district_admin")
    assert client.get(reverse("portal:consultation:burden-request", args=[mine.public_id])).status_code == 404


def test_the_district_decides_on_the_page_with_confirmation(client, actors, clock):
    entry = filed(actors["department_officer"])
    log_in(client, "district_admin")
    url = reverse("portal:consultation:burden-request", args=[entry.public_id])
    assert client.post(url, {"decision": "refuse", "reason": "无依据"}).status_code == 422
    assert TaskEntryRequest.objects.get(pk=entry.pk).state == "submitted"
    assert client.post(url, {"decision": "refuse", "reason": "无依据", "confirm": "on"}).status_code == 302
    assert TaskEntryRequest.objects.get(pk=entry.pk).state == "refused"
    figures = client.get(reverse(FIGURES)).content.decode()
    assert "民政" in figures and "burden-refusals" in figures


def test_a_request_without_funds_is_refused_on_the_page(client, actors, clock):
    log_in(client, "department_officer")
    department = next(iter(actors["department_officer"].department_ids))
    data = {"department_id": department, "title": "入户调查", "legal_basis": "x", "work": "y", "funds_source": "z"}
    page = client.post(reverse("portal:consultation:burden-request-new"), data)
    assert page.status_code == 422 and "费随事转" in page.content.decode()
    assert TaskEntryRequest.objects.count() == 0


def test_the_public_lists_need_no_log_in(client, kind, django_assert_num_queries):
    url = reverse("portal:board:burden-public", args=[DISTRICT])
    client.get(url)
    with django_assert_num_queries(3):
        page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "居住证明" in html and "亲属关系证明" in html
    assert client.get(reverse("portal:board:burden-public", args=["219999"])).status_code == 404


def test_the_api_lists_and_certificates(client, issued, django_assert_num_queries):
    lists = client.get(f"/api/v1/consultation/burden-lists/{DISTRICT}").json()
    assert [k["name"] for k in lists["certificates"]] == [
        "家庭困难情况说明（申请临时救助）",
        "居住证明",
        "居住证明（办理居住证）",
    ]
    log_in(client, "community_worker")
    client.get("/api/v1/consultation/burden-certificates")
    with django_assert_num_queries(4):
        rows = client.get("/api/v1/consultation/burden-certificates").json()["items"]
    assert [(r["number"], r["subject"]) for r in rows] == [(issued.number, "张*国")]
    log_in(client, "department_officer")
    assert client.get("/api/v1/consultation/burden-certificates").json()["items"] == []


def test_the_api_refuses_an_unlisted_certificate(client, actors, kind, clock):
    log_in(client, "community_worker")
    body = {"path": SHUIYUANDI, "kind_id": 999999, "purpose": "x", "subject_name": "王小明"}
    answer = client.post("/api/v1/consultation/burden-certificates", body, content_type="application/json")
    assert answer.status_code == 422
    assert Certificate.objects.count() == 0


def test_the_workbench_shows_the_district_what_awaits(actors, clock):
    from linli.consultation.workbench.burden import burden_today

    filed(actors["department_officer"])
    section = burden_today(actors["district_admin"], TODAY)
    assert section is not None
    assert [(c.key, c.count) for c in section.counts] == [("burden.awaiting", 1)]
    assert burden_today(actors["community_worker"], TODAY) is None
