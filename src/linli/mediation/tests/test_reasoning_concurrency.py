"""慧评理 at once (PostgreSQL row locks): two people joining one invitation — one joins, the other
is told it is used; both sides accepting the same proposal at once settle the case."""

from __future__ import annotations

import pytest

from linli.mediation.models import ReasoningCase, ReasoningPost
from linli.mediation.services.reasoning import reasoning_accept, reasoning_join, reasoning_post
from linli.mediation.tests.reasoning_support import opened, reasoning_clock, rp, started
from linli.testing import empty_append_only_tables, run_at_once

__all__ = ["reasoning_clock", "rp"]
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _flushable():
    yield
    empty_append_only_tables()


def test_two_people_join_one_invitation_at_once(rp):
    case = started(rp)
    joiners = [rp.other, rp.stranger]
    outcomes = run_at_once(2, lambda i: reasoning_join(actor=joiners[i], code=case.code, statement="我来说两句"))
    assert sorted(outcomes) == ["conflict", "ok"]
    case.refresh_from_db()
    assert case.state == "open" and case.other_id in {rp.other.user_id, rp.stranger.user_id}
    assert ReasoningPost.objects.filter(case=case, role="other").count() == 1


def test_both_sides_accept_at_once_and_the_case_settles(rp):
    case = opened(rp)
    proposal = reasoning_post(actor=rp.reasoner, case=case, text="各让一步", proposal=True)
    sides = [rp.starter, rp.other]
    outcomes = run_at_once(2, lambda i: reasoning_accept(actor=sides[i], case=case, post_id=proposal.pk))
    assert outcomes == ["ok", "ok"]
    assert ReasoningCase.objects.get(pk=case.pk).state == "settled"
