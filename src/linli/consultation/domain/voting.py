"""Voting rules as data and the tally, with no ORM. Each consultation names its rule: one vote per
household or per adult on the roll (frozen when voting opens), a quorum as a share of the roll that
must vote, and the majority an option needs (more than half of the votes cast, two thirds of them,
or simply the most). The count is the system's, never typed in."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.errors import Msg

ADULT_AGE = 18  # 十八周岁以上 (Civil Code art. 17)


class VoteUnit(models.TextChoices):
    HOUSEHOLD = "household", _("One vote per household")
    ADULT = "adult", _("One vote per adult")


class Majority(models.TextChoices):
    HALF = "half", _("More than half of the votes cast")
    TWO_THIRDS = "two_thirds", _("Two thirds of the votes cast or more")
    PLURALITY = "plurality", _("The most votes")


class VoteChannel(models.TextChoices):
    ONLINE = "online", _("Online")
    MEETING = "meeting", _("At the meeting")


@dataclass(frozen=True)
class VotingRule:
    unit: str
    quorum_percent: int  # share of the roll that must vote, 0 for none
    majority: str


@dataclass(frozen=True)
class TallyResult:
    counts: dict[str, int]  # option key -> votes
    cast: int
    roll_size: int
    quorum_met: bool
    winner: str | None  # the option key that carried, None when none did (or no quorum)


def tally(counts: dict[str, int], roll_size: int, rule: VotingRule) -> TallyResult:
    """Apply the rule to the counts. Integer arithmetic only: `cast * 100 >= roll * quorum`."""
    cast = sum(counts.values())
    quorum_met = roll_size > 0 and cast * 100 >= roll_size * rule.quorum_percent and cast > 0
    winner = None
    if quorum_met and counts:
        best = max(counts.values())
        leaders = [key for key, n in counts.items() if n == best]
        if len(leaders) == 1 and (
            (rule.majority == Majority.HALF and best * 2 > cast)
            or (rule.majority == Majority.TWO_THIRDS and best * 3 >= cast * 2)
            or rule.majority == Majority.PLURALITY
        ):
            winner = leaders[0]
    return TallyResult(counts=dict(counts), cast=cast, roll_size=roll_size, quorum_met=quorum_met, winner=winner)


AUDIT_ACTIONS: dict[str, Msg] = {
    "consultation.voting_open": Msg("开始投票并冻结名册", "Voting opened, roll frozen"),
    "consultation.voting_close": Msg("结束投票并计票", "Voting closed and counted"),
    "consultation.vote_record": Msg("代为登记现场投票", "Meeting vote recorded"),
}
