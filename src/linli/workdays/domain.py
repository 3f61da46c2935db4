"""The work calendar's rules with no ORM: which days are working days, how many lie between two
days, the office minutes of a working day, the statutory holidays the law fixes for a year whose
schedule is not published yet, and the reading of a State Council schedule typed or pasted by an
admin (one line per day or run of days)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from types import MappingProxyType

from django.utils import timezone

from linli.core.errors import Msg

# The years a work calendar can be asked about (the API refuses others with a 422, not a 500).
CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR = 1949, 2100
DEFAULT_OFFICE_HOURS = ((time(8, 30), time(12, 0)), (time(13, 30), time(17, 30)))

# Where a stored day came from: an admin's entry, the law (kept when an admin first enters an
# unpublished year) or the `chinese-calendar` package (its source carries the version too).
ADMIN_SOURCE = "admin"
PACKAGE_SOURCE = "chinese-calendar"
# 《全国年节及纪念日放假办法》 as amended by the State Council in 2024 (in force from 2025),
# article 2: the days off for everyone. Lunar dates and the 清明 solar term come from
# `lunar-python`; its tables end with the year 2100, and the law is not applied before 2025.
STATUTORY_FIRST_YEAR, STATUTORY_LAST_YEAR = 2025, 2100
STATUTORY_SOURCE = "全国年节及纪念日放假办法"  # the source of calendar rows taken from the law
NAME_MAX = 40
REASON_MAX = 200


def parse_office_hours(text: str) -> tuple[tuple[time, time], ...]:
    """ "08:30-12:00,13:30-17:30" → ((08:30, 12:00), (13:30, 17:30)); ordered, not overlapping."""
    spans = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        start, _, end = part.partition("-")
        spans.append((time.fromisoformat(start.strip()), time.fromisoformat(end.strip())))
    if not spans or any(a >= b for a, b in spans) or any(spans[i][1] > spans[i + 1][0] for i in range(len(spans) - 1)):
        raise ValueError(f"office hours must be ordered HH:MM-HH:MM spans, not {text!r}")
    return tuple(spans)


@lru_cache(maxsize=32)
def statutory_holidays(year: int) -> Mapping[date, str]:
    """The holidays the law itself fixes in `year` — 元旦 1 day, 春节 4 days from 除夕, 清明 1,
    劳动节 2, 端午 1, 中秋 1, 国庆 3 — without the State Council's yearly 调休 arrangement
    (which swaps weekends and cannot be computed). Empty outside the law's years."""
    if not STATUTORY_FIRST_YEAR <= year <= STATUTORY_LAST_YEAR:
        return MappingProxyType({})
    from lunar_python import Lunar, Solar

    def lunar(month: int, day: int) -> date:
        solar = Lunar.fromYmd(year, month, day).getSolar()
        return date(solar.getYear(), solar.getMonth(), solar.getDay())

    # 除夕 is the day before 正月初一 (the 29th or the 30th of the twelfth month)
    eve = lunar(1, 1) - timedelta(days=1)
    qingming = Solar.fromYmd(year, 4, 1).getLunar().getJieQiTable()["清明"]
    days = {date(year, 1, 1): "元旦"}
    days |= {eve + timedelta(days=i): "春节" for i in range(4)}
    days[date(qingming.getYear(), qingming.getMonth(), qingming.getDay())] = "清明节"
    days |= {date(year, 5, 1): "劳动节", date(year, 5, 2): "劳动节"}
    days[lunar(5, 5)] = "端午节"
    days[lunar(8, 15)] = "中秋节"  # may fall within 国庆 (as in 2028): 国庆 then names the day
    days |= {date(year, 10, d): "国庆节" for d in (1, 2, 3)}
    return MappingProxyType(dict(sorted(days.items())))  # cached: shared, so read-only


def is_weekday(day: date) -> bool:
    return day.weekday() < 5


