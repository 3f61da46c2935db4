# ruff: noqa: F811 (the stage's fixtures are imported from village_support)
"""At once (PostgreSQL row locks): the same step recorded twice — one row, the other refused
naming the next step; the town approving and returning at once — one verdict."""

import pytest

from linli.consultation.models import VillageMatter, VillageMatterStep
from linli.consultation.services import village as svc
from linli.consultation.tests.village_support import clock, meeting, proposed, resolved, world  # noqa: F401
from linli.testing import empty_append_only_tables, run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _flushable():
    yield
    empty_append_only_tables()


def test_the_same_step_twice_at_once(world):
    matter = proposed(world)
    outcomes = run_at_once(
        2,
        lambda i: svc.step_record(
            actor=world.actors["village_worker"], public_id=matter.public_id, data=meeting("discuss", present=7)
        ),
    )
    assert sorted(outcomes) == ["conflict", "ok"]
    assert VillageMatterStep.objects.filter(matter=matter, step="discuss").count() == 1
    assert VillageMatter.objects.get(pk=matter.pk).stage == "discuss"


def test_approve_and_return_at_once(world):
    matter = resolved(world)
    outcomes = run_at_once(
        2,
        lambda i: svc.matter_review(
            actor=world.actors["town_officer"], public_id=matter.public_id, approve=i == 0, reasons="补材料"
        ),
    )
    assert sorted(outcomes) == ["conflict", "ok"]
    assert VillageMatterStep.objects.filter(matter=matter, step="review").count() == 1
