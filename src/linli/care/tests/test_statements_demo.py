"""The statements demo on the small tree: beds through the services, their visits scheduled and
delivered, statements paid, approved and draft with one correction; a second run adds nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from linli.care.demo_statements import demo_generate
from linli.care.models import CareBed, Statement, StatementLine, Visit
from linli.care.tests.statements_support import EDITOR, NOW, SHUIYUANDI, person, statement_care
from linli.residents.services import care_membership_add

pytestmark = pytest.mark.django_db


def test_demo_makes_beds_and_statements_once(tree, people):
    with time_machine.travel(NOW, tick=False):
        statement_care(tree, people)
        for n in range(4):
            elder = person(f"{n + 5}-101", f"老人{n}", dt.date(1938 + n, 3, 1), 50 + n)
            care_membership_add(actor=EDITOR, resident=elder, kind="advanced_age", started_on=dt.date(2020, 1, 1))
        logged: list[str] = []
        demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=logged.append)
        assert CareBed.objects.count() == 4
        assert set(Statement.objects.values_list("state", "kind")) == {
            ("paid", "regular"),
            ("approved", "regular"),
            ("draft", "regular"),
            ("draft", "supplementary"),
        }
        assert StatementLine.objects.filter(is_correction=True).count() == 1
        assert logged[0] == "家庭养老床位 family care beds: 4"
        counts = (CareBed.objects.count(), Visit.objects.count(), Statement.objects.count())
        demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=logged.append)
        assert (CareBed.objects.count(), Visit.objects.count(), Statement.objects.count()) == counts
