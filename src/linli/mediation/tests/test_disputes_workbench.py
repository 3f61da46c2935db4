# ruff: noqa: F811 (the stage's fixtures are imported from disputes_support)
"""The workbench's intake section (awaiting consent, awaiting a mediator) and the header search
by case number, as far as the actor may read."""

from __future__ import annotations

import pytest

from linli.core.workbench import SearchQuery
from linli.mediation.tests.disputes_support import TODAY, accepted, clock, registered, world  # noqa: F401
from linli.mediation.workbench.disputes import disputes_search, disputes_today

pytestmark = pytest.mark.django_db


def test_intake_counts_and_first_rows(world):
    registered(world)
    waiting = accepted(world)
    section = disputes_today(world.actors["community_worker"], TODAY)
    assert [(c.key, c.count) for c in section.counts] == [("disputes.consent", 1), ("disputes.accepted", 1)]
    assert [r.title for r in section.rows] == [waiting.number]
    other = disputes_today(world.actors["other_community_worker"], TODAY)
    assert [c.count for c in other.counts] == [0, 0] and other.rows == []
    assert disputes_today(world.actors["mediator"], TODAY) is None  # no intake right


def test_search_by_case_number_within_scope(world):
    dispute = registered(world)
    query = SearchQuery(text=dispute.number, kind="text")
    assert [h.title for h in disputes_search(world.actors["community_worker"], query).hits] == [dispute.number]
    assert disputes_search(world.actors["other_community_worker"], query).hits == []
    assert disputes_search(world.actors["resident"], query) is None
