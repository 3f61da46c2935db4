"""Rules of venture projects with no ORM: the kinds of call, the call's workflow as a transition
table, the application and project states, the review's arithmetic (weights that sum to 100, a
reviewer's weighted total, the mean across reviewers and the ranking), budget checks and the
final evaluation's grades.

Deadlines are dates and count in **calendar days** (a call's announcement names a date, not a
number of working days): an application is accepted up to the end of the deadline day in the
city's time zone (Asia/Shanghai) and refused from the next day on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.accounts.domain import VENTURES_MANAGE
from linli.core.errors import Msg

WEIGHTS_TOTAL = 100
MAX_SCORE_LIMIT = 1000
PEOPLE_MAX = 10_000_000  # beneficiaries of one application or milestone
MONEY_MAX = Decimal("999999999.99")
CENT = Decimal("0.01")
TWO = CENT


class CallKind(models.TextChoices):
    VENTURE = "venture", _("Public-interest venture (公益创投)")
    PURCHASE = "purchase", _("Government-purchased service (政府购买服务)")


class CallState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for applications")
    REVIEWING = "reviewing", _("Under review")
    DECIDED = "decided", _("Funding decided")
    CLOSED = "closed", _("Call closed")


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("Draft (not submitted)")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    FUNDED = "funded", _("Funded")
    REJECTED = "rejected", _("Not funded")


class ProjectState(models.TextChoices):
    ACTIVE = "active", _("Under way")
    EVALUATED = "evaluated", _("Evaluated")


class MilestoneState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    REPORTED = "reported", _("Reported, awaiting acceptance")
    ACCEPTED = "accepted", _("Checked and accepted")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")


# (lowest score, grade), highest first: the usual four grades of a civil-affairs evaluation
GRADE_BANDS: tuple[tuple[int, str], ...] = ((90, Grade.EXCELLENT), (80, Grade.GOOD), (60, Grade.PASS), (0, Grade.FAIL))


def grade_for(score: Decimal | int) -> str:
    for lowest, grade in GRADE_BANDS:
        if score >= lowest:
            return grade
    return Grade.FAIL


# ---------------------------------------------------------------- the call's workflow as data


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    permission: str
    label: Msg
    needs_reason: bool = False


def _t(action, sources, target, zh, en, needs_reason=False) -> Transition:
    return Transition(action, frozenset(sources), target, VENTURES_MANAGE, Msg(zh, en), needs_reason)


S = CallState
TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        _t("open", {S.DRAFT}, S.OPEN, "发布申报", "Open for applications"),
        _t("review", {S.OPEN}, S.REVIEWING, "截止申报，开始评审", "Close applications and start the review"),
        _t("decide", {S.REVIEWING}, S.DECIDED, "确定资助结果", "Publish the funding decisions"),
        _t("close", {S.DECIDED}, S.CLOSED, "结束本期", "Close the call"),
        _t("cancel", {S.DRAFT, S.OPEN}, S.CLOSED, "撤销本期", "Cancel the call", needs_reason=True),
    )
}
OTHER_STEP_LABELS = {"create": Msg("创建", "Created")}


def transition_for(action: str) -> Transition | None:
    return TRANSITIONS.get(action)


def transitions_from(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if state in t.sources]


def step_label(action: str) -> Msg:
    transition = TRANSITIONS.get(action)
    if transition:
        return transition.label
    return OTHER_STEP_LABELS.get(action, Msg(action, action))


def deadline_passed(deadline: date, today: date) -> bool:
    """Calendar days: the deadline day itself is still open."""
    return today > deadline


# ---------------------------------------------------------------- criteria and scores


@dataclass(frozen=True)
class Criterion:
    key: str  # a stable key within the call (the criterion row's id as text, or a position)
    name: str
    weight: int
    max_score: int


def criteria_problem(criteria: list[Criterion]) -> Msg | None:
    """Weights are percentages that sum to exactly 100; every criterion has a positive maximum."""
    if not criteria:
        return Msg("至少需要一项评审标准", "At least one review criterion is needed")
    for c in criteria:
        if not c.name.strip():
            return Msg("评审标准须有名称", "Every criterion needs a name")
        if c.weight <= 0:
            return Msg(f"评审标准「{c.name}」的权重须大于 0", f"Criterion '{c.name}': the weight must be above 0")
        if not 0 < c.max_score <= MAX_SCORE_LIMIT:
            return Msg(
                f"评审标准「{c.name}」的满分须为 1 到 {MAX_SCORE_LIMIT}",
                f"Criterion '{c.name}': the maximum must be 1 to {MAX_SCORE_LIMIT}",
            )
    total = sum(c.weight for c in criteria)
    if total != WEIGHTS_TOTAL:
        return Msg(f"各项权重之和为 {total}，须为 100", f"The weights add up to {total}; they must add up to 100")
    return None


def score_problem(criterion: Criterion, score: object) -> Msg | None:
    """A score is a whole number from 0 to the criterion's maximum."""
    if not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= criterion.max_score:
        return Msg(
            f"「{criterion.name}」的得分须为 0 到 {criterion.max_score} 的整数",
            f"'{criterion.name}': the score must be a whole number from 0 to {criterion.max_score}",
        )
    return None


