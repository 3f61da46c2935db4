"""Statements under concurrent use (PostgreSQL row locks): two payers generating the same
provider's month make one statement with each visit once; two workers registering a bed for the
same elder make one bed."""

from __future__ import annotations

import pytest
import time_machine

from linli.care.models import CareBed, Statement, StatementLine
from linli.care.services.statements import BedInput, bed_register, statement_generate
from linli.care.tests.statements_support import NOVEMBER, NOW, TODAY, statement_care, visit
from linli.testing import empty_append_only_tables, run_at_once


@pytest.fixture
def sc(tree, people):
    with time_machine.travel(NOW, tick=False):
        yield statement_care(tree, people)
    empty_append_only_tables()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_generations_at_once_make_one_statement(sc):
    for day in (3, 4, 5):
        visit(sc, day=day)
    officer = sc["actors"]["street_officer"]
    outcomes = run_at_once(2, lambda _: statement_generate(actor=officer, provider=sc["provider"], month=NOVEMBER))
    assert outcomes == ["ok", "ok"]
    assert Statement.objects.count() == 1
    assert StatementLine.objects.count() == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_registrations_for_one_elder_make_one_bed(sc):
    data = BedInput(str(sc["elder"].public_id), str(sc["provider"].public_id), 2, "卧床，需翻身", TODAY)
    worker = sc["actors"]["community_worker"]
    outcomes = run_at_once(2, lambda _: bed_register(actor=worker, data=data))
    assert sorted(outcomes) == ["conflict", "ok"]
    assert CareBed.objects.count() == 1
