"""The roll's demo on the small tree with a synthetic pool: households of each class enrolled
through the services, reviews due, last month's payroll frozen and this month's a draft;
idempotent and quick."""

from __future__ import annotations

import time

import pytest

from linli.accounts.domain import Role
from linli.residents.services import demo_population_generate
from linli.testing import SYSTEM, make_user
from linli.welfare.demo_roll import demo_generate
from linli.welfare.domain.roll import PayrollState
from linli.welfare.models import Payroll, Recipient, RecipientChange
from linli.welfare.tests.roll_support import SHUIYUANDI, TODAY, clock  # noqa: F401

pytestmark = pytest.mark.usefixtures("clock")


def test_demo_roll_is_plausible_idempotent_and_quick(tree, people):
    make_user("demo_civil_affairs_officer", Role.CIVIL_AFFAIRS_OFFICER, tree["210102000000"])
    demo_population_generate(actor=SYSTEM, residents=400, focus_path=SHUIYUANDI, focus_share=0.5)
    logged: list[str] = []
    started = time.monotonic()
    demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=logged.append)
    assert time.monotonic() - started < 15
    assert Recipient.objects.filter(path__startswith=SHUIYUANDI).count() >= 6
    classes = set(Recipient.objects.values_list("assistance_class", flat=True))
    assert {"dibao", "edge"} <= classes and "none" not in classes
    assert Recipient.objects.filter(next_review_on__lt=TODAY.replace(day=1)).exists()  # overdue reviews
    assert not Recipient.objects.filter(account_masked="").exists()
    frozen = Payroll.objects.filter(state=PayrollState.APPROVED, month="2026-11-01")
    assert frozen.exists() and all(p.total > 0 for p in frozen)
    assert Payroll.objects.filter(state=PayrollState.DRAFT, month="2026-12-01").exists()
    assert RecipientChange.objects.filter(kind="start").count() == Recipient.objects.count()
    assert "welfare roll" in logged[-1]
    counts = (Recipient.objects.count(), Payroll.objects.count(), RecipientChange.objects.count())
    demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=logged.append)
    assert (Recipient.objects.count(), Payroll.objects.count(), RecipientChange.objects.count()) == counts
