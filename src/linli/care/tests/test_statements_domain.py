"""Statements' rules with no database: the week's bed slots, a visit's money, on time, below plan."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

from linli.care.domain.statements import (
    BedMonth,
    bed_slots,
    month_parse,
    next_month,
    on_time,
    rate,
    unverified_refusal,
    visit_amounts,
    week_days,
)

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")


def test_week_days_spread_the_visits_over_the_week():
    assert week_days(1) == [0]
    assert week_days(2) == [0, 3]
    assert week_days(3) == [0, 2, 4]
    assert week_days(7) == [0, 1, 2, 3, 4, 5, 6]


def test_bed_slots_start_at_nine_for_the_items_minutes():
    slots = bed_slots(dt.date(2026, 12, 7), 2, 60, TZ)
    assert slots == [
        (dt.datetime(2026, 12, 7, 9, 0, tzinfo=TZ), dt.datetime(2026, 12, 7, 10, 0, tzinfo=TZ)),
        (dt.datetime(2026, 12, 10, 9, 0, tzinfo=TZ), dt.datetime(2026, 12, 10, 10, 0, tzinfo=TZ)),
    ]


def test_visit_amounts_split_the_price_at_the_share():
    assert visit_amounts(Decimal("60.00"), 80) == (Decimal("48.00"), Decimal("12.00"))
    assert visit_amounts(Decimal("33.33"), 50) == (Decimal("16.67"), Decimal("16.66"))
    assert visit_amounts(Decimal("60.00"), 0) == (Decimal("0.00"), Decimal("60.00"))


def test_on_time_is_within_fifteen_minutes_of_the_start():
    start = dt.datetime(2026, 11, 3, 9, 0, tzinfo=TZ)
    assert on_time(start + dt.timedelta(minutes=15), start) is True
    assert on_time(start + dt.timedelta(minutes=16), start) is False
    assert on_time(None, start) is False


def test_a_bed_below_plan_delivered_fewer_than_due():
    assert BedMonth(4, 3, 3, Decimal("144")).below_plan is True
    assert BedMonth(4, 4, 2, Decimal("96")).below_plan is False
    assert BedMonth(0, 0, 0, Decimal("0")).below_plan is False


def test_months_and_rates():
    assert month_parse("2026-11") == dt.date(2026, 11, 1)
    assert month_parse("2026-11-20") == dt.date(2026, 11, 1)
    assert month_parse("2026-13") is None
    assert month_parse("") is None
    assert next_month(dt.date(2026, 12, 1)) == dt.date(2027, 1, 1)
    assert rate(3, 4) == 0.75
    assert rate(0, 0) is None


def test_the_refusal_names_the_visit():
    message = unverified_refusal(dt.datetime(2026, 11, 3, 9, 0), "刘桂兰", "助洁上门")
    assert message.zh == "2026-11-03 09:00 刘桂兰的“助洁上门”服务尚未核验，不能列入结算单"
    assert message.en == "The visit of 2026-11-03 09:00 to 刘桂兰 (助洁上门) is not verified and cannot be paid"