class WorkCalendar:
    """Working days: Monday to Friday, except the public holidays, plus the swapped working
    weekends (调休). `exceptions` maps a date to whether it is a working day where that differs
    from the weekday rule; `known_years` are the years whose schedule has been published. In any
    other year the statutory holidays (`statutory_holidays`) are days off — provisionally, with no
    调休 guessed — until an admin enters the published schedule (then that year is known).
    Working hours are the office hours of working days (for limits such as "4 working hours")."""

    def __init__(
        self,
        exceptions: dict[date, bool] | None = None,
        known_years: frozenset[int] = frozenset(),
        office_hours: tuple[tuple[time, time], ...] = DEFAULT_OFFICE_HOURS,
    ):
        self.exceptions = exceptions or {}
        self.known_years = known_years
        self.office_hours = office_hours

    def is_workday(self, day: date) -> bool:
        if day in self.exceptions:
            return self.exceptions[day]
        if day.year not in self.known_years and day in statutory_holidays(day.year):
            return False
        return is_weekday(day)

    def provisional_holidays(self, year: int) -> Mapping[date, str]:
        """The statutory holidays this calendar assumes in `year` because its schedule is not
        published (empty for a known year)."""
        return MappingProxyType({}) if year in self.known_years else statutory_holidays(year)

    def knows(self, *days: date) -> bool:
        return all(d.year in self.known_years for d in days)

    def add_working_days(self, start: date, count: int) -> date:
        """The `count`-th working day after `start` (start itself not counted). With count 0,
        `start` if it is a working day, else the next working day (即办: decided the same day)."""
        day = start
        if count == 0:
            while not self.is_workday(day):
                day += timedelta(days=1)
            return day
        remaining = count
        while remaining:
            day += timedelta(days=1)
            if self.is_workday(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days d with start < d <= end (0 when end <= start)."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_workday(day)
        return count

    def due_on(self, accepted_on: date, days: int) -> date:
        return self.add_working_days(accepted_on, days)

    def resumed_due_on(self, due_on: date, paused_on: date, resumed_on: date) -> date:
        """补正期间不计入时限: the working days spent waiting for a supplement move the due date on."""
        return self.add_working_days(due_on, self.working_days_between(paused_on, resumed_on))

    def due_soon(self, due_on: date, today: date, within: int) -> bool:
        """Due today or within the next `within` working days, and not overdue yet."""
        return today <= due_on and self.working_days_between(today, due_on) <= within

    def _spans(self, day: date, tz) -> list[tuple[datetime, datetime]]:
        if not self.is_workday(day):
            return []
        return [
            (datetime.combine(day, a, tzinfo=tz), datetime.combine(day, b, tzinfo=tz)) for a, b in self.office_hours
        ]

    def add_working_minutes(self, start: datetime, minutes: int) -> datetime:
        """The moment `minutes` of office time after `start` (an aware datetime), skipping
        nights, lunch breaks, weekends and holidays. With 0, the next moment in office time.
        Office hours are local: a UTC `start` (as from `timezone.now()`) is converted first."""
        start = timezone.localtime(start)
        remaining = timedelta(minutes=minutes)
        day = start.date()
        while True:
            for begin, end in self._spans(day, start.tzinfo):
                begin = max(begin, start)
                if begin >= end:
                    continue
                if remaining == timedelta(0) or begin + remaining <= end:
                    return begin + remaining
                remaining -= end - begin
            day += timedelta(days=1)

    def working_minutes_between(self, start: datetime, end: datetime) -> int:
        """Minutes of office time in [start, end) (0 when end <= start)."""
        start, end = timezone.localtime(start), timezone.localtime(end)
        total = timedelta(0)
        day = start.date()
        while day <= end.date():
            for begin, finish in self._spans(day, start.tzinfo):
                overlap = min(finish, end) - max(begin, start)
                if overlap > timedelta(0):
                    total += overlap
            day += timedelta(days=1)
        return int(total.total_seconds() // 60)


# ---------------------------------------------------------------- a year's days as shown


@dataclass(frozen=True)
class CalendarEntry:
    """One day of a year's calendar as shown and answered: a stored exception, or a statutory
    holiday assumed while the year's schedule is unpublished (`provisional`)."""

    day: date
    is_workday: bool
    name: str
    source: str
    provisional: bool = False


def year_entries(stored: list[CalendarEntry], provisional: Mapping[date, str]) -> list[CalendarEntry]:
    """The stored days of a year and the provisional statutory holidays, by date; a stored day
    wins over the law's guess for the same date."""
    entries = {entry.day: entry for entry in stored}
    for day, name in provisional.items():
        entries.setdefault(day, CalendarEntry(day, False, name, STATUTORY_SOURCE, provisional=True))
    return [entries[day] for day in sorted(entries)]


# ---------------------------------------------------------------- a published schedule, pasted


@dataclass(frozen=True)
class ScheduleLine:
    """A day of a published schedule: a holiday or a working day (调休), with its name."""

    day: date
    is_workday: bool
    name: str


@dataclass(frozen=True)
class ScheduleError:
    line: int  # 1-based, as an editor numbers it
    text: str
    why: Msg


HOLIDAY_WORDS = frozenset({"休", "假", "放假", "休息", "holiday", "off", "h", "0"})
WORKDAY_WORDS = frozenset({"班", "上班", "调休上班", "补班", "workday", "work", "w", "1"})
SCHEDULE_MAX_LINES = 400
# "2027-02-05", or a run "2027-02-05~2027-02-11" (also 至, .. or –)
_DAYS = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})(?:\s*(?:~|～|至|\.\.|–|—)\s*(\d{4}-\d{1,2}-\d{1,2}))?$")
_SPLIT = re.compile(r"\s*[,，\t;；]\s*|\s+")
RUN_MAX_DAYS = 14  # the longest run of holidays in any published schedule is 9 days


