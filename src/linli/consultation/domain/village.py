"""The village procedure for major matters, 四议一审两公开, with no ORM: the six steps in their only
order, and the quorums of the Organic Law of Villagers' Committees (村民委员会组织法, 2018 text):

- art. 22: a villagers' meeting (村民会议) needs more than half of the villagers aged 18 or more, or
  the representatives of two thirds or more of the households; it decides by more than half of
  those present;
- art. 26: a villagers' representatives' meeting (村民代表会议) needs two thirds or more of its
  members; it decides by more than half of those present.

In Chinese statutes "以上" includes the number itself and "过半数" means strictly more than half, so
two thirds of the households exactly is enough and half of those present is not. The numbers are
parameters (`QUORUMS`) with the articles cited in `docs/consultation.md`; the party members'
meeting's numbers come from the party's own rules and are an unverified default."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.errors import Msg

NUMBER_PREFIX = "CW"  # 村务: CW + village code + yyyymm + serial
PUBLICATION_MIN_DAYS = 7  # a resolution or result stays on the board at least this long (editable default)


class VillageStep(models.TextChoices):
    """The steps in their only order (the enum's order is the procedure's)."""

    PROPOSE = "propose", _("Party branch proposes (党支部提议)")
    DISCUSS = "discuss", _("Two committees discuss (两委会商议)")
    DELIBERATE = "deliberate", _("Party members' meeting deliberates (党员大会审议)")
    RESOLVE = "resolve", _("Villagers' meeting resolves (村民会议或村民代表会议决议)")
    REVIEW = "review", _("Town reviews (乡镇审核)")
    PUBLISH_RESOLUTION = "publish_resolution", _("Resolution published (决议公开)")
    PUBLISH_RESULT = "publish_result", _("Result published (实施结果公开)")


STEP_ORDER: tuple[str, ...] = tuple(VillageStep.values)


class MatterState(models.TextChoices):
    OPEN = "open", _("In procedure")
    RETURNED = "returned", _("Returned by the town")
    FAILED = "failed", _("Resolution not passed")
    DONE = "done", _("Result published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class AssemblyKind(models.TextChoices):
    VILLAGERS = "villagers", _("Villagers' meeting (村民会议)")
    REPRESENTATIVES = "representatives", _("Villagers' representatives' meeting (村民代表会议)")


class StepResult(models.TextChoices):
    DONE = "done", _("Done")
    PASSED = "passed", _("Passed")
    NOT_PASSED = "not_passed", _("Not passed")
    NO_QUORUM = "no_quorum", _("No quorum")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


@dataclass(frozen=True)
class Quorum:
    attend: Fraction  # share of the roll that must attend
    attend_strict: bool  # True: more than the share (过半数); False: the share or more (以上)
    pass_share: Fraction  # share of those present who must agree
    pass_strict: bool


QUORUMS: dict[str, Quorum] = {
    # 村民委员会组织法 art. 22: more than half of the adult villagers …
    "villagers_adults": Quorum(Fraction(1, 2), True, Fraction(1, 2), True),
    # … or two thirds or more of the households' representatives
    "villagers_households": Quorum(Fraction(2, 3), False, Fraction(1, 2), True),
    # art. 26: two thirds or more of the representatives; more than half of those present
    "representatives": Quorum(Fraction(2, 3), False, Fraction(1, 2), True),
    # party members' meeting: more than half of the members with a vote attend, more than half of
    # those present agree (an unverified default; the party's own rules govern)
    "party_members": Quorum(Fraction(1, 2), True, Fraction(1, 2), True),
}


def _reaches(part: int, whole: int, share: Fraction, strict: bool) -> bool:
    if whole <= 0:
        return False
    return Fraction(part, whole) > share if strict else Fraction(part, whole) >= share


def attendance_met(rule: str, present: int, roll: int) -> bool:
    quorum = QUORUMS[rule]
    return _reaches(present, roll, quorum.attend, quorum.attend_strict)


def resolution_passes(rule: str, votes_for: int, present: int) -> bool:
    quorum = QUORUMS[rule]
    return _reaches(votes_for, present, quorum.pass_share, quorum.pass_strict)


def villagers_meeting_quorum(*, adults: int, adults_present: int, households: int, households_present: int) -> bool:
    """Art. 22: either count is enough."""
    return attendance_met("villagers_adults", adults_present, adults) or attendance_met(
        "villagers_households", households_present, households
    )


def next_step(done: list[str]) -> str | None:
    """The one step that may be recorded after the steps already done (in order), None at the end."""
    return STEP_ORDER[len(done)] if len(done) < len(STEP_ORDER) else None


AUDIT_ACTIONS: dict[str, Msg] = {
    "consultation.matter_propose": Msg("村级重大事项提议", "Village major matter proposed"),
    "consultation.matter_step": Msg("记录四议一审两公开步骤", "Village procedure step recorded"),
    "consultation.matter_review": Msg("乡镇审核村级重大事项", "Town reviewed a village matter"),
    "consultation.matter_withdraw": Msg("撤回村级重大事项", "Village matter withdrawn"),
    "consultation.major_kind_save": Msg("维护重大事项目录", "Major-matter list edited"),
    "consultation.representative_save": Msg("维护村民代表名册", "Representatives' roll edited"),
}
