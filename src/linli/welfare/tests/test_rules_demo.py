"""The rules' demo step: one city edit through the service (urban and rural raised together),
marked as a demo document; a second run adds nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from linli.accounts.domain import Role
from linli.core.models import AuditEntry
from linli.testing import make_user
from linli.welfare.demo_rules import DEMO_DOCUMENT, demo_generate
from linli.welfare.models import ParameterChange
from linli.welfare.selectors.rules import rules_parameter


def test_demo_records_the_city_edit_once(tree) -> None:
    make_user("demo_civil_affairs_city", Role.CIVIL_AFFAIRS_OFFICER, tree["210100000000"])
    lines: list[str] = []
    demo_generate(city_path="2101", showcase_path="210102001002", log=lines.append)
    demo_generate(city_path="2101", showcase_path="210102001002", log=lines.append)
    assert ParameterChange.objects.count() == 2
    assert set(ParameterChange.objects.values_list("document", flat=True)) == {DEMO_DOCUMENT}
    assert "演示" in DEMO_DOCUMENT
    assert AuditEntry.objects.filter(action="welfare.rules.change_recorded").count() == 2
    assert rules_parameter("dibao.standard.urban", dt.date(2026, 7, 1)) == Decimal("850.00")
    assert rules_parameter("dibao.standard.rural", dt.date(2026, 7, 1)) == Decimal("850.00")
    assert rules_parameter("dibao.standard.urban", dt.date(2026, 6, 30)) == Decimal("820.00")
    assert lines[-1].startswith("救助规则 welfare rules: 0 city edit")


def test_demo_without_the_account_records_nothing(tree) -> None:
    lines: list[str] = []
    demo_generate(city_path="2101", showcase_path="210102001002", log=lines.append)
    assert ParameterChange.objects.count() == 0 and "no demo_civil_affairs_city" in lines[0]
