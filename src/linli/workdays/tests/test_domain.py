"""The calendar's rules without a database: working days around Spring Festival and National
Day (property-based, over the real published schedules and the statutory holidays of the first
unpublished year), working hours, and the reading of a schedule an admin pastes."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from chinese_calendar import constants
from hypothesis import given, settings
from hypothesis import strategies as st

from linli.core.errors import Msg
from linli.workdays.domain import (
    DEFAULT_OFFICE_HOURS,
    CalendarEntry,
    WorkCalendar,
    parse_office_hours,
    parse_schedule,
    parse_schedule_line,
    schedule_exceptions,
    statutory_holidays,
    year_entries,
)

REAL = WorkCalendar(
    exceptions={d: False for d in constants.holidays if d.weekday() < 5}
    | {d: True for d in constants.workdays if d.weekday() >= 5},
    known_years=frozenset(range(2004, 2027)),
)
# Days around the holidays where the arithmetic is most likely to go wrong.
SPRING_2026 = st.dates(min_value=date(2026, 2, 1), max_value=date(2026, 3, 10))
NATIONAL_2025 = st.dates(min_value=date(2025, 9, 20), max_value=date(2025, 10, 20))
UNPUBLISHED_2027 = st.dates(min_value=date(2026, 12, 15), max_value=date(2027, 10, 20))
AROUND_HOLIDAYS = st.one_of(
    SPRING_2026, NATIONAL_2025, UNPUBLISHED_2027, st.dates(min_value=date(2020, 1, 1), max_value=date(2026, 12, 1))
)


def test_the_published_2026_spring_festival_and_its_swapped_weekend_days():
    # 2026: 春节 2月15日–23日 off; Saturday 2月14日 and Saturday 2月28日 are working days (调休)
    assert REAL.is_workday(date(2026, 2, 14)) is True
    assert REAL.is_workday(date(2026, 2, 16)) is False
    assert REAL.is_workday(date(2026, 2, 23)) is False
    assert REAL.is_workday(date(2026, 2, 24)) is True
    assert REAL.is_workday(date(2026, 2, 28)) is True
    # 5 working days from Friday 13 February: Sat 14 (调休), then 24, 25, 26, 27 February
    assert REAL.add_working_days(date(2026, 2, 13), 5) == date(2026, 2, 27)


def test_national_day_2025_is_skipped():
    # 2025: 国庆+中秋 10月1日–8日 off; Sunday 28 Sept and Saturday 11 Oct are working days
    assert REAL.add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)
    assert REAL.add_working_days(date(2025, 9, 26), 1) == date(2025, 9, 28)
    assert REAL.working_days_between(date(2025, 9, 30), date(2025, 10, 8)) == 0


@settings(max_examples=300, deadline=None)
@given(start=AROUND_HOLIDAYS, count=st.integers(min_value=1, max_value=60))
def test_a_due_date_is_a_working_day_exactly_count_working_days_later(start, count):
    due = REAL.add_working_days(start, count)
    assert REAL.is_workday(due)
    assert due > start
    assert REAL.working_days_between(start, due) == count
    # and no earlier day would do
    assert REAL.working_days_between(start, due - timedelta(days=1)) == count - 1


@settings(max_examples=200, deadline=None)
@given(start=AROUND_HOLIDAYS, a=st.integers(0, 30), b=st.integers(0, 30))
def test_adding_working_days_composes(start, a, b):
    if a == 0:  # 0 means "today if working, else the next working day", not the identity
        return
    assert REAL.add_working_days(REAL.add_working_days(start, a), b) == REAL.add_working_days(start, a + b)


@settings(max_examples=200, deadline=None)
@given(accepted=AROUND_HOLIDAYS, days=st.integers(1, 30), pause_at=st.integers(0, 20), pause_len=st.integers(0, 40))
def test_a_supplement_pause_moves_the_due_date_by_the_working_days_paused(accepted, days, pause_at, pause_len):
    due = REAL.due_on(accepted, days)
    paused_on = accepted + timedelta(days=pause_at)
    resumed_on = paused_on + timedelta(days=pause_len)
    new_due = REAL.resumed_due_on(due, paused_on, resumed_on)
    paused = REAL.working_days_between(paused_on, resumed_on)
    assert REAL.working_days_between(due, new_due) == paused
    if paused == 0:
        assert new_due == due
    assert REAL.is_workday(new_due)


def test_instant_items_are_due_the_same_working_day():
    assert REAL.due_on(date(2026, 11, 25), 0) == date(2026, 11, 25)  # a Wednesday
    assert REAL.due_on(date(2025, 10, 3), 0) == date(2025, 10, 9)  # inside National Day


# ---- 2027: no schedule published yet; the statutory holidays of 《全国年节及纪念日放假办法》
# (2024 amendment) are days off, provisionally, with no 调休. Lunar dates checked independently
# against the Hong Kong Observatory's Gregorian–Lunar calendar conversion table for 2027
# (https://www.hko.gov.hk/en/gts/time/conversion.htm): 正月初一 = Saturday 6 Feb 2027, so
# 除夕 = Friday 5 Feb; 五月初五 = 9 Jun; 八月十五 = Wednesday 15 Sep; 清明 = 5 Apr.


def test_the_law_gives_2027_its_statutory_holidays():
    assert statutory_holidays(2027) == {
        date(2027, 1, 1): "元旦",
        date(2027, 2, 5): "春节",  # 除夕
        date(2027, 2, 6): "春节",  # 初一
        date(2027, 2, 7): "春节",
        date(2027, 2, 8): "春节",  # 初三
        date(2027, 4, 5): "清明节",
        date(2027, 5, 1): "劳动节",
        date(2027, 5, 2): "劳动节",
        date(2027, 6, 9): "端午节",
        date(2027, 9, 15): "中秋节",
        date(2027, 10, 1): "国庆节",
        date(2027, 10, 2): "国庆节",
        date(2027, 10, 3): "国庆节",
    }
    # before the 2024 amendment took effect, and past the lunar tables, the law is not applied
    assert statutory_holidays(2024) == {} and statutory_holidays(2101) == {}


def test_an_unknown_year_skips_the_statutory_holidays_and_says_so():
    assert not REAL.knows(date(2027, 3, 1))
    assert REAL.is_workday(date(2027, 1, 1)) is False  # New Year's Day, a Friday
    assert REAL.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)  # Thursday → Monday
    assert REAL.add_working_days(date(2027, 1, 1), 0) == date(2027, 1, 4)  # 即办 on a holiday
    assert REAL.provisional_holidays(2027) == statutory_holidays(2027)
    assert REAL.provisional_holidays(2026) == {}  # published: chinese-calendar's schedule only


def test_spring_festival_2027_is_four_days_from_new_years_eve_with_no_swaps():
    assert [REAL.is_workday(date(2027, 2, d)) for d in range(4, 10)] == [True, False, False, False, False, True]
    assert REAL.add_working_days(date(2027, 2, 4), 1) == date(2027, 2, 9)  # Thu → Tue
    # Mon 1 Feb + 5: 2, 3, 4, (5–8 off), 9, 10
    assert REAL.add_working_days(date(2027, 2, 1), 5) == date(2027, 2, 10)
    assert REAL.working_days_between(date(2027, 2, 4), date(2027, 2, 8)) == 0
    # no 调休 is guessed: the weekends around it stay days off
    assert REAL.is_workday(date(2027, 1, 31)) is False and REAL.is_workday(date(2027, 2, 20)) is False


def test_mid_autumn_and_national_day_2027():
    assert REAL.is_workday(date(2027, 9, 15)) is False  # 中秋, a Wednesday
    assert REAL.add_working_days(date(2027, 9, 14), 1) == date(2027, 9, 16)
    assert REAL.is_workday(date(2027, 10, 1)) is False  # 国庆 Fri 1 – Sun 3 October
    assert REAL.add_working_days(date(2027, 9, 30), 1) == date(2027, 10, 4)
    # Tue 14 Sep – Fri 8 Oct: 19 weekdays, less 15 Sep and 1 Oct
    assert REAL.working_days_between(date(2027, 9, 13), date(2027, 10, 8)) == 17
    assert REAL.add_working_days(date(2027, 9, 13), 17) == date(2027, 10, 8)


def test_qingming_and_dragon_boat_2027():
    assert REAL.add_working_days(date(2027, 4, 2), 1) == date(2027, 4, 6)  # Fri → (Mon 5 清明) → Tue
    assert REAL.add_working_days(date(2027, 6, 8), 1) == date(2027, 6, 10)  # Tue → (Wed 9 端午) → Thu


def test_a_published_year_follows_its_schedule_not_the_statutory_guess():
    # once an admin enters 2027 (the year becomes known), only the entered days count
    entered = WorkCalendar(exceptions={date(2027, 2, 8): False}, known_years=frozenset({2027}))
    assert entered.is_workday(date(2027, 1, 1)) is True  # not entered: the weekday rule
    assert entered.is_workday(date(2027, 2, 8)) is False
    assert entered.provisional_holidays(2027) == {}


def test_due_soon_counts_working_days_and_excludes_overdue():
    today = date(2026, 11, 25)
    assert REAL.due_soon(date(2026, 11, 27), today, 2)
    assert not REAL.due_soon(date(2026, 11, 30), today, 1)
    assert not REAL.due_soon(date(2026, 11, 24), today, 2)


SHANGHAI = ZoneInfo("Asia/Shanghai")
MOMENTS = st.datetimes(min_value=datetime(2025, 9, 20), max_value=datetime(2026, 3, 10)).map(
    lambda moment: moment.replace(second=0, microsecond=0, tzinfo=SHANGHAI)
)


def test_working_hours_skip_lunch_nights_weekends_and_holidays():
    friday_4pm = datetime(2026, 2, 13, 16, 0, tzinfo=SHANGHAI)  # before Spring Festival
    # 90 minutes until 17:30 Friday, then Saturday 14 Feb is a swapped working day from 08:30
    assert REAL.add_working_minutes(friday_4pm, 4 * 60) == datetime(2026, 2, 14, 11, 0, tzinfo=SHANGHAI)
    # four hours from 11:00 on a Wednesday: 1 h before lunch, 3 h after it
    assert REAL.add_working_minutes(datetime(2026, 11, 25, 11, 0, tzinfo=SHANGHAI), 240) == datetime(
        2026, 11, 25, 16, 30, tzinfo=SHANGHAI
    )
    night = datetime(2025, 9, 30, 22, 0, tzinfo=SHANGHAI)  # the eve of National Day
    assert REAL.add_working_minutes(night, 0) == datetime(2025, 10, 9, 8, 30, tzinfo=SHANGHAI)


@settings(max_examples=300, deadline=None)
@given(start=MOMENTS, minutes=st.integers(min_value=1, max_value=60 * 40))
def test_a_working_hours_deadline_is_in_office_time_and_exactly_that_far(start, minutes):
    due = REAL.add_working_minutes(start, minutes)
    assert REAL.is_workday(due.date())
    assert any(a <= due.time() <= b for a, b in DEFAULT_OFFICE_HOURS)
    assert REAL.working_minutes_between(start, due) == minutes


def test_office_hours_are_configurable_and_checked():
    assert parse_office_hours("09:00-12:00, 14:00-18:00") == ((time(9), time(12)), (time(14), time(18)))
    for bad in ("", "12:00-09:00", "09:00-13:00,12:00-17:00", "nine-five"):
        with pytest.raises(ValueError):
            parse_office_hours(bad)


# ---- a schedule pasted by an admin (the State Council's 2026 notice as it was published)
SCHEDULE_2026 = """# 国务院办公厅关于2026年部分节假日安排的通知
2026-01-01~2026-01-03 休 元旦
2026-01-04 班 元旦调休
2026-02-15至2026-02-23 休 春节
2026-02-14 班 春节调休
2026-02-28,班,春节调休
"""


def test_a_pasted_schedule_gives_each_day_of_each_run():
    days, errors = parse_schedule(SCHEDULE_2026, 2026)
    assert errors == []
    assert [d.day for d in days[:3]] == [date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 3)]
    assert len([d for d in days if d.name == "春节" and not d.is_workday]) == 9
    assert [(d.day, d.is_workday) for d in days if d.is_workday] == [
        (date(2026, 1, 4), True),
        (date(2026, 2, 14), True),
        (date(2026, 2, 28), True),
    ]
    # only the days that differ from Monday–Friday need a row: weekday holidays, weekend work
    stored = schedule_exceptions(days)
    assert date(2026, 1, 3) not in {d.day for d in stored}  # a Saturday off anyway
    assert {d.day for d in stored if d.is_workday} == {date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28)}
    # Thu 1 – Fri 2 Jan; Mon 16 – Fri 20 and Mon 23 Feb (15 Feb is a Sunday)
    assert len([d for d in stored if not d.is_workday]) == 2 + 6
    # the same days as the chinese-calendar package's 2026 schedule for January and February
    assert {(d.day, d.is_workday) for d in stored} == {
        (day, is_workday) for day, is_workday in REAL.exceptions.items() if day.year == 2026 and day.month <= 2
    }


def test_every_unreadable_line_is_reported_by_its_number():
    text = "2027-01-01 休 元旦\n\n2027-02-30 休 春节\n2027-02-07 上课\n2026-12-31 休\n2027-01-01 休 又一次\nnonsense\n"
    days, errors = parse_schedule(text, 2027)
    assert [d.day for d in days] == [date(2027, 1, 1)]
    assert [(e.line, e.text) for e in errors] == [
        (3, "2027-02-30 休 春节"),
        (4, "2027-02-07 上课"),
        (5, "2026-12-31 休"),
        (6, "2027-01-01 休 又一次"),
        (7, "nonsense"),
    ]
    assert errors[0].why.zh == "没有这一天：2027-02-30"
    assert errors[1].why.en == "“上课” should be 休 (holiday) or 班 (working day)"
    assert errors[2].why.zh == "日期应在 2027 年内"
    assert errors[3].why.zh == "与第 1 行的日期重复"
    assert errors[4].why.zh == "每行应写：日期 休/班 名称"


def test_a_run_goes_forward_and_is_short():
    assert isinstance(parse_schedule_line("2027-02-11~2027-02-05 休 春节", 2027), Msg)
    assert isinstance(parse_schedule_line("2027-01-01~2027-03-01 休 太长", 2027), Msg)
    assert len(parse_schedule_line("2027-10-01 ~ 2027-10-07 休 国庆节", 2027)) == 7


def test_stored_days_win_over_the_provisional_guess():
    stored = [CalendarEntry(date(2027, 2, 7), True, "春节调休", "admin")]
    entries = year_entries(stored, statutory_holidays(2027))
    assert len(entries) == 13
    sunday = next(e for e in entries if e.day == date(2027, 2, 7))
    assert (sunday.is_workday, sunday.provisional) == (True, False)
    assert all(e.provisional for e in entries if e.day != date(2027, 2, 7))
    assert [e.day for e in entries] == sorted(e.day for e in entries)
