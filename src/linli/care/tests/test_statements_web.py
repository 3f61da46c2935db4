"""Statements' pages as each role: beds (register on a phone, end), provider figures, statements
(the refusal of an unverified visit, approve, pay, exports) and the provider's read-only pages;
the role × scope matrix and pinned query counts on the list pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from linli.care.domain.orders import VisitState
from linli.care.domain.statements import StatementState
from linli.care.models import CareBed, Statement
from linli.care.services.statements import BedInput, bed_register, statement_approve, statement_generate
from linli.care.tests.statements_support import NOVEMBER, NOW, statement_care, visit
from linli.core.models import AuditEntry
from linli.testing import log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def sc(tree, people):
    with time_machine.travel(NOW, tick=False):
        yield statement_care(tree, people)


def _statement(sc, approved=False):
    officer = sc["actors"]["street_officer"]
    visit(sc, day=3)
    visit(sc, day=4)
    statement = statement_generate(actor=officer, provider=sc["provider"], month=NOVEMBER)
    if approved:
        statement = statement_approve(actor=officer, statement=statement, reason="核对无误", confirmed=True)
    return statement


STAFF_PAGES = ["statements-beds", "statements-figures", "statements-list"]


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("resident", {"statements-beds": 404, "statements-figures": 404, "statements-list": 404}),
        ("community_worker", {"statements-beds": 200, "statements-figures": 200, "statements-list": 200}),
        ("street_officer", {"statements-beds": 200, "statements-figures": 200, "statements-list": 200}),
        ("district_admin", {"statements-beds": 404, "statements-figures": 200, "statements-list": 404}),
        ("dispatcher", {"statements-beds": 404, "statements-figures": 404, "statements-list": 404}),
    ],
)
def test_who_opens_the_staff_pages(client, sc, username, expected):
    log_in(client, username)
    answers = {name: client.get(reverse(f"portal:care:{name}")).status_code for name in STAFF_PAGES}
    assert answers == expected


def test_anonymous_is_sent_to_log_in(client, sc):
    response = client.get(reverse("portal:care:statements-list"))
    assert response.status_code == 302


def test_a_statement_is_one_404_outside_the_scope(client, sc):
    statement = _statement(sc)
    url = reverse("portal:care:statements-detail", args=[statement.public_id])
    for username, status in (
        ("street_officer", 200),
        ("civil_affairs_officer", 200),
        ("other_district_admin", 404),
        ("resident", 404),
        ("dispatcher", 404),
    ):
        client.logout()
        log_in(client, username)
        assert client.get(url).status_code == status, username
    missing = reverse("portal:care:statements-detail", args=["00000000-0000-7000-8000-000000000000"])
    assert client.get(missing).status_code == 404


def test_the_page_refuses_an_unverified_visit_by_name(client, sc):
    statement = _statement(sc)
    waiting = visit(sc, VisitState.DONE, day=6)
    log_in(client, "street_officer")
    page = client.get(reverse("portal:care:statements-detail", args=[statement.public_id])).content.decode()
    assert str(waiting.public_id) in page
    add = reverse("portal:care:statements-add", args=[statement.public_id])
    response = client.post(add, {"visit": str(waiting.public_id)}, follow=True)
    assert "2026-11-06 09:00 刘桂兰的“助洁上门”服务尚未核验，不能列入结算单" in response.content.decode()
    assert Statement.objects.get(pk=statement.pk).line_count == 2


def test_approve_needs_the_confirmation_then_pay(client, sc):
    statement = _statement(sc)
    log_in(client, "street_officer")
    approve = reverse("portal:care:statements-approve", args=[statement.public_id])
    response = client.post(approve, {"reason": "核对无误"}, follow=True)
    assert "请确认审核通过，通过后不能修改" in response.content.decode()
    assert Statement.objects.get(pk=statement.pk).state == StatementState.DRAFT
    client.post(approve, {"reason": "核对无误", "confirm": "1"})
    assert Statement.objects.get(pk=statement.pk).state == StatementState.APPROVED
    pay = reverse("portal:care:statements-pay", args=[statement.public_id])
    response = client.post(pay, {"paid_on": "not a date", "reference": "ZF1"}, follow=True)
    assert "请填写付款日期" in response.content.decode()
    client.post(pay, {"paid_on": "2026-12-07", "reference": "ZF20261207"})
    assert Statement.objects.get(pk=statement.pk).state == StatementState.PAID


def test_a_community_worker_reads_but_does_not_approve(client, sc):
    statement = _statement(sc)
    log_in(client, "community_worker")
    assert client.get(reverse("portal:care:statements-detail", args=[statement.public_id])).status_code == 404
    response = client.post(
        reverse("portal:care:statements-approve", args=[statement.public_id]), {"reason": "x", "confirm": "1"}
    )
    assert response.status_code == 404
    assert Statement.objects.get(pk=statement.pk).state == StatementState.DRAFT


def test_exports_are_files_and_audited(client, sc):
    statement = _statement(sc, approved=True)
    log_in(client, "street_officer")
    pdf = client.get(reverse("portal:care:statements-export", args=[statement.public_id, "pdf"]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content[:5] == b"%PDF-"
    xlsx = client.get(reverse("portal:care:statements-export", args=[statement.public_id, "xlsx"]))
    assert xlsx.content[:4] == b"PK\x03\x04"
    assert client.get(reverse("portal:care:statements-export", args=[statement.public_id, "csv"])).status_code == 404
    assert AuditEntry.objects.filter(action="care.statement_export").count() == 2


def test_the_dispatcher_reads_its_own_statements_only(client, sc):
    statement = _statement(sc, approved=True)
    log_in(client, "dispatcher")
    page = client.get(reverse("portal:care-provider:statements-list")).content.decode()
    assert statement.number in page
    detail = client.get(reverse("portal:care-provider:statements-detail", args=[statement.public_id]))
    assert detail.status_code == 200
    assert 'action="' not in detail.content.decode().split('id="read-only"')[1]
    assert client.get(reverse("portal:care-provider:statements-figures")).status_code == 200
    client.logout()
    log_in(client, "other_dispatcher")
    assert statement.number not in client.get(reverse("portal:care-provider:statements-list")).content.decode()
    assert client.get(reverse("portal:care-provider:statements-detail", args=[statement.public_id])).status_code == 404


def test_the_bed_form_says_which_elders_the_bed_item_allows_eligible_first(client, sc):
    log_in(client, "community_worker")
    url = reverse("portal:care:statements-bed-new")
    # 王小丽 is found by the search; 刘桂兰 was chosen before (a form coming back): both offered
    page = client.post(url, {"q": "王小丽", "person": str(sc["elder"].public_id)}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    options = re.findall(r"<option value=\"[0-9a-f-]{36}\"[^>]*>([^<]*)</option>", page.content.decode())
    people = [o for o in options if "·" in o]
    assert len(people) == 2
    assert "刘桂兰" in people[0] and people[0].endswith("可登记床位")  # eligible first
    assert "王小丽" in people[1] and "不可登记" in people[1]


def test_a_community_worker_registers_and_ends_a_bed(client, sc):
    log_in(client, "community_worker")
    page = client.get(reverse("portal:care:statements-bed-new"), {"q": "刘桂兰"}).content.decode()
    assert "刘桂兰" in page
    response = client.post(
        reverse("portal:care:statements-bed-new"),
        {"q": "刘桂兰", "person": "", "provider": "", "visits_per_week": "9", "plan": "", "started_on": ""},
    )
    assert response.status_code == 200
    assert "每周上门次数应为 1–7 次" in response.content.decode()
    assert CareBed.objects.count() == 0
    response = client.post(
        reverse("portal:care:statements-bed-new"),
        {
            "q": "刘桂兰",
            "person": str(sc["elder"].public_id),
            "provider": str(sc["provider"].public_id),
            "visits_per_week": "2",
            "plan": "独居，需助洁、送餐",
            "started_on": "2026-12-07",
        },
    )
    bed = CareBed.objects.get()
    assert response.status_code == 302
    detail = client.get(reverse("portal:care:statements-bed", args=[bed.public_id])).content.decode()
    assert "独居，需助洁、送餐" not in detail
    revealed = client.post(
        reverse("portal:care:statements-bed", args=[bed.public_id]), {"action": "reveal", "reason": "安排护理员"}
    )
    assert "独居，需助洁、送餐" in revealed.content.decode()
    assert AuditEntry.objects.filter(action="care.bed_plan_read", reason="安排护理员").count() == 1
    end = reverse("portal:care:statements-bed-end", args=[bed.public_id])
    client.post(end, {"reason": "入住养老院"})
    assert CareBed.objects.get().ended_on is None
    client.post(end, {"reason": "入住养老院", "confirm": "1"})
    assert CareBed.objects.get().ended_on == dt.date(2026, 12, 7)


def test_list_pages_run_in_a_fixed_number_of_queries(client, sc, django_assert_num_queries):
    for day in range(3, 9):
        visit(sc, day=day, late_minutes=day, rating=day % 5 + 1)
    _statement(sc)
    data = BedInput(str(sc["elder"].public_id), str(sc["provider"].public_id), 3, "卧床，需翻身", NOW.date())
    bed = bed_register(actor=sc["actors"]["community_worker"], data=data)
    log_in(client, "street_officer")
    with django_assert_num_queries(5):
        client.get(reverse("portal:care:statements-list"))
    with django_assert_num_queries(5):
        client.get(reverse("portal:care:statements-figures"))
    with django_assert_num_queries(5):
        response = client.get(reverse("portal:care:statements-beds"))
    assert bed.number in response.content.decode()