def weighted_total(criteria: list[Criterion], scores: dict[str, int]) -> Decimal:
    """One reviewer's total out of 100: each criterion's score as a share of its maximum, times
    its weight. Two decimals, half up."""
    total = Decimal(0)
    for c in criteria:
        total += Decimal(scores[c.key]) / Decimal(c.max_score) * Decimal(c.weight)
    return total.quantize(TWO, rounding=ROUND_HALF_UP)


def mean_total(totals: list[Decimal]) -> Decimal | None:
    """The mean of the reviewers' totals (those who declared a conflict are not among them)."""
    if not totals:
        return None
    return (sum(totals, Decimal(0)) / len(totals)).quantize(TWO, rounding=ROUND_HALF_UP)


def ranking(means: dict[str, Decimal | None]) -> list[tuple[int, str, Decimal | None]]:
    """(rank, key, mean), highest mean first; equal means share a rank (1, 2, 2, 4); those
    without any score come last, unranked (rank 0)."""
    scored = sorted(((m, k) for k, m in means.items() if m is not None), key=lambda x: (-x[0], x[1]))
    rows: list[tuple[int, str, Decimal | None]] = []
    previous: Decimal | None = None
    rank = 0
    for position, (mean, key) in enumerate(scored, start=1):
        if mean != previous:
            rank, previous = position, mean
        rows.append((rank, key, mean))
    rows.extend((0, k, None) for k in sorted(k for k, m in means.items() if m is None))
    return rows


# ---------------------------------------------------------------- money


@dataclass(frozen=True)
class BudgetLine:
    item: str
    amount: Decimal


def budget_problems(lines: list[BudgetLine], cap: Decimal) -> list[tuple[int, Msg]]:
    """(line index, problem): each line needs an item and a positive amount; the total may not
    pass the call's per-project cap, and the refusal names the line where it does."""
    problems: list[tuple[int, Msg]] = []
    running = Decimal(0)
    over = False
    if not lines:
        return [(0, Msg("至少填写一项预算", "At least one budget line is needed"))]
    for index, line in enumerate(lines):
        number = index + 1
        if not line.item.strip():
            problems.append((index, Msg(f"第 {number} 行预算缺少事项", f"Budget line {number}: the item is missing")))
        if line.amount <= 0 or line.amount > MONEY_MAX or line.amount != line.amount.quantize(CENT):
            problems.append(
                (
                    index,
                    Msg(
                        f"第 {number} 行预算金额须为正数，最多两位小数",
                        f"Budget line {number}: a positive amount, at most two decimals",
                    ),
                )
            )
            continue
        running += line.amount
        if running > cap and not over:
            over = True
            problems.append(
                (
                    index,
                    Msg(
                        f"第 {number} 行「{line.item}」使预算合计达 {running} 元，超过每个项目的上限 {cap} 元",
                        f"Budget line {number} ('{line.item}') brings the total to {running} yuan,"
                        f" above the per-project cap of {cap} yuan",
                    ),
                )
            )
    return problems


def money_text(amount: Decimal) -> str:
    """12345.5 → "12,345.50"."""
    return f"{amount:,.2f}"


# The audit log's names for what this app writes (merged by `portal.audit_actions`); a call's
# transitions are named by their labels.
AUDIT_ACTIONS: dict[str, Msg] = {
    "ventures.call.create": Msg("公益创投：创建征集", "Ventures: call created"),
    **{f"ventures.call.{a}": Msg(f"公益创投：{t.label.zh}", f"Ventures: {t.label.en}") for a, t in TRANSITIONS.items()},
    "ventures.application.save": Msg("公益创投：保存申报", "Ventures: application saved"),
    "ventures.application.submit": Msg("公益创投：提交申报", "Ventures: application submitted"),
    "ventures.application.withdraw": Msg("公益创投：撤回申报", "Ventures: application withdrawn"),
    "ventures.application.decide": Msg("公益创投：资助决定", "Ventures: funding decided"),
    "ventures.review.conflict": Msg("公益创投：声明利益冲突", "Ventures: conflict declared"),
    "ventures.review.score": Msg("公益创投：评分", "Ventures: scored"),
    "ventures.contract.sign": Msg("政府购买服务：签订合同", "Purchased service: contract signed"),
    "ventures.milestone.add": Msg("公益创投：添加项目节点", "Ventures: milestone added"),
    "ventures.milestone.report": Msg("公益创投：报告节点", "Ventures: milestone reported"),
    "ventures.milestone.accept": Msg("公益创投：验收节点", "Ventures: milestone accepted"),
    "ventures.spending.record": Msg("公益创投：登记支出", "Ventures: spending recorded"),
    "ventures.project.evaluate": Msg("公益创投：结项评估", "Ventures: project evaluated"),
}
