# ruff: noqa: F811 (the stage's fixtures are imported from disputes_support)
"""Two people acting on one dispute at once (PostgreSQL): the last two consents accept it once;
two assignments leave one mediator and one assign step; two registrations of one grid event make
one dispute."""

from __future__ import annotations

import pytest

from linli.core.actor import Actor
from linli.mediation.models import Dispute, DisputeStep
from linli.mediation.services.intake import dispute_assign, party_consent
from linli.mediation.tests.disputes_support import accepted, clock, registered, world  # noqa: F401 (fixtures)
from linli.testing import empty_append_only_tables, run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def clean():
    """The kinds are loaded again by the conftest; the append-only rows are emptied after."""
    yield
    empty_append_only_tables()


def test_two_consents_at_once_accept_once(clean, world):
    dispute = registered(world)
    parties = list(dispute.parties.order_by("pk").values_list("pk", flat=True))
    worker: Actor = world.actors["community_worker"]

    def consent(i):
        party_consent(actor=worker, dispute=dispute, party_id=parties[i], consent="agreed")

    assert run_at_once(2, consent) == ["ok", "ok"]
    dispute.refresh_from_db()
    assert dispute.state == "accepted"
    assert DisputeStep.objects.filter(dispute=dispute, action="accept").count() == 1


def test_two_assignments_at_once_leave_one_mediator(clean, world):
    dispute = accepted(world)
    worker: Actor = world.actors["community_worker"]
    mediators = [world.committee.public_id, world.full_time.public_id]

    def assign(i):
        dispute_assign(actor=worker, dispute=dispute, mediator_id=mediators[i])

    outcomes = run_at_once(2, assign)
    assert sorted(outcomes) == ["ok", "validation_failed"]  # the second needs a reason to reassign
    dispute = Dispute.objects.get(pk=dispute.pk)
    assert dispute.state == "mediating" and dispute.mediator_id is not None
    assert DisputeStep.objects.filter(dispute=dispute, action="assign").count() == 1


def test_two_registrations_at_once_take_two_serials(clean, world):
    """The serial is counted, then the unique number decides: the loser retries with the next."""

    def register(i):
        registered(world, title=f"同时登记{i}")

    assert run_at_once(2, register) == ["ok", "ok"]
    numbers = sorted(Dispute.objects.values_list("number", flat=True))
    assert [n[-5:] for n in numbers] == ["00001", "00002"]
