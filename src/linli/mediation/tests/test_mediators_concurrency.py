# ruff: noqa: F811 (the stage's fixtures are imported from mediators_support)
"""At once (PostgreSQL row locks): two mediators ending, each naming the other as successor —
one ends, the other is refused (their successor has left); one community's month filed twice
— one report, the other answered with a conflict."""

import datetime as dt

import pytest

from linli.mediation.models import Dispute, DisputeScreening, Mediator
from linli.mediation.services.mediators import mediator_end
from linli.mediation.services.screening import ScreeningInput, screening_file
from linli.mediation.tests.mediators_support import SHUIYUANDI, clock, dispute, mediator  # noqa: F401
from linli.testing import empty_append_only_tables, run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _flushable():
    yield
    empty_append_only_tables()


def test_two_mediators_ending_into_each_other(tree, actors, clock):
    officer = actors["street_officer"]
    a = mediator(officer, "committee", SHUIYUANDI, "甲")
    b = mediator(officer, "committee", SHUIYUANDI, "乙")
    dispute(SHUIYUANDI, "mediating", mediator=a)
    dispute(SHUIYUANDI, "mediating", mediator=b)
    pairs = [(a, b), (b, a)]
    outcomes = run_at_once(
        2,
        lambda i: mediator_end(
            actor=officer, mediator=pairs[i][0], reason="调离", successor_id=str(pairs[i][1].public_id)
        ),
    )
    assert sorted(outcomes) == ["ok", "validation_failed"]
    assert Mediator.objects.filter(until__isnull=True).count() == 1
    holder = Mediator.objects.get(until__isnull=True)
    assert set(Dispute.objects.values_list("mediator_id", flat=True)) == {holder.pk}


def test_one_month_filed_twice_at_once(tree, actors, clock):
    worker = actors["community_worker"]
    outcomes = run_at_once(
        2,
        lambda i: screening_file(
            actor=worker, path=SHUIYUANDI, month=dt.date(2026, 11, 1), data=ScreeningInput(i + 1, 0, 0, 0)
        ),
    )
    assert sorted(outcomes) == ["conflict", "ok"]
    assert DisputeScreening.objects.count() == 1
