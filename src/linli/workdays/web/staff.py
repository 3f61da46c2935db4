"""The staff calendar page (city admins and operators with the calendar permission): a year's
holidays and swapped working days, the provisional statutory holidays of a year with no published
schedule, one day's entry and a whole year's schedule entered at once."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.domain import CALENDAR_EDIT
from linli.core.errors import DomainError
from linli.core.forms import add_domain_errors
from linli.core.web import staff_page
from linli.workdays.domain import ADMIN_SOURCE, CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR, PACKAGE_SOURCE
from linli.workdays.selectors import calendar_known_years, calendar_year
from linli.workdays.services import calendar_day_set, calendar_schedule_set
from linli.workdays.web.forms import CalendarDayForm, ScheduleForm


def source_label(source: str, provisional: bool) -> str:
    """Where a day comes from, in words (the stored codes are for machines)."""
    if provisional:
        return _("statutory holiday, provisional")
    if source == ADMIN_SOURCE:
        return _("entered by an admin")
    if source.startswith(PACKAGE_SOURCE):
        return _("published schedule (chinese-calendar package)")
    return _("statutory holiday")


def _page(request, year: int, day_form: CalendarDayForm, schedule_form: ScheduleForm, status: int = 200):
    entries = [
        {"entry": entry, "source": source_label(entry.source, entry.provisional)} for entry in calendar_year(year)
    ]
    context = {
        "year": year,
        "years": [y for y in (year - 1, year, year + 1) if CALENDAR_FIRST_YEAR <= y <= CALENDAR_LAST_YEAR],
        "known": year in calendar_known_years(),
        "days": [e for e in entries if not e["entry"].provisional],
        "provisional": [e for e in entries if e["entry"].provisional],
        "form": day_form,
        "schedule_form": schedule_form,
        "schedule_errors": [str(m) for m in schedule_form.non_field_errors()],
    }
    return render(request, "workdays/staff/calendar.html", context, status=status)


@staff_page(CALENDAR_EDIT)
def calendar(request, year: int | None = None):
    year = year or timezone.localdate().year
    if not CALENDAR_FIRST_YEAR <= year <= CALENDAR_LAST_YEAR:
        return redirect("portal:workdays:calendar")
    form = CalendarDayForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            calendar_day_set(actor=request.actor, **form.cleaned_data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("portal:workdays:calendar-year", year=form.cleaned_data["day"].year)
    return _page(request, year, form, ScheduleForm(prefix="schedule"), status=400 if form.errors else 200)


@staff_page(CALENDAR_EDIT)
def schedule(request, year: int):
    """The year's whole schedule at once: all lines good and it replaces the year, or nothing is
    written and every bad line is listed by its number."""
    if request.method != "POST" or not CALENDAR_FIRST_YEAR <= year <= CALENDAR_LAST_YEAR:
        return redirect("portal:workdays:calendar")
    form = ScheduleForm(request.POST, request.FILES, prefix="schedule")
    if form.is_valid():
        try:
            saved = calendar_schedule_set(
                actor=request.actor, year=year, text=form.cleaned_data["schedule"], reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            for problem in error.fields:
                form.add_error("reason" if problem.field == "reason" else None, str(problem.message))
        else:
            messages.success(
                request,
                _(
                    "The schedule of %(year)s is entered: %(holidays)s holidays on weekdays, "
                    "%(workdays)s working weekend days."
                )
                % {"year": year, "holidays": saved.holidays, "workdays": saved.workdays},
            )
            return redirect("portal:workdays:calendar-year", year=year)
    return _page(request, year, CalendarDayForm(), form, status=400)
