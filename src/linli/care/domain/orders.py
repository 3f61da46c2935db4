"""Care services, stage orders: providers and their accounts, orders and the visits that deliver
them. No ORM. The visit's states are shared with the statements stage: a provider is paid for
VERIFIED visits only."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.errors import Msg

AUDIT_ACTIONS: dict[str, Msg] = {
    "care.provider_register": Msg("登记服务商", "Provider registered"),
    "care.provider_area_add": Msg("服务商增加服务社区", "Provider's served community added"),
    "care.member_link": Msg("关联服务商账号", "Provider account linked"),
    "care.member_end": Msg("结束服务商账号", "Provider account ended"),
    "care.family_link_end": Msg("解除家属关联", "Family link ended"),
    "care.card_issue": Msg("发放养老服务卡", "Elder's service card issued"),
    "care.family_link": Msg("关联家属", "Family member linked"),
    "care.family_link_refused": Msg("关联家属被拒绝", "Family link refused"),
    "care.order_place": Msg("下单养老服务", "Care order placed"),
    "care.order_approve": Msg("审核通过养老服务订单", "Care order approved"),
    "care.order_refuse": Msg("审核不通过养老服务订单", "Care order not approved"),
    "care.order_accept": Msg("服务商接单", "Care order accepted"),
    "care.order_decline": Msg("服务商拒单", "Care order declined"),
    "care.order_assign": Msg("派给护理员", "Carer assigned"),
    "care.needs_read": Msg("查看老人服务需求", "Elder's needs read"),
    "care.visit_check_in": Msg("护理员签到", "Carer checked in"),
    "care.visit_check_out": Msg("护理员签退", "Carer checked out"),
    "care.visit_verify": Msg("核验服务记录", "Visit verified"),
    "care.visit_rate": Msg("评价服务", "Visit rated"),
    "care.rating_answer": Msg("回复差评", "Bad rating answered"),
    "care.visit_missed": Msg("服务未到", "Visit missed"),
    "care.photo_read": Msg("查看服务照片", "Visit photo viewed"),
}

# ---- parameters (clock time for visits, working days for the community's approval)
SLOT_STARTS = (8, 10, 12, 14, 16)  # two-hour slots, 08:00–18:00
SLOT_HOURS = 2
MAX_DAYS_AHEAD = 30
APPROVAL_WORKING_DAYS = 2
CHECK_IN_EARLY_MINUTES = 30  # a carer may check in this long before the slot starts
LATE_AFTER_MINUTES = 15  # checked in later than the start plus this: late
MISSED_AFTER_MINUTES = 60  # not checked in by the slot's end plus this: missed
CARD_ATTEMPTS = 5  # wrong card codes an account may enter in CARD_ATTEMPT_MINUTES
CARD_ATTEMPT_MINUTES = 15
CARD_CODE_LENGTH = 6
BAD_RATING = 2  # a rating at or below this is a 差评 the community must answer


class ProviderKind(models.TextChoices):
    COMPANY = "company", _("Home-care company")
    STATION = "station", _("Home-care centre or station")
    SOCIAL_ORG = "social_org", _("Social organisation")
    MUTUAL_AID = "mutual_aid", _("Mutual-aid group")


class MemberKind(models.TextChoices):
    DISPATCHER = "dispatcher", _("Dispatcher")
    CARER = "carer", _("Carer")


class OrderState(models.TextChoices):
    """An order's life; the allowed moves are the stage's transition table."""

    PLACED = "placed", _("Waiting for approval")
    APPROVED = "approved", _("Waiting for the provider")
    ACCEPTED = "accepted", _("Carer assigned")
    IN_SERVICE = "in_service", _("Being served")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    REFUSED = "refused", _("Not approved")


class VisitState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CHECKED_IN = "checked_in", _("Carer at the home")
    DONE = "done", _("Done, to verify")
    VERIFIED = "verified", _("Verified")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")


class CheckInMethod(models.TextChoices):
    POSITION = "position", _("Position at the home")
    CARD = "card", _("Elder's card code")


class RatingLevel(models.IntegerChoices):
    """The five levels of 好差评."""

    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    NEUTRAL = 3, _("Neither satisfied nor dissatisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


# an order's allowed moves: action -> (from states, to state)
ORDER_MOVES: dict[str, tuple[tuple[str, ...], str]] = {
    "approve": ((OrderState.PLACED,), OrderState.APPROVED),
    "refuse": ((OrderState.PLACED,), OrderState.REFUSED),
    "accept": ((OrderState.APPROVED,), OrderState.ACCEPTED),
    "decline": ((OrderState.APPROVED,), OrderState.APPROVED),  # back to the community to choose another
    "assign": ((OrderState.ACCEPTED, OrderState.IN_SERVICE), OrderState.ACCEPTED),
    "cancel": ((OrderState.PLACED, OrderState.APPROVED, OrderState.ACCEPTED), OrderState.CANCELLED),
}

STEP_LABELS: dict[str, Msg] = {
    "place": Msg("下单", "Ordered"),
    "place_proxy": Msg("社区代下单", "Ordered by the community"),
    "approve": Msg("社区审核通过", "Approved by the community"),
    "auto_approve": Msg("自费订单，无需审核", "Own cost: no approval needed"),
    "refuse": Msg("社区审核不通过", "Not approved by the community"),
    "accept": Msg("服务商接单", "Accepted by the provider"),
    "decline": Msg("服务商拒单", "Declined by the provider"),
    "assign": Msg("派给护理员", "Carer assigned"),
    "check_in": Msg("护理员签到", "Carer checked in"),
    "check_out": Msg("服务完成", "Service done"),
    "missed": Msg("服务未到", "Visit missed"),
    "cancel": Msg("取消", "Cancelled"),
}


def step_label(action: str) -> Msg:
    return STEP_LABELS.get(action, Msg(action, action))


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres (the home's building and the carer's phone)."""
    r = 6_371_000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def slot_choices() -> list[tuple[str, str]]:
    return [(f"{h:02d}", f"{h:02d}:00–{h + SLOT_HOURS:02d}:00") for h in SLOT_STARTS]


