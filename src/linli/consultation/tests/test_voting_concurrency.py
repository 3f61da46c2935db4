# ruff: noqa: F811 (the stage's fixtures are imported from voting_support)
"""Votes at the same moment (PostgreSQL): two casts for one voter make one Vote; two members of
one household under a household rule make one; a vote racing the close is either counted in the
result or refused as late — never a row the result does not count."""

from __future__ import annotations

import pytest

from linli.consultation.models import Consultation, Vote
from linli.consultation.services.voting import vote_cast, voting_close, voting_open
from linli.consultation.tests.voting_support import clock, discussing, world  # noqa: F401 (fixtures)
from linli.testing import empty_append_only_tables, run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def clean():
    yield
    empty_append_only_tables()


def test_two_casts_for_one_voter_make_one_vote(clean, world):
    c = voting_open(actor=world.actors["community_worker"], consultation=discussing("adult"))

    def cast(i):
        vote_cast(actor=world.actors["resident"], consultation=c, option_key="AB"[i])

    assert sorted(run_at_once(2, cast)) == ["already_voted", "ok"]
    assert Vote.objects.filter(consultation=c).count() == 1


def test_two_members_of_one_household_make_one_vote(clean, world):
    c = voting_open(actor=world.actors["community_worker"], consultation=discussing("household"))
    members = ["resident", "resident2"]

    def cast(i):
        vote_cast(actor=world.actors[members[i]], consultation=c, option_key="A")

    assert sorted(run_at_once(2, cast)) == ["already_voted", "ok"]
    assert Vote.objects.filter(consultation=c).count() == 1


def test_a_vote_racing_the_close_is_counted_or_refused(clean, world):
    c = voting_open(actor=world.actors["community_worker"], consultation=discussing("adult"))

    def act(i):
        if i == 0:
            voting_close(actor=world.actors["community_worker"], consultation=c, reason="会议现场结束投票")
        else:
            vote_cast(actor=world.actors["resident"], consultation=c, option_key="A")

    outcomes = run_at_once(2, act)
    assert sorted(outcomes) in (["ok", "ok"], ["ok", "voting_closed"])
    c = Consultation.objects.get(pk=c.pk)
    assert c.state == "counted"
    assert c.result["cast"] == Vote.objects.filter(consultation=c).count()
