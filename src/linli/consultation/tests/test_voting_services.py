# ruff: noqa: F811 (the stage's fixtures are imported from voting_support)
"""Opening the vote (the roll frozen), casting, recording at the meeting, closing and counting."""

from __future__ import annotations

import datetime as dt

import pytest

from linli.consultation.models import Consultation, ConsultationStep, RollEntry, Vote
from linli.consultation.selectors.voting import live_tally, vote_receipt
from linli.consultation.services.voting import (
    vote_cast,
    vote_record,
    voting_close,
    voting_close_tick,
    voting_open,
)
from linli.consultation.tests.voting_support import clock, discussing, signed_in, world  # noqa: F401 (fixtures)
from linli.core.errors import DomainError
from linli.core.models import AuditEntry


def opened(world, unit="household", **rule):
    return voting_open(actor=world.actors["community_worker"], consultation=discussing(unit, **rule))


def test_opening_freezes_one_entry_per_household_with_an_adult(world):
    c = opened(world)
    assert (c.state, c.roll_size) == ("voting", 2)  # 张家 and 李家; 孙家 lives in 集贤
    assert sorted(RollEntry.objects.filter(consultation=c).values_list("name_shown", flat=True)) == [
        "1号楼 101",
        "1号楼 102",
    ]
    assert c.roll_frozen_at is not None
    assert ConsultationStep.objects.filter(consultation=c, action="voting_open", to_state="voting").count() == 1
    assert AuditEntry.objects.filter(action="consultation.voting_open").count() == 1


def test_opening_by_adult_puts_each_adult_and_no_child_on_the_roll(world):
    c = opened(world, "adult")
    assert c.roll_size == 3
    names = sorted(RollEntry.objects.filter(consultation=c).values_list("name_shown", flat=True))
    assert names == ["张*国", "李*", "王*兰"]


def test_opening_needs_two_options_and_changes_nothing_when_refused(world):
    c = discussing()
    c.options.filter(key="B").delete()
    with pytest.raises(DomainError) as refused:
        voting_open(actor=world.actors["community_worker"], consultation=c)
    assert refused.value.code == "validation_failed" and refused.value.fields[0].field == "options"
    c.refresh_from_db()
    assert (c.state, c.roll_size, RollEntry.objects.count()) == ("discussing", 0, 0)


def test_an_empty_roll_refuses(world):
    c = discussing()
    Consultation.objects.filter(pk=c.pk).update(scope_path="210102001002002")  # the second grid: nobody
    c.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        voting_open(actor=world.actors["community_worker"], consultation=c)
    assert refused.value.fields[0].field == "roll"
    assert Consultation.objects.get(pk=c.pk).state == "discussing"


def test_opening_outside_the_area_or_without_manage_is_refused(world):
    c = discussing()
    for name, code in (("other_community_worker", "not_found"), ("resident", "not_found")):
        with pytest.raises(DomainError) as refused:
            voting_open(actor=world.actors[name], consultation=c)
        assert refused.value.code == code
    assert Consultation.objects.get(pk=c.pk).state == "discussing" and RollEntry.objects.count() == 0


def test_opening_twice_is_refused(world):
    c = opened(world)
    with pytest.raises(DomainError) as refused:
        voting_open(actor=world.actors["community_worker"], consultation=c)
    assert refused.value.status == 409
    assert RollEntry.objects.count() == 2


def test_a_vote_is_counted_and_the_receipt_says_when_not_what(world, clock):
    c = opened(world)
    vote = vote_cast(actor=world.actors["resident"], consultation=c, option_key="A")
    assert (vote.channel, vote.option.key) == ("online", "A")
    receipt = vote_receipt(actor=world.actors["resident"], consultation=c)
    assert receipt.on_roll and receipt.voted_at == vote.cast_at and receipt.for_household
    assert not hasattr(receipt, "option")
    assert live_tally(c).counts == {"A": 1, "B": 0}


def test_a_second_vote_of_the_household_is_refused_naming_when(world):
    c = opened(world)
    vote_cast(actor=world.actors["resident"], consultation=c, option_key="A")
    with pytest.raises(DomainError) as refused:
        vote_cast(actor=world.actors["resident2"], consultation=c, option_key="B")  # same household
    assert (refused.value.code, refused.value.status) == ("already_voted", 409)
    assert refused.value.message.zh == "已于 2026-12-07 10:00 投过票，每位投票人只能投一票"
    assert list(Vote.objects.values_list("option__key", flat=True)) == ["A"]


