# ruff: noqa: F811 (the stage's fixtures are imported from children_support)
"""Children's pages and API: the role × scope matrix (anonymous, resident, other community,
in community, street, sibling street, district), the restricted case's 404 for everyone but
CARE_PROTECT holders of the area (pages and API), forms that refuse bad input and save nothing,
pinned query counts on the list pages."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from linli.accounts.selectors import actor_for_user
from linli.care.models import ChildVisit, HarmReport
from linli.care.services import children as svc
from linli.care.tests.children_support import (  # noqa: F401 (fixtures)
    TODAY,
    clock,
    other_street_officer,
    world,
)
from linli.core.models import AuditEntry
from linli.testing import log_in

pytestmark = pytest.mark.django_db

SEEN = "孩子脸上有伤，说晚上不敢回家。"


def _get(client, username, url):
    if username:
        log_in(client, username)
    return client.get(url)


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("", 302),
        ("resident", 404),
        ("district_admin", 404),
        ("other_community_worker", 200),
        ("community_worker", 200),
        ("street_officer", 200),
    ],
)
def test_list_page_matrix(client, world, username, status):
    response = _get(client, username, reverse("portal:care:children-list"))
    assert response.status_code == status
    if status == 200:
        names = "王小明" in response.content.decode()
        assert names == (username in ("community_worker", "street_officer"))


@pytest.mark.parametrize(
    ("username", "status"),
    [("", 302), ("resident", 404), ("other_community_worker", 404), ("community_worker", 200), ("street_officer", 200)],
)
def test_child_page_matrix(client, world, username, status):
    assert _get(client, username, reverse("portal:care:children-child", args=[world.xiaoming])).status_code == status


def test_other_street_officer_gets_404_for_the_child(client, world, other_street_officer):
    log_in(client, "other_street_officer")
    assert client.get(reverse("portal:care:children-child", args=[world.xiaoming])).status_code == 404


def test_list_page_query_count_is_pinned(client, world, django_assert_num_queries):
    log_in(client, "street_officer")
    url = reverse("portal:care:children-list")
    client.get(url)
    with django_assert_num_queries(11):
        assert client.get(url).status_code == 200
    worker = actor_for_user(get_user_model().objects.get(username="community_worker"))
    svc.child_visit_record(
        actor=worker, child_ref=world.xiaoming, data=svc.VisitInput(TODAY, True, True, "good", "good", "good")
    )
    with django_assert_num_queries(11):
        assert client.get(url).status_code == 200


def test_a_visit_from_the_phone_form(client, world):
    log_in(client, "community_worker")
    url = reverse("portal:care:children-visit", args=[world.xiaoming])
    bad = client.post(url, {"visited_on": "", "saw_child": "1", "guardian_present": "0", "school": "good"})
    assert bad.status_code == 422 and ChildVisit.objects.count() == 0
    good = {
        "visited_on": TODAY.isoformat(),
        "saw_child": "1",
        "guardian_present": "0",
        "school": "good",
        "health": "concern",
        "safety": "good",
        "needs": "需要课业辅导",
    }
    assert client.post(url, good).status_code == 302
    assert ChildVisit.objects.get().health == "concern"
    page = client.get(reverse("portal:care:children-child", args=[world.xiaoming])).content.decode()
    assert "需要课业辅导" in page
    log_in(client, "other_community_worker")
    assert client.post(url, good).status_code == 404
    assert ChildVisit.objects.count() == 1


def test_the_visit_day_is_filled_in_as_a_date_input_reads_it(client, world):
    """zh-hans writes dates 2026/12/07, which a date input drops: the day would post empty."""
    log_in(client, "community_worker")
    page = client.get(reverse("portal:care:children-child", args=[world.xiaoming])).content.decode()
    assert f'name="visited_on" value="{timezone.localdate().isoformat()}"' in page


def test_the_harm_journey_on_pages(client, world, other_street_officer):
    log_in(client, "community_worker")
    response = client.post(reverse("portal:care:children-report"), {"child": world.xiaoming, "seen": SEEN})
    report = HarmReport.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "portal:care:children-receipt", args=[report.receipt]
    )
    receipt = client.get(response.url).content.decode()
    assert report.receipt in receipt and SEEN not in receipt
    case_url = reverse("portal:care:children-harm-case", args=[report.public_id])
    # the reporter, another community's worker, a resident and a sibling street's officer: 404
    for username in ("community_worker", "other_community_worker", "resident", "other_street_officer"):
        log_in(client, username)
        assert client.get(case_url).status_code == 404
        assert client.post(case_url, {"reason": "了解情况"}).status_code == 404
        listed = client.get(reverse("portal:care:children-harm-cases"))
        assert listed.status_code == (200 if username == "other_street_officer" else 404)
        assert report.receipt not in listed.content.decode()
    assert SEEN not in client.get(reverse("portal:care:children-list")).content.decode()
    log_in(client, "other_community_worker")
    assert client.get(reverse("portal:care:children-receipt", args=[report.receipt])).status_code == 404
    assert not AuditEntry.objects.filter(action="care.harm_read").exists()
    log_in(client, "street_officer")
    listed = client.get(reverse("portal:care:children-harm-cases")).content.decode()
    assert report.receipt in listed and SEEN not in listed
    first = client.get(case_url).content.decode()
    assert SEEN not in first
    assert client.post(case_url, {"reason": ""}).status_code == 422
    read = client.post(case_url, {"reason": "核实情况并处置"}).content.decode()
    assert SEEN in read and "王小明" in read
    act = reverse("portal:care:children-harm-act", args=[report.public_id])
    done = client.post(act, {"kind": "police", "note": "已报警，派出所已受理", "read_reason": "记录处置"})
    assert done.status_code == 200 and "已报警，派出所已受理" in done.content.decode()
    assert AuditEntry.objects.filter(action="care.harm_read").count() == 2


def test_the_api_hides_the_case_from_all_but_care_protect(client, world, other_street_officer):
    log_in(client, "community_worker")
    created = client.post(
        "/api/v1/care/children/harm-reports",
        {"child": world.xiaoming, "seen": SEEN},
        content_type="application/json",
        headers={"Idempotency-Key": "harm-1"},
    )
    assert created.status_code == 201 and set(created.json()) == {"receipt", "filed_at", "received"}
    again = client.post(
        "/api/v1/care/children/harm-reports",
        {"child": world.xiaoming, "seen": SEEN},
        content_type="application/json",
        headers={"Idempotency-Key": "harm-1"},
    )
    assert again.json()["receipt"] == created.json()["receipt"] and HarmReport.objects.count() == 1
    case = HarmReport.objects.get()
    read_url = f"/api/v1/care/children/harm-cases/{case.public_id}/read"
    for username in ("community_worker", "other_community_worker", "resident", "other_street_officer"):
        log_in(client, username)
        assert client.get("/api/v1/care/children/harm-cases").json()["count"] == 0
        assert client.post(read_url, {"reason": "了解情况"}, content_type="application/json").status_code == 404
    log_in(client, "street_officer")
    read = client.post(read_url, {"reason": "核实情况"}, content_type="application/json")
    assert read.status_code == 200 and read.json()["seen"] == SEEN


def test_the_api_lists_and_records_visits(client, world, django_assert_num_queries):
    log_in(client, "community_worker")
    with django_assert_num_queries(10):
        listed = client.get("/api/v1/care/children")
    assert [c["name"] for c in listed.json()["items"]] == ["李小红", "王小明"]
    url = f"/api/v1/care/children/{world.xiaoming}/visits"
    bad = client.post(
        url,
        {
            "visited_on": "2026-12-08",
            "saw_child": True,
            "guardian_present": True,
            "school": "good",
            "health": "x",
            "safety": "good",
        },
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert [f["field"] for f in bad.json()["error"]["fields"]] == ["visited_on", "health"]
    ok = client.post(
        url,
        {
            "visited_on": TODAY.isoformat(),
            "saw_child": True,
            "guardian_present": True,
            "school": "good",
            "health": "good",
            "safety": "good",
        },
        content_type="application/json",
    )
    assert ok.status_code == 201
    assert client.get("/api/v1/care/children/coverage").json()["visited"] == 1
    log_in(client, "resident")
    assert client.get("/api/v1/care/children").json()["count"] == 0


@pytest.mark.parametrize("username", ["community_worker", "street_officer"])
def test_figure_pages_open(client, world, username):
    log_in(client, username)
    for name in ("children-coverage", "children-directors", "children-facilities", "children-rules", "children-report"):
        assert client.get(reverse(f"portal:care:{name}")).status_code == 200
    assert client.get(reverse("portal:care:children-facility", args=[world.home])).status_code == 200
