# ruff: noqa: F811 (the stage's fixtures are imported from sessions_support)
"""Sessions on the workbench: a mediator's sessions today, due soon and overdue; intake staff's
agreements past their performance date with no follow-up; a fixed number of queries each."""

from __future__ import annotations

import datetime as dt

import pytest

from linli.mediation.models import MediationSession
from linli.mediation.services import sessions as svc
from linli.mediation.tests.sessions_support import (  # noqa: F401 (fixtures)
    NOW,
    SHUIYUANDI,
    TERMS,
    TODAY,
    add_dispute,
    add_held_session,
    clock,
    world,
)
from linli.mediation.workbench.sessions import follow_ups_today, mediator_today

pytestmark = pytest.mark.django_db


def test_the_mediators_day(world, django_assert_num_queries):
    add_dispute(SHUIYUANDI, world.mediator, due_in=-1)
    add_dispute(SHUIYUANDI, world.mediator, due_in=4)
    MediationSession.objects.create(
        dispute=world.dispute, starts_at=NOW + dt.timedelta(hours=4), place="调解室", mediator_name="王调解"
    )
    with django_assert_num_queries(2):
        section = mediator_today(world.actors["mediator"], TODAY)
    assert {c.key: c.count for c in section.counts} == {"sessions.today": 1, "sessions.due": 1, "sessions.overdue": 1}
    assert section.rows[0].title == "14:00 装修噪音纠纷"
    assert mediator_today(world.actors["community_worker"], TODAY) is None


def test_agreements_to_follow_up(world, django_assert_num_queries):
    add_held_session(world.dispute)
    svc.agreement_record(
        actor=world.actors["mediator"],
        dispute=world.dispute,
        kind="oral",
        terms=TERMS,
        signed_on=TODAY - dt.timedelta(days=3),
        perform_by=TODAY - dt.timedelta(days=1),
    )
    add_dispute(SHUIYUANDI, world.mediator, due_in=-3)
    with django_assert_num_queries(3):
        section = follow_ups_today(world.actors["community_worker"], TODAY)
    assert [(c.key, c.count) for c in section.counts] == [("sessions.overdue_area", 1), ("sessions.follow_up", 1)]
    assert section.rows[0].detail == world.dispute.number
    assert follow_ups_today(world.actors["other_community_worker"], TODAY) is None
    svc.follow_up_record(actor=world.actors["mediator"], dispute=world.dispute, on=TODAY, performance="partial")
    section = follow_ups_today(world.actors["community_worker"], TODAY)
    assert [c.count for c in section.counts] == [1, 0] and section.rows == []