def test_in_adult_mode_each_adult_votes(world):
    c = opened(world, "adult")
    vote_cast(actor=world.actors["resident"], consultation=c, option_key="A")
    vote_cast(actor=world.actors["resident2"], consultation=c, option_key="B")
    assert live_tally(c).counts == {"A": 1, "B": 1}


def test_a_voter_not_on_the_roll_is_told_so(world):
    c = opened(world)
    for name in ("far_resident", "no_posting"):
        with pytest.raises(DomainError) as refused:
            vote_cast(actor=world.actors[name], consultation=c, option_key="A")
        assert refused.value.code in ("not_on_roll", "permission_denied")
    assert Vote.objects.count() == 0


def test_an_unknown_option_is_refused(world):
    c = opened(world)
    with pytest.raises(DomainError) as refused:
        vote_cast(actor=world.actors["resident"], consultation=c, option_key="Z")
    assert refused.value.fields[0].field == "option" and Vote.objects.count() == 0


def test_a_vote_before_opening_or_after_the_close_is_refused(world, clock):
    c = discussing()
    with pytest.raises(DomainError) as early:
        vote_cast(actor=world.actors["resident"], consultation=c, option_key="A")
    assert early.value.message.en == "Voting has not opened yet"
    voting_open(actor=world.actors["community_worker"], consultation=c)
    clock.shift(dt.timedelta(days=3))
    with pytest.raises(DomainError) as late:
        vote_cast(actor=world.actors["resident"], consultation=c, option_key="A")
    assert (late.value.code, late.value.message.en) == ("voting_closed", "Voting has closed")
    assert Vote.objects.count() == 0


def test_a_meeting_vote_for_a_signed_in_attendee(world):
    c = opened(world)
    signed_in(c, world.li)
    vote = vote_record(
        actor=world.actors["community_worker"], consultation=c, resident_ref=str(world.li.public_id), option_key="B"
    )
    assert (vote.channel, vote.cast_by_id) == ("meeting", world.users["community_worker"].pk)
    entry = AuditEntry.objects.get(action="consultation.vote_record")
    assert "B" not in str(entry.details.values()) and "option" not in entry.details
    with pytest.raises(DomainError) as refused:  # 张 did not sign in
        vote_record(
            actor=world.actors["community_worker"],
            consultation=c,
            resident_ref=str(world.zhang.public_id),
            option_key="A",
        )
    assert refused.value.fields[0].field == "resident"
    assert Vote.objects.count() == 1


def test_closing_counts_and_writes_the_result(world, clock):
    c = opened(world)
    vote_cast(actor=world.actors["resident"], consultation=c, option_key="A")
    with pytest.raises(DomainError) as early:
        voting_close(actor=world.actors["community_worker"], consultation=c)
    assert early.value.fields[0].field == "reason" and Consultation.objects.get(pk=c.pk).state == "voting"
    c = voting_close(actor=world.actors["community_worker"], consultation=c, reason="全部住户已投票")
    assert c.state == "counted"
    assert c.result == {"counts": {"A": 1, "B": 0}, "cast": 1, "roll_size": 2, "quorum_met": True, "winner": "A"}
    with pytest.raises(DomainError) as again:
        vote_cast(actor=world.actors["resident3"], consultation=c, option_key="B")
    assert again.value.code == "voting_closed" and Vote.objects.count() == 1


def test_the_tick_counts_what_is_past_its_closing_time(world, clock):
    c = opened(world, quorum=100)
    vote_cast(actor=world.actors["resident"], consultation=c, option_key="A")
    assert voting_close_tick() == "0 closed"
    clock.shift(dt.timedelta(days=3, minutes=1))
    assert voting_close_tick() == "1 closed"
    c.refresh_from_db()
    assert (c.state, c.result["quorum_met"], c.result["winner"]) == ("counted", False, None)
    step = ConsultationStep.objects.get(consultation=c, action="voting_close")
    assert not step.by_name.startswith("system")
    assert voting_close_tick() == "0 closed"
