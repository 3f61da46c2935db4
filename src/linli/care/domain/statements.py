"""Care services, stage statements: family care beds (家庭养老床位), the providers' figures and
the monthly statement per provider (结算单). No ORM: states, the week's default visit slots, what
"on time" and "below plan" mean, and the money of a visit and a statement."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.errors import Msg

ALREADY_HAS_BED = Msg("该老人已有家庭养老床位", "The elder already has a family care bed")  # one open bed per elder

AUDIT_ACTIONS: dict[str, Msg] = {
    "care.bed_register": Msg("登记家庭养老床位", "Family care bed registered"),
    "care.bed_end": Msg("终止家庭养老床位", "Family care bed ended"),
    "care.bed_plan_read": Msg("查看家庭养老床位服务计划", "Family care bed plan read"),
    "care.bed_visits_schedule": Msg("排定家庭养老床位上门服务", "Family care bed visits scheduled"),
    "care.statement_generate": Msg("生成服务机构结算单", "Provider statement generated"),
    "care.statement_visit_add": Msg("结算单加入已核验服务", "Verified visit added to a statement"),
    "care.statement_approve": Msg("审核通过结算单", "Provider statement approved"),
    "care.statement_pay": Msg("登记结算单付款", "Provider statement payment recorded"),
    "care.statement_correct": Msg("结算单补充更正", "Provider statement corrected (supplementary line)"),
    "care.statement_export": Msg("导出结算单", "Provider statement exported"),
}

# a carer who checks in up to this long after the slot's start is on time (the plan's 15 minutes)
ON_TIME_GRACE = timedelta(minutes=15)
# ratings of 1 or 2 stars are a 差评 (bad rating)
BAD_RATING_MAX = 2
# the default slot of a bed visit: the morning round, the length of the bed item's visit
BED_SLOT_START = time(9, 0)


class StatementState(models.TextChoices):
    DRAFT = "draft", _("Draft, to approve")
    APPROVED = "approved", _("Approved, to pay")
    PAID = "paid", _("Paid")


class StatementKind(models.TextChoices):
    REGULAR = "regular", _("Monthly statement")
    SUPPLEMENTARY = "supplementary", _("Supplementary statement")


FROZEN_STATES = (StatementState.APPROVED, StatementState.PAID)


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def month_parse(text: str) -> date | None:
    """ "2026-11" (or an ISO date) as the first of its month; None when it is not one."""
    text = (text or "").strip()
    try:
        if len(text) == 7:
            return date.fromisoformat(f"{text}-01")
        return month_start(date.fromisoformat(text))
    except ValueError:
        return None


def week_days(visits_per_week: int) -> list[int]:
    """The weekdays (0 = Monday) a bed's N visits fall on, spread over the week: 1 → Mon,
    2 → Mon/Thu, 3 → Mon/Wed/Fri, …, 7 → every day."""
    n = max(1, min(7, visits_per_week))
    return sorted({(i * 7) // n for i in range(n)})


def bed_slots(week_start: date, visits_per_week: int, minutes: int, tz) -> list[tuple[datetime, datetime]]:
    """The week's default slots of a bed (aware datetimes in `tz`)."""
    slots = []
    for offset in week_days(visits_per_week):
        start = datetime.combine(week_start + timedelta(days=offset), BED_SLOT_START, tzinfo=tz)
        slots.append((start, start + timedelta(minutes=max(15, minutes))))
    return slots


def money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def visit_amounts(unit_price: Decimal, share: int) -> tuple[Decimal, Decimal]:
    """What the government and the resident pay for one visit at a share (percent)."""
    government = money(unit_price * share / 100)
    return government, money(unit_price) - government


def on_time(checked_in_at: datetime | None, slot_start: datetime) -> bool:
    return checked_in_at is not None and checked_in_at <= slot_start + ON_TIME_GRACE


def rate(part: int, whole: int) -> float | None:
    """part / whole, None when there is nothing to measure (shown as "—", never as 0 %)."""
    return part / whole if whole else None


@dataclass(frozen=True)
class BedMonth:
    """A bed's month: visits planned (due so far), delivered (done or verified), verified, and
    the subsidy that follows the verified ones."""

    planned: int
    delivered: int
    verified: int
    subsidy: Decimal

    @property
    def below_plan(self) -> bool:
        return self.delivered < self.planned


def unverified_refusal(when: datetime, person_name: str, item_name: str) -> Msg:
    """A statement pays verified visits only: the refusal names the visit."""
    return Msg(
        f"{when:%Y-%m-%d %H:%M} {person_name}的“{item_name}”服务尚未核验，不能列入结算单",
        f"The visit of {when:%Y-%m-%d %H:%M} to {person_name} ({item_name}) is not verified and cannot be paid",
    )