def slot_problem(day: date, hour: int, now: datetime) -> Msg | None:
    """Why a slot cannot be ordered: not one of the slots, already begun, or too far ahead."""
    if hour not in SLOT_STARTS:
        return Msg("请选择一个服务时段", "Choose one of the time slots")
    start = datetime.combine(day, time(hour), tzinfo=now.tzinfo)
    if start <= now:
        return Msg("该时段已过，请选择以后的时段", "That slot has begun; choose a later one")
    if day > now.date() + timedelta(days=MAX_DAYS_AHEAD):
        return Msg(f"最多预约 {MAX_DAYS_AHEAD} 天内的服务", f"Order at most {MAX_DAYS_AHEAD} days ahead")
    return None


def check_in_time_problem(slot_start: datetime, slot_end: datetime, now: datetime) -> Msg | None:
    """A carer checks in from 30 minutes before the slot to its end."""
    if now < slot_start - timedelta(minutes=CHECK_IN_EARLY_MINUTES):
        return Msg(
            f"还没到服务时段：最早可在开始前 {CHECK_IN_EARLY_MINUTES} 分钟签到",
            f"Too early: check in at most {CHECK_IN_EARLY_MINUTES} minutes before the slot",
        )
    if now > slot_end:
        return Msg("服务时段已过，不能签到", "The slot is over; check-in is closed")
    return None


def is_late(slot_start: datetime, checked_in_at: datetime) -> bool:
    return checked_in_at > slot_start + timedelta(minutes=LATE_AFTER_MINUTES)


def distance_problem(distance_m: float, radius_m: int) -> Msg | None:
    if distance_m <= radius_m:
        return None
    d = round(distance_m)
    return Msg(
        f"您距离老人家约 {d} 米，超出 {radius_m} 米签到范围",
        f"You are about {d} m from the home, beyond the {radius_m} m check-in radius",
    )
