"""The work calendar over JSON, under /api/v1/workdays: a year's holidays and swapped working
days (public; the provisional statutory holidays of a year with no published schedule included
and flagged), and an admin's entry of one day. The same two operations stay at their old
/api/v1/desk/calendar/… paths for integrators, marked deprecated in the schema (`legacy_router`)."""

from datetime import date

from ninja import Field, Path, Router, Schema

from linli.core.apitools import ErrorOut
from linli.core.errors import FieldError, Msg, validation_failed
from linli.workdays.domain import ADMIN_SOURCE, CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR, NAME_MAX, REASON_MAX
from linli.workdays.selectors import calendar_year
from linli.workdays.services import calendar_day_set

router = Router(tags=["work calendar"])
legacy_router = Router(tags=["work calendar"])
READ_ERRORS = {422: ErrorOut}
WRITE_ERRORS = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}
YEAR = Path(..., ge=CALENDAR_FIRST_YEAR, le=CALENDAR_LAST_YEAR)
DAY = Path(..., description="YYYY-MM-DD")


class CalendarDayOut(Schema):
    day: date
    is_workday: bool
    name: str
    source: str = Field(description="admin, chinese-calendar <version> or 全国年节及纪念日放假办法 (the law)")
    provisional: bool = Field(
        False, description="a statutory holiday assumed because the year's schedule is not published yet"
    )


class CalendarDayIn(Schema):
    is_workday: bool
    name: str = Field("", max_length=NAME_MAX)
    reason: str = Field("", max_length=REASON_MAX, description="the basis, e.g. the State Council notice (audited)")


def _year(year: int) -> list[dict]:
    return [entry.__dict__ for entry in calendar_year(year)]


def _set_day(request, payload: CalendarDayIn, text: str) -> dict:
    day = calendar_date(text)
    calendar_day_set(actor=request.actor, day=day, **payload.model_dump())
    return {"day": day, "is_workday": payload.is_workday, "name": payload.name, "source": ADMIN_SOURCE}


def calendar_date(text: str) -> date:
    """Only an ISO date names a calendar day: `0` or a timestamp is not 1970-01-01."""
    try:
        day = date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        day = None
    if day is None or not CALENDAR_FIRST_YEAR <= day.year <= CALENDAR_LAST_YEAR:
        why = Msg(
            f"日期应写作 年-月-日（{CALENDAR_FIRST_YEAR}–{CALENDAR_LAST_YEAR} 年）",
            f"Write the day as YYYY-MM-DD ({CALENDAR_FIRST_YEAR}–{CALENDAR_LAST_YEAR})",
        )
        raise validation_failed([FieldError("day", why)])
    return day


@router.get("/calendar/{int:year}", auth=None, response={200: list[CalendarDayOut], **READ_ERRORS})
def calendar(request, year: int = YEAR):
    """The year's exceptions to Monday–Friday: public holidays and swapped working days (调休). For a
    year whose schedule is not published yet, the statutory holidays the due dates skip are listed
    too, with `provisional: true`."""
    return _year(year)


@router.put("/calendar/days/{day}", response={200: CalendarDayOut, **WRITE_ERRORS})
def calendar_day(request, payload: CalendarDayIn, day: str = DAY):
    """Mark a day as a working day or a holiday (calendar admins), e.g. next year's schedule."""
    return _set_day(request, payload, day)


@legacy_router.get(
    "/calendar/{int:year}",
    auth=None,
    deprecated=True,
    operation_id="desk_calendar_deprecated",
    response={200: list[CalendarDayOut], **READ_ERRORS},
)
def desk_calendar(request, year: int = YEAR):
    """Deprecated: use GET /api/v1/workdays/calendar/{year} (same answer)."""
    return _year(year)


@legacy_router.put(
    "/calendar/days/{day}",
    deprecated=True,
    operation_id="desk_calendar_day_deprecated",
    response={200: CalendarDayOut, **WRITE_ERRORS},
)
def desk_calendar_day(request, payload: CalendarDayIn, day: str = DAY):
    """Deprecated: use PUT /api/v1/workdays/calendar/days/{day} (same body and answer)."""
    return _set_day(request, payload, day)