def _iso(text: str) -> date | None:
    year, month, day = (int(part) for part in text.split("-"))
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_schedule_line(text: str, year: int) -> list[ScheduleLine] | Msg:
    """One line of a schedule: `DAY[~DAY] KIND [NAME]`, e.g. `2027-02-05~2027-02-11 休 春节` or
    `2027-02-07,班,春节调休`; KIND is 休/假/holiday or 班/上班/workday. The days must lie in `year`.
    The days, or why the line cannot be read."""
    fields = [f for f in _SPLIT.split(_join_run(text.strip()), maxsplit=2) if f]
    if len(fields) < 2:
        return Msg("每行应写：日期 休/班 名称", "Each line is: date holiday/workday name")
    days, kind = _DAYS.match(fields[0]), fields[1].lower()
    if days is None:
        return Msg(f"日期“{fields[0]}”应写作 年-月-日", f"The date “{fields[0]}” should be YYYY-MM-DD")
    first, last = _iso(days.group(1)), _iso(days.group(2) or days.group(1))
    if first is None or last is None:
        return Msg(f"没有这一天：{fields[0]}", f"No such day: {fields[0]}")
    if first.year != year or last.year != year:
        return Msg(f"日期应在 {year} 年内", f"The dates must lie in {year}")
    if not 0 <= (last - first).days < RUN_MAX_DAYS:
        return Msg(
            f"连续日期应从早到晚且不超过 {RUN_MAX_DAYS} 天",
            f"A run of days goes forward and spans at most {RUN_MAX_DAYS}",
        )
    if kind not in HOLIDAY_WORDS | WORKDAY_WORDS:
        return Msg(f"“{fields[1]}”应为 休 或 班", f"“{fields[1]}” should be 休 (holiday) or 班 (working day)")
    name = fields[2].strip() if len(fields) > 2 else ""
    if len(name) > NAME_MAX:
        return Msg(f"名称最多 {NAME_MAX} 个字", f"The name has at most {NAME_MAX} characters")
    is_workday = kind in WORKDAY_WORDS
    return [ScheduleLine(first + timedelta(days=i), is_workday, name) for i in range((last - first).days + 1)]


def _join_run(text: str) -> str:
    """Close up the spaces around a run's separator so the run is one field."""
    return re.sub(r"\s*(~|～|至|\.\.|–|—)\s*", r"\1", text)


def parse_schedule(text: str, year: int) -> tuple[list[ScheduleLine], list[ScheduleError]]:
    """A pasted or uploaded schedule for `year`, one day or run of days a line (blank lines and
    lines starting with # are skipped). Every line that cannot be read is reported with its
    number; a day listed twice is an error on its second line."""
    days: list[ScheduleLine] = []
    errors: list[ScheduleError] = []
    seen: dict[date, int] = {}
    lines = text.splitlines()
    if len(lines) > SCHEDULE_MAX_LINES:
        return [], [ScheduleError(0, "", Msg(f"最多 {SCHEDULE_MAX_LINES} 行", f"At most {SCHEDULE_MAX_LINES} lines"))]
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parsed = parse_schedule_line(line.replace("\ufeff", ""), year)
        if isinstance(parsed, Msg):
            errors.append(ScheduleError(number, line.strip(), parsed))
            continue
        twice = next((seen[d.day] for d in parsed if d.day in seen), None)
        if twice is not None:
            why = Msg(f"与第 {twice} 行的日期重复", f"A day already given on line {twice}")
            errors.append(ScheduleError(number, line.strip(), why))
            continue
        seen |= {d.day: number for d in parsed}
        days += parsed
    return days, errors


def schedule_exceptions(days: list[ScheduleLine]) -> list[ScheduleLine]:
    """The days of a schedule that differ from the weekday rule (a weekend holiday needs no row)."""
    return [d for d in days if d.is_workday != is_weekday(d.day)]
