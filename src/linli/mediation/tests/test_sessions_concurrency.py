# ruff: noqa: F811 (the stage's fixtures are imported from sessions_support)
"""Outcomes at once (PostgreSQL row locks): two agreements of one dispute leave one; an agreement
and a failure at once leave one outcome."""

import pytest

from linli.mediation.models import Dispute, MediationAgreement
from linli.mediation.services.sessions import agreement_record, dispute_fail
from linli.mediation.tests.sessions_support import (  # noqa: F401 (fixtures)
    TERMS,
    TODAY,
    add_held_session,
    clock,
    world,
)
from linli.testing import empty_append_only_tables, run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _flushable():
    yield
    empty_append_only_tables()


def test_two_agreements_at_once_make_one(world):
    add_held_session(world.dispute)
    actors = [world.actors["mediator"], world.actors["community_worker"]]
    outcomes = run_at_once(
        2,
        lambda i: agreement_record(
            actor=actors[i], dispute=world.dispute, kind="written", terms=f"{TERMS}{i}", signed_on=TODAY
        ),
    )
    assert sorted(outcomes) == ["conflict", "ok"]
    assert MediationAgreement.objects.count() == 1
    assert Dispute.objects.get(pk=world.dispute.pk).state == "agreed"


def test_an_agreement_and_a_failure_at_once_leave_one_outcome(world):
    add_held_session(world.dispute)
    actor = world.actors["mediator"]
    work = [
        lambda: agreement_record(actor=actor, dispute=world.dispute, kind="oral", terms=TERMS, signed_on=TODAY),
        lambda: dispute_fail(actor=actor, dispute=world.dispute, onward_route="litigation", reason="双方分歧过大"),
    ]
    outcomes = run_at_once(2, lambda i: work[i]())
    assert sorted(outcomes) == ["conflict", "ok"]
    dispute = Dispute.objects.get(pk=world.dispute.pk)
    assert (dispute.state == "agreed") == MediationAgreement.objects.filter(dispute=dispute).exists()
