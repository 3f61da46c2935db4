"""Reads of the work calendar: the memoised `WorkCalendar` every time limit is counted on, and a
year's days as shown on the staff page, answered by the API and printed by `calendar-show`."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db.models import QuerySet

from linli.core.memo import memo
from linli.workdays.domain import CalendarEntry, WorkCalendar, parse_office_hours, year_entries
from linli.workdays.models import WorkCalendarDay, WorkCalendarYear


@memo(60)
def work_calendar() -> WorkCalendar:
    """The calendar of all known exceptions, memoised for a minute per process (an admin's edit
    clears this process's copy at once; other processes follow within the minute)."""
    return WorkCalendar(
        exceptions=dict(WorkCalendarDay.objects.values_list("day", "is_workday")),
        known_years=frozenset(WorkCalendarYear.objects.values_list("year", flat=True)),
        office_hours=parse_office_hours(settings.LINLI_OFFICE_HOURS),
    )


def work_calendar_forget() -> None:
    work_calendar.forget()


def calendar_days(year: int) -> QuerySet[WorkCalendarDay]:
    """The stored exceptions of `year` (no provisional days: see `calendar_year`)."""
    return WorkCalendarDay.objects.filter(day__year=year)


def calendar_years() -> QuerySet[WorkCalendarYear]:
    return WorkCalendarYear.objects.all()


def calendar_known_years() -> set[int]:
    return set(WorkCalendarYear.objects.values_list("year", flat=True))


def calendar_year_source(year: int) -> str | None:
    """Where the year's schedule came from (an admin, the package), or None while unpublished."""
    return WorkCalendarYear.objects.filter(year=year).values_list("source", flat=True).first()


def calendar_provisional_holidays(year: int) -> list[tuple[date, str]]:
    """The statutory holidays assumed for `year` while its schedule is unpublished (empty once
    it is known): shown on the calendar page, counted by `work_calendar`."""
    return list(work_calendar().provisional_holidays(year).items())


def calendar_year(year: int) -> list[CalendarEntry]:
    """The year's holidays and swapped working days: the stored ones, and while the year has no
    published schedule the statutory holidays the calendar assumes, flagged provisional."""
    stored = [
        CalendarEntry(row.day, row.is_workday, row.name, row.source) for row in calendar_days(year).order_by("day")
    ]
    return year_entries(stored, work_calendar().provisional_holidays(year))
