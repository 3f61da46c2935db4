"""Writes of the calendar: seeding from the package, one day, a whole year's schedule (all or
nothing, every bad line reported), and the calendar every time limit is counted on following them."""

from datetime import date

import pytest

from linli.accounts.domain import CALENDAR_EDIT
from linli.core.actor import Actor
from linli.core.errors import DomainError
from linli.core.models import AuditEntry
from linli.workdays.models import WorkCalendarDay, WorkCalendarYear
from linli.workdays.selectors import calendar_year, work_calendar
from linli.workdays.services import calendar_day_set, calendar_schedule_set, calendar_seed

ADMIN = Actor.system("calendar-tests", permissions=frozenset({CALENDAR_EDIT}))
NOBODY = Actor.system("calendar-tests")
# A made-up 2027 arrangement in the State Council's style (the real one is not published yet):
# Spring Festival Thu 4 – Fri 12 Feb with Sun 31 Jan and Sat 20 Feb worked; National Day
# Fri 1 – Fri 8 Oct with Sat 9 Oct worked.
SCHEDULE_2027 = """# 2027年部分节假日安排（测试用）
2027-01-01~2027-01-03 休 元旦
2027-02-04~2027-02-12 休 春节
2027-01-31 班 春节调休
2027-02-20 班 春节调休
2027-04-05 休 清明节
2027-05-01~2027-05-05 休 劳动节
2027-06-09 休 端午节
2027-09-15 休 中秋节
2027-10-01~2027-10-08 休 国庆节
2027-10-09 班 国庆节调休
"""


def test_seeding_keeps_the_years_an_admin_entered(db):
    calendar_day_set(actor=ADMIN, day=date(2026, 2, 24), is_workday=False, name="改", reason="测试")  # a Tuesday
    assert calendar_seed(years=[2025, 2026]) == 1  # 2026 was edited by an admin: kept
    assert WorkCalendarDay.objects.get(day=date(2026, 2, 24)).source == "admin"
    assert WorkCalendarYear.objects.get(year=2025).source.startswith("chinese-calendar")


def test_a_whole_year_is_entered_at_once_and_replaces_the_provisional_days(db):
    assert not work_calendar().knows(date(2027, 3, 1))
    saved = calendar_schedule_set(actor=ADMIN, year=2027, text=SCHEDULE_2027, reason="国办发明电〔2026〕X号")
    # weekday holidays: 1 Jan; 4,5,8,9,10,11,12 Feb; 5 Apr; 3,4,5 May; 9 Jun; 15 Sep; 1,4,5,6,7,8 Oct
    assert (saved.holidays, saved.workdays) == (1 + 7 + 1 + 3 + 1 + 1 + 6, 3)
    calendar = work_calendar()
    assert calendar.knows(date(2027, 3, 1))
    assert calendar.is_workday(date(2027, 1, 31)) and calendar.is_workday(date(2027, 10, 9))
    assert not calendar.is_workday(date(2027, 2, 12)) and not calendar.is_workday(date(2027, 10, 8))
    # a 5-working-day limit from Wed 3 Feb: Sun 31 Jan is behind; 4–12 Feb off; Sat 20 Feb worked
    assert calendar.add_working_days(date(2027, 2, 3), 5) == date(2027, 2, 19)
    assert calendar.add_working_days(date(2027, 2, 3), 6) == date(2027, 2, 20)
    assert not any(e.provisional for e in calendar_year(2027))
    audit = AuditEntry.objects.get(action="calendar.schedule_set")
    assert (audit.object_id, audit.details["reason"]) == ("2027", "国办发明电〔2026〕X号")


def test_a_schedule_with_bad_lines_writes_nothing_and_names_every_line(db):
    text = SCHEDULE_2027.replace("2027-06-09 休", "2027-06-31 休").replace("2027-10-09 班", "2027-10-09 上学")
    with pytest.raises(DomainError) as refused:
        calendar_schedule_set(actor=ADMIN, year=2027, text=text, reason="通知")
    problems = {f.field: f.message.zh for f in refused.value.fields}
    assert problems == {
        "schedule.8": "第 8 行「2027-06-31 休 端午节」：没有这一天：2027-06-31",
        "schedule.11": "第 11 行「2027-10-09 上学 国庆节调休」：“上学”应为 休 或 班",
        # 端午 fell out with its line: the law's holidays must all be in the list
        "schedule": "缺少法定节假日：2027-06-09 端午节",
    }
    assert not WorkCalendarDay.objects.filter(day__year=2027).exists()
    assert not WorkCalendarYear.objects.filter(year=2027).exists()
    assert not AuditEntry.objects.filter(action="calendar.schedule_set").exists()


def test_a_schedule_needs_the_right_and_a_reason(db):
    with pytest.raises(DomainError) as refused:
        calendar_schedule_set(actor=NOBODY, year=2027, text=SCHEDULE_2027, reason="通知")
    assert refused.value.status == 403
    with pytest.raises(DomainError) as refused:
        calendar_schedule_set(actor=ADMIN, year=2027, text=SCHEDULE_2027, reason=" ")
    assert [f.field for f in refused.value.fields] == ["reason"]
    assert not WorkCalendarYear.objects.filter(year=2027).exists()


def test_one_day_makes_the_year_known_and_keeps_the_law_as_rows(db):
    calendar_day_set(actor=ADMIN, day=date(2027, 2, 7), is_workday=True, name="春节调休", reason="通知")
    entries = {e.day: e for e in calendar_year(2027)}
    assert entries[date(2027, 2, 7)].is_workday and entries[date(2027, 2, 7)].source == "admin"
    assert entries[date(2027, 2, 5)].source == "全国年节及纪念日放假办法" and not entries[date(2027, 2, 5)].provisional
    assert date(2027, 2, 6) not in entries  # a Saturday: off by the weekday rule, no row
    with pytest.raises(DomainError):
        calendar_day_set(actor=NOBODY, day=date(2027, 2, 8), is_workday=True)
