# ruff: noqa: F811 (the stage's fixtures are imported from village_support)
"""The village section of the workbench: the town sees what awaits its review, the village what
was returned; nothing for anyone else; two queries."""

from __future__ import annotations

import pytest

from linli.consultation.services import village as svc
from linli.consultation.tests.village_support import TODAY, clock, proposed, resolved, world  # noqa: F401 (fixtures)
from linli.consultation.workbench.village import village_today

pytestmark = pytest.mark.django_db


def _counts(section) -> dict[str, int]:
    return {c.key: c.count for c in section.counts}


def test_the_town_sees_a_matter_awaiting_review(world, django_assert_num_queries):
    matter = resolved(world)
    proposed(world)
    with django_assert_num_queries(2):
        section = village_today(world.actors["town_officer"], TODAY)
    assert _counts(section) == {"village.review": 1}
    assert [r.title for r in section.rows] == [matter.number]


def test_the_village_sees_a_returned_matter(world):
    matter = resolved(world)
    assert village_today(world.actors["village_worker"], TODAY) is None
    svc.matter_review(actor=world.actors["town_officer"], public_id=matter.public_id, approve=False, reasons="补材料")
    section = village_today(world.actors["village_worker"], TODAY)
    assert _counts(section) == {"village.returned": 1}
    assert village_today(world.actors["town_officer"], TODAY) is None


@pytest.mark.parametrize("who", ["street_officer", "community_worker", "resident", "department_officer", "city_admin"])
def test_nothing_for_anyone_else(world, who):
    resolved(world)
    assert village_today(world.actors[who], TODAY) is None
