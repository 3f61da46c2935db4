"""Grants and placements at the same moment (PostgreSQL: real locks and connections)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from linli.testing import empty_append_only_tables, run_at_once
from linli.welfare.models import PostPlacement, TemporaryAssistance
from linli.welfare.services.relief import PostInput, TempInput, placement_start, post_create, temporary_fast_pay
from linli.welfare.tests.relief_support import NOW, SHUIYUANDI, TODAY, Person, build_household, years_ago


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _together(work, count: int) -> list[str]:
    refusal = lambda error: error.fields[0].field if error.fields else error.code  # noqa: E731
    return sorted(run_at_once(count, work, refusal=refusal))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_four_emergency_payments_at_once_keep_the_yearly_count(actors, clock):
    """Four street officers' payments of ¥900 to one household at once: three are paid (the
    example limit is three events a year), the fourth is refused naming the limit."""
    _, members = build_household(SHUIYUANDI, "101", [Person("王建国", years_ago(45), "male", "unemployed")])
    data = TempInput(
        event="fire", event_on=TODAY, amount_asked="900", facts="家中失火", person=str(members[0].public_id)
    )

    def pay(_):
        temporary_fast_pay(actor=actors["street_officer"], data=data, amount="900")

    try:
        assert _together(pay, 4) == ["amount", "ok", "ok", "ok"]
        assert TemporaryAssistance.objects.filter(state="paid_first").count() == 3
    finally:
        empty_append_only_tables()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_placements_at_once_in_the_last_place(actors, clock):
    _, members = build_household(
        SHUIYUANDI,
        "102",
        [Person("张伟", years_ago(40), "male", "unemployed"), Person("刘芳", years_ago(38), "female", "unemployed")],
    )
    worker = actors["community_worker"]
    post = post_create(
        actor=worker,
        data=PostInput(
            title="保洁",
            employer="社区",
            kind="cleaning",
            capacity=1,
            monthly_pay="2000",
            starts_on=TODAY,
            ends_on=TODAY + dt.timedelta(days=90),
        ),
    )

    def place(i):
        placement_start(actor=worker, post=post, person=str(members[i].public_id), from_on=TODAY, to_on=TODAY)

    try:
        assert _together(place, 2) == ["conflict", "ok"]
        post.refresh_from_db()
        assert post.filled == 1 and PostPlacement.objects.count() == 1
    finally:
        empty_append_only_tables()
