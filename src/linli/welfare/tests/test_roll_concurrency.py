"""Two approvals of one payroll at the same moment (PostgreSQL: real row locks and connections):
one freezes it, the other is refused; and two generations of one month make one payroll."""

from __future__ import annotations

import datetime as dt

import pytest

from linli.testing import empty_append_only_tables, run_at_once
from linli.welfare.domain.roll import PayrollState
from linli.welfare.models import Payroll
from linli.welfare.services.roll import payroll_approve, payroll_generate
from linli.welfare.tests.roll_support import clock, enrol, facts, rules_api  # noqa: F401

JANUARY = dt.date(2027, 1, 1)
pytestmark = pytest.mark.usefixtures("rules_api", "clock")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_approvals_of_one_payroll_freeze_it_once(actors):
    try:
        enrol(actors, facts(wage="0"))
        officer = actors["civil_affairs_officer"]
        payroll = payroll_generate(actor=officer, district_path="210102", month=JANUARY)

        def approve(i):
            payroll_approve(actor=officer, payroll=payroll, confirm=True, note=f"审批{i}")

        assert sorted(run_at_once(2, approve)) == ["conflict", "ok"]
        payroll.refresh_from_db()
        assert payroll.state == PayrollState.APPROVED and payroll.approval_note in {"审批0", "审批1"}
    finally:
        empty_append_only_tables()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_generations_of_one_month_make_one_payroll(actors):
    try:
        enrol(actors, facts(wage="0"))
        officer = actors["civil_affairs_officer"]

        def generate(i):
            payroll_generate(actor=officer, district_path="210102", month=JANUARY)

        outcomes = run_at_once(2, generate)
        assert "ok" in outcomes and set(outcomes) <= {"ok", "conflict"}
        assert Payroll.objects.count() == 1 and Payroll.objects.get().lines.count() == 1
    finally:
        empty_append_only_tables()
