"""Writes of the work calendar: seeding the published schedules from `chinese-calendar`, an
admin's entry of one day, and an admin's entry of a whole year's schedule as the State Council
publishes it (holidays and 调休 working days). Every write clears this process's memoised calendar;
the other processes follow within a minute."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from linli.accounts.domain import CALENDAR_EDIT
from linli.core.actor import Actor
from linli.core.errors import FieldError, Msg, permission_denied, validation_failed
from linli.core.services import audit_record
from linli.workdays.domain import (
    ADMIN_SOURCE,
    CALENDAR_FIRST_YEAR,
    CALENDAR_LAST_YEAR,
    NAME_MAX,
    PACKAGE_SOURCE,
    REASON_MAX,
    STATUTORY_SOURCE,
    is_weekday,
    parse_schedule,
    schedule_exceptions,
    statutory_holidays,
)
from linli.workdays.models import WorkCalendarDay, WorkCalendarYear
from linli.workdays.selectors import calendar_known_years, work_calendar


@transaction.atomic
def calendar_seed(*, years: list[int] | None = None) -> int:
    """Load public holidays and swapped working days from the `chinese-calendar` package into the
    editable calendar. Years an admin has edited are left alone. Returns the years written."""
    import chinese_calendar
    from chinese_calendar import constants

    source = f"{PACKAGE_SOURCE} {getattr(chinese_calendar, '__version__', '')}".strip()
    known = {d.year for d in constants.holidays} | {d.year for d in constants.workdays}
    admin_years = set(WorkCalendarYear.objects.filter(source=ADMIN_SOURCE).values_list("year", flat=True))
    wanted = sorted((set(years) if years else known) & known - admin_years)
    for year in wanted:
        rows = [
            WorkCalendarDay(day=day, is_workday=False, name=str(name), source=source)
            for day, name in constants.holidays.items()
            if day.year == year and is_weekday(day)
        ] + [
            WorkCalendarDay(day=day, is_workday=True, name=str(name), source=source)
            for day, name in constants.workdays.items()
            if day.year == year and not is_weekday(day)
        ]
        WorkCalendarDay.objects.filter(day__year=year).delete()
        WorkCalendarDay.objects.bulk_create(rows)
        WorkCalendarYear.objects.update_or_create(year=year, defaults={"source": source})
    work_calendar.forget()
    return len(wanted)


def _require(actor: Actor, permission: str) -> None:
    if not actor.has_perm(permission):
        raise permission_denied()


@transaction.atomic
def calendar_day_set(*, actor: Actor, day: date, is_workday: bool, name: str = "", reason: str = "") -> None:
    """An admin marks a day as a holiday or a working day (e.g. next year's schedule, published
    late), with the reason (the notice it comes from) kept in the audit log. A day that agrees
    with the weekday rule needs no row and has it removed."""
    _require(actor, CALENDAR_EDIT)
    if day.year not in calendar_known_years():
        # The first entry for an unpublished year makes it known: keep the statutory holidays
        # the calendar assumed so far as rows the admin sees and can change, not silently drop them.
        WorkCalendarDay.objects.bulk_create(
            WorkCalendarDay(day=holiday, is_workday=False, name=name_, source=STATUTORY_SOURCE)
            for holiday, name_ in statutory_holidays(day.year).items()
            if is_weekday(holiday)
        )
    WorkCalendarDay.objects.filter(day=day).delete()
    if is_workday != is_weekday(day):
        WorkCalendarDay.objects.create(day=day, is_workday=is_workday, name=name[:NAME_MAX], source=ADMIN_SOURCE)
    WorkCalendarYear.objects.update_or_create(year=day.year, defaults={"source": ADMIN_SOURCE})
    audit_record(
        actor=actor,
        action="calendar.day_set",
        object_type="calendar",
        object_id=day.isoformat(),
        details={"is_workday": is_workday, "name": name[:NAME_MAX], "reason": reason[:REASON_MAX]},
    )
    work_calendar.forget()


@dataclass(frozen=True)
class ScheduleSaved:
    year: int
    holidays: int  # weekday holidays stored
    workdays: int  # weekend working days (调休) stored


@transaction.atomic
def calendar_schedule_set(*, actor: Actor, year: int, text: str, reason: str) -> ScheduleSaved:
    """An admin enters the State Council's schedule for `year`, one day or run of days a line
    (`2027-02-05~2027-02-11 休 春节`, `2027-02-07 班 春节调休`). It replaces what the year had
    — the package's rows, earlier entries, the provisional statutory holidays — and makes the year
    known. All or nothing: with any unreadable line nothing is written and every bad line is
    reported by its number; so is a statutory holiday the list leaves out (the law fixes those
    days, a schedule only adds 调休 around them)."""
    _require(actor, CALENDAR_EDIT)
    problems = []
    if not CALENDAR_FIRST_YEAR <= year <= CALENDAR_LAST_YEAR:
        why = Msg(
            f"年份应在 {CALENDAR_FIRST_YEAR}–{CALENDAR_LAST_YEAR}",
            f"The year lies in {CALENDAR_FIRST_YEAR}–{CALENDAR_LAST_YEAR}",
        )
        raise validation_failed([FieldError("year", why)])
    if not reason.strip():
        problems.append(
            FieldError(
                "reason", Msg("请写明依据（如国务院办公厅通知的文号）", "Give the basis (e.g. the notice's number)")
            )
        )
    days, errors = parse_schedule(text, year)
    for error in errors:
        zh = f"第 {error.line} 行「{error.text}」：" if error.line else ""
        en = f"Line {error.line} “{error.text}”: " if error.line else ""
        problems.append(FieldError(f"schedule.{error.line}", Msg(zh + error.why.zh, en + error.why.en)))
    if not days and not errors:
        problems.append(FieldError("schedule", Msg("请至少写一天", "List at least one day")))
    listed = {d.day for d in days if not d.is_workday}
    missing = [(d, n) for d, n in statutory_holidays(year).items() if d not in listed and is_weekday(d)]
    if days and missing:
        names = "、".join(f"{d.isoformat()} {n}" for d, n in missing)
        problems.append(
            FieldError(
                "schedule", Msg(f"缺少法定节假日：{names}", f"Statutory holidays missing from the list: {names}")
            )
        )
    if problems:
        raise validation_failed(problems)
    rows = schedule_exceptions(days)
    WorkCalendarDay.objects.filter(day__year=year).delete()
    WorkCalendarDay.objects.bulk_create(
        WorkCalendarDay(day=d.day, is_workday=d.is_workday, name=d.name, source=ADMIN_SOURCE) for d in rows
    )
    WorkCalendarYear.objects.update_or_create(year=year, defaults={"source": ADMIN_SOURCE})
    saved = ScheduleSaved(year, sum(not d.is_workday for d in rows), sum(d.is_workday for d in rows))
    audit_record(
        actor=actor,
        action="calendar.schedule_set",
        object_type="calendar",
        object_id=str(year),
        details={"holidays": saved.holidays, "workdays": saved.workdays, "reason": reason.strip()[:REASON_MAX]},
    )
    work_calendar.forget()
    return saved
