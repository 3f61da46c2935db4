"""Social assistance: the roll, its reviews and the monthly payroll (no ORM).

The roll (在册) holds one row per household receiving or recognised; every change to it is an
append-only change row. A review compares the household's current class and amount with what the
current rules give for its latest facts and names the outcome; nothing changes on the roll until
a worker or officer confirms it with a reason. The monthly payroll (发放名册) is generated from
the roll for a district and a month, reviewed, and frozen when approved."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.errors import Msg
from linli.welfare.domain.classes import PAID_CLASSES, AssistanceClass


class RecipientState(models.TextChoices):
    ACTIVE = "active", _("Receiving assistance")
    PHASING_OUT = "phasing_out", _("In gradual exit")
    STOPPED = "stopped", _("Assistance stopped")


class ChangeKind(models.TextChoices):
    START = "start", _("Put on the roll")
    INCREASE = "increase", _("Amount increased")
    DECREASE = "decrease", _("Amount decreased")
    CLASS_CHANGE = "class_change", _("Assistance class changed")
    PHASE_OUT = "phase_out", _("Gradual exit begun")
    STOP = "stop", _("Assistance stopped")
    RESUME = "resume", _("Assistance resumed")
    REVIEWED = "reviewed", _("Reviewed, unchanged")
    REDETERMINED = "redetermined", _("Determined again")
    ACCOUNT = "account", _("Payee account changed")


class Outcome(models.TextChoices):
    """What a review proposes (the rules' answer beside the current one)."""

    UNCHANGED = "unchanged", _("Unchanged")
    INCREASE = "increase", _("Increase the amount")
    DECREASE = "decrease", _("Decrease the amount")
    CLASS_CHANGE = "class_change", _("Change the class")
    PHASE_OUT = "phase_out", _("Gradual exit")
    STOP = "stop", _("Stop the assistance")
    RESUME = "resume", _("Resume the assistance")


OUTCOME_CHANGE = {
    Outcome.UNCHANGED: ChangeKind.REVIEWED,
    Outcome.INCREASE: ChangeKind.INCREASE,
    Outcome.DECREASE: ChangeKind.DECREASE,
    Outcome.CLASS_CHANGE: ChangeKind.CLASS_CHANGE,
    Outcome.PHASE_OUT: ChangeKind.PHASE_OUT,
    Outcome.STOP: ChangeKind.STOP,
    Outcome.RESUME: ChangeKind.RESUME,
}


class ReviewState(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Review confirmed")
    SUPERSEDED = "superseded", _("Replaced by a later computation")


class PayrollState(models.TextChoices):
    DRAFT = "draft", _("Draft, to be approved")
    APPROVED = "approved", _("Approved and frozen")


class PayrollKind(models.TextChoices):
    REGULAR = "regular", _("Monthly payroll")
    SUPPLEMENTARY = "supplementary", _("Supplementary payroll")


REVIEW_INTERVAL_PARAMETER = "review.interval_months.{}"
GRADUAL_EXIT_PARAMETER = "dibao.gradual_exit_months"
CENT = Decimal("0.01")


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def paid_from_after(decided_on: date) -> date:
    """Paid from the first day of the month after the decision."""
    return add_months(month_start(decided_on), 1)


def is_paid(assistance_class: str) -> bool:
    return assistance_class in PAID_CLASSES


def review_outcome(
    *,
    state: str,
    current_class: str,
    current_amount: Decimal,
    proposed_class: str,
    proposed_amount: Decimal,
    exit_months: int,
    exit_over: bool = False,
) -> str:
    """The outcome of a re-determination beside the household's current class and amount.

    - a household in gradual exit stays in it while the rules still say not paid, and stops when
      the exit is over; it is resumed when the rules pay it again;
    - a 低保 household whose rules now give no paid class (its income rose above the line) moves to
      gradual exit (渐退) for `exit_months` months, or stops at once when that is 0;
    - a 特困 household no longer eligible for a paid class, or any household now not eligible at
      all (none), stops; other moves between classes are a change of class;
    - in the same class, the amount decides: more is an increase, less a decrease."""
    if state == RecipientState.PHASING_OUT:
        if is_paid(proposed_class):
            return Outcome.RESUME
        return Outcome.STOP if exit_over else Outcome.UNCHANGED
    if is_paid(current_class) and not is_paid(proposed_class):
        if current_class == AssistanceClass.DIBAO and exit_months > 0:
            return Outcome.PHASE_OUT
        return Outcome.STOP
    if proposed_class == AssistanceClass.NONE:
        return Outcome.STOP
    if proposed_class != current_class:
        return Outcome.CLASS_CHANGE
    if proposed_amount > current_amount:
        return Outcome.INCREASE
    if proposed_amount < current_amount:
        return Outcome.DECREASE
    return Outcome.UNCHANGED


def review_status(next_review_on: date, today: date) -> str:
    """ "overdue" before this month, "due" within this month, "" later."""
    if next_review_on < month_start(today):
        return "overdue"
    if next_review_on < add_months(month_start(today), 1):
        return "due"
    return ""


def mask_account(number: str) -> str:
    """A bank account number with only its last four digits shown (**** **** 1234)."""
    digits = "".join(ch for ch in number if ch.isdigit())
    return f"****{digits[-4:]}" if digits else ""


def account_problem(number: str) -> Msg | None:
    digits = number.replace(" ", "")
    if not digits.isdigit() or not 12 <= len(digits) <= 30:
        return Msg("银行账号应为 12 至 30 位数字", "A bank account number is 12 to 30 digits")
    return None


AUDIT_ACTIONS: dict[str, Msg] = {
    "welfare.roll_enrol": Msg("纳入救助名册", "Put a household on the assistance roll"),
    "welfare.roll_redetermine": Msg("在册家庭重新认定", "Determined a household on the roll again"),
    "welfare.roll_change": Msg("变更在册救助（增发、减发、渐退、停发、恢复）", "Changed a household on the roll"),
    "welfare.roll_facts_update": Msg("更新在册家庭的经济状况", "Updated a household's facts on the roll"),
    "welfare.roll_facts_read": Msg("查看在册家庭的经济状况", "Read a household's facts on the roll"),
    "welfare.roll_account_set": Msg("登记救助金收款账户", "Recorded the payee's bank account"),
    "welfare.roll_account_reveal": Msg("查看完整收款账号", "Revealed a full bank account number"),
    "welfare.review_recompute": Msg("按现行标准重新计算复核", "Recomputed the reviews with the current rules"),
    "welfare.review_household": Msg("按现行规则重新认定一户", "Determined one household again with the current rules"),
    "welfare.review_confirm": Msg("确认复核结果", "Confirmed a review's outcome"),
    "welfare.payroll_generate": Msg("生成发放名册", "Generated a payroll"),
    "welfare.payroll_approve": Msg("审批并冻结发放名册", "Approved and froze a payroll"),
    "welfare.payroll_correct": Msg("发放名册更正（补发或扣减行）", "Added a correction line to a payroll"),
    "welfare.payroll_export": Msg("导出银行发放文件", "Exported a payroll for the bank"),
}


# The reasons the platform itself writes on a change (the county's decision), stored in Chinese
# like a worker's own reason and shown in the reader's language.
COUNTY_APPROVED = Msg("县级民政部门审批确认", "Approved by the county")
COUNTY_REDETERMINED = Msg("重新认定（县级审批）", "Determined again by the county")
SYSTEM_REASONS = {reason.zh: reason for reason in (COUNTY_APPROVED, COUNTY_REDETERMINED)}


def reason_shown(text: str) -> str:
    reason = SYSTEM_REASONS.get(text)
    return str(reason) if reason else text
