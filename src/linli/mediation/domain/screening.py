"""The communities' monthly dispute screening (矛盾纠纷排查): each community files the month's
disputes found, in mediation, resolved and the escalated risks; the street and district see the
summary and who is overdue. No ORM.

A month may be filed once it is nearly over: from the first of its last `OPEN_DAYS_BEFORE_END`
days (a community screens in the month's last week and reports at once), never for a month to
come. A report is due by `DUE_DAY` of the next month. The counts are the month's own disputes:
found (registered that month), and of those the ones still in mediation at the month's end and
the ones resolved, so in mediation + resolved never exceeds found."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.errors import FieldError, Msg, field_error

DUE_DAY = 5  # a month's report is due by the 5th of the next month (an example, editable in settings)
OPEN_DAYS_BEFORE_END = 5  # the current month may be filed during its last 5 days
TREND_MONTHS = 12
RISKS_MAX = 20
FIRST_YEAR, LAST_YEAR = 2000, 9998  # months outside are no report's (and keep date arithmetic in range)
COUNT_MAX = 100_000  # far above any community's month; keeps a typo (or a fuzzer) out of the table


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low risk")
    MEDIUM = "medium", _("Medium risk")
    HIGH = "high", _("High risk (may escalate)")


class ReportStatus(models.TextChoices):
    FILED = "filed", _("Filed")
    DUE = "due", _("Not yet filed")
    OVERDUE = "overdue", _("Overdue")


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def next_month(month: date) -> date:
    return (month_end(month) + timedelta(days=1)).replace(day=1)


def previous_month(month: date) -> date:
    return (month.replace(day=1) - timedelta(days=1)).replace(day=1)


def months_back(month: date, count: int) -> list[date]:
    """`count` months ending with `month`, oldest first."""
    months = [month_start(month)]
    while len(months) < count:
        months.append(previous_month(months[-1]))
    return months[::-1]


def due_on(month: date) -> date:
    """The day a month's report is due: `DUE_DAY` of the next month."""
    return next_month(month).replace(day=DUE_DAY)


def opens_on(month: date) -> date:
    """The first day a month's report may be filed."""
    return month_end(month) - timedelta(days=OPEN_DAYS_BEFORE_END - 1)


def month_problem(month: date, today: date) -> Msg | None:
    """Why the report for `month` cannot be filed `today`, or None."""
    if not FIRST_YEAR <= month.year <= LAST_YEAR:
        return Msg("没有这个报告月份", "No such month to report on")
    first = opens_on(month)
    if today >= first:
        return None
    if month_start(today) == month_start(month):
        return Msg(
            f"本月的排查报告从 {first:%m月%d日} 起（月末 {OPEN_DAYS_BEFORE_END} 天内）才能报送",
            f"This month's report can be filed from {first:%Y-%m-%d} (its last {OPEN_DAYS_BEFORE_END} days)",
        )
    return Msg("不能报送未来月份的排查报告", "A report for a month still to come cannot be filed")


def report_status(month: date, filed: bool, today: date) -> str:
    if filed:
        return ReportStatus.FILED
    return ReportStatus.OVERDUE if today > due_on(month) else ReportStatus.DUE


@dataclass(frozen=True)
class Counts:
    found: int
    in_mediation: int
    resolved: int
    escalated_risks: int


def counts_problems(counts: Counts) -> list[FieldError]:
    """The counts' own rules: none negative; in mediation and resolved are among those found."""
    problems = [
        field_error(name, f"请填写 0 到 {COUNT_MAX} 之间的整数", f"Give a whole number from 0 to {COUNT_MAX}")
        for name in ("found", "in_mediation", "resolved", "escalated_risks")
        if getattr(counts, name) is None or not 0 <= getattr(counts, name) <= COUNT_MAX
    ]
    if problems:
        return problems
    if counts.in_mediation + counts.resolved > counts.found:
        problems.append(
            field_error(
                "found",
                f"调解中（{counts.in_mediation}）与已化解（{counts.resolved}）都是本月排查出的纠纷，"
                f"合计不能超过排查出的 {counts.found} 件",
                f"In mediation ({counts.in_mediation}) and resolved ({counts.resolved}) are among the month's "
                f"disputes found, so together they cannot exceed the {counts.found} found",
            )
        )
    return problems


AUDIT_ACTIONS: dict[str, Msg] = {
    "mediation.screening_file": Msg("报送矛盾纠纷排查", "Monthly dispute screening filed"),
    "mediation.screening_import": Msg("批量报送矛盾纠纷排查", "Monthly dispute screenings filed in bulk"),
    "mediation.screening_correct": Msg("更正矛盾纠纷排查", "Monthly dispute screening corrected"),
}
