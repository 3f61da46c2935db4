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
    # distinct msgids: "Approved" and "Returned" already mean 准予 / 已退还 elsewhere
    APPROVED = "approved", _("Approved by the town")
    RETURNED = "returned", _("Returned by the town")


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


# ---- the numbers in words, for the refusal and the step's record ---------------------------------

# each rule's threshold as people say it: (zh, en)
_THRESHOLD_WORDS: dict[str, tuple[str, str]] = {
    "villagers_adults": ("过半数", "more than half"),
    "villagers_households": ("三分之二以上", "two thirds or more"),
    "representatives": ("三分之二以上", "two thirds or more"),
    "party_members": ("过半数", "more than half"),
}
VOTE_WORDS = ("过半数", "more than half")


def attendance_words(rule: str, present: int, roll: int, unit: tuple[str, str] = ("人", "people")) -> Msg:
    """ "应到 412 人，实到 198 人，未过半数" — the attendance against the roll, in words."""
    zh_rule, en_rule = _THRESHOLD_WORDS[rule]
    met = attendance_met(rule, present, roll)
    if zh_rule == "过半数":
        zh_verdict = "已过半数" if met else "未过半数"
    else:
        zh_verdict = "已达三分之二" if met else "不足三分之二"
    en_verdict = f"{en_rule}: reached" if met else f"not {en_rule}"
    return Msg(
        f"应到 {roll} {unit[0]}，实到 {present} {unit[0]}，{zh_verdict}",
        f"{roll} {unit[1]} on the roll, {present} present, {en_verdict}",
    )


def vote_words(rule: str, votes_for: int, present: int) -> Msg:
    """ "实到 198 人，赞成 90 票，未过半数" — the vote against those present, in words."""
    passes = resolution_passes(rule, votes_for, present)
    return Msg(
        f"实到 {present} 人，赞成 {votes_for} 票，{'已过半数' if passes else '未过半数'}",
        f"{present} present, {votes_for} in favour, {'more than half' if passes else 'not more than half'}",
    )


def villagers_words(*, adults: int, adults_present: int, households: int, households_present: int) -> Msg:
    """Both counts of a villagers' meeting (art. 22 accepts either)."""
    by_adults = attendance_words("villagers_adults", adults_present, adults)
    by_households = attendance_words("villagers_households", households_present, households, ("户", "households"))
    return Msg(f"{by_adults.zh}；{by_households.zh}", f"{by_adults.en}; {by_households.en}")


def step_index(step: str) -> int:
    return STEP_ORDER.index(step)


def steps_done(stage: str) -> list[str]:
    """The steps done in order, from the last one done (`VillageMatter.stage`)."""
    return list(STEP_ORDER[: step_index(stage) + 1]) if stage else []
