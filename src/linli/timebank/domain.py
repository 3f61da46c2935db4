"""Rules of the time bank with no ORM: the kinds of ledger entry, the exchange workflow as a
transition table, the shipped service catalogue, hours-and-minutes wording and the expiry rule's
arithmetic (first in, first out).

Ledger rules (docs/timebank.md):
- an account's balance is the sum of its entries' minutes; every entry records the balance after
  it, so the entries of one account chain (`balance_after = previous balance_after + minutes`);
- minutes held for requested exchanges stay in the balance but cannot be spent or donated:
  `available = balance - held`, and neither the balance, the held minutes nor the available
  minutes may ever go below zero;
- nothing is edited or deleted: a mistake is put right by a correction entry.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.errors import Msg

MAX_MINUTES = 100_000  # one exchange, donation or correction: about 1,667 hours
REASON_MAX = 500
NOTE_MAX = 500
POOL_NAMESPACE = uuid.UUID("6f1c2d1e-6c0b-4c3e-9a57-1b0f0e7a2c11")


class HolderKind(models.TextChoices):
    VOLUNTEER = "volunteer", _("Volunteer")
    POOL = "pool", _("Community pool")


class EntryKind(models.TextChoices):
    EARNED = "earned", _("Earned")
    SPENT = "spent", _("Spent")
    DONATED_OUT = "donated_out", _("Donated")
    DONATED_IN = "donated_in", _("Received as a donation")
    EXPIRED = "expired", _("Expired")
    CORRECTION = "correction", _("Correction")


class Reference(models.TextChoices):
    HOURS = "hours", _("Approved service hours")
    EXCHANGE = "exchange", _("Exchange")
    DONATION = "donation", _("Donation")
    EXPIRY = "expiry", _("Expiry")
    CORRECTION = "correction", _("Correction")


CREDIT_KINDS = (EntryKind.EARNED, EntryKind.DONATED_IN)
DEBIT_KINDS = (EntryKind.SPENT, EntryKind.DONATED_OUT, EntryKind.EXPIRED)


class ExchangeState(models.TextChoices):
    REQUESTED = "requested", _("Waiting to be arranged")
    ARRANGED = "arranged", _("Arranged")
    DELIVERED = "delivered", _("Delivered, to confirm")
    CONFIRMED = "confirmed", _("Completed and confirmed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_EXCHANGE_STATES = (ExchangeState.REQUESTED, ExchangeState.ARRANGED, ExchangeState.DELIVERED)
HELD_STATES = (ExchangeState.REQUESTED, ExchangeState.ARRANGED)  # minutes held, not yet spent


class ExchangeAction(models.TextChoices):
    ARRANGE = "arrange", _("Arrange")
    DELIVER = "deliver", _("Mark delivered")
    CONFIRM = "confirm", _("Confirm")
    CANCEL = "cancel", _("Cancel")


@dataclass(frozen=True)
class Transition:
    action: str
    source: tuple[str, ...]
    target: str
    staff: bool  # a community worker's step; False: the requester may take it too
    needs_reason: bool = False


TRANSITIONS = (
    Transition(ExchangeAction.ARRANGE, (ExchangeState.REQUESTED,), ExchangeState.ARRANGED, staff=True),
    Transition(ExchangeAction.DELIVER, (ExchangeState.ARRANGED,), ExchangeState.DELIVERED, staff=True),
    Transition(ExchangeAction.CONFIRM, (ExchangeState.DELIVERED,), ExchangeState.CONFIRMED, staff=True),
    Transition(ExchangeAction.CANCEL, HELD_STATES, ExchangeState.CANCELLED, staff=False, needs_reason=True),
)


def transition_for(action: str, state: str) -> Transition | None:
    for transition in TRANSITIONS:
        if transition.action == action and state in transition.source:
            return transition
    return None


class Beneficiary(models.TextChoices):
    SELF = "self", _("Myself")
    PARENT = "parent", _("My parent")
    SPOUSE = "spouse", _("My spouse")
    CHILD = "child", _("My child")
    OTHER_FAMILY = "other_family", _("Another family member")
    NEIGHBOUR = "neighbour", _("A neighbour in need (paid from the community pool)")


@dataclass(frozen=True)
class ServiceDefault:
    code: str
    name_zh: str
    name_en: str
    minutes_per_unit: int
    unit_zh: str
    unit_en: str


# What the catalogue ships with: services time banks in Chinese cities commonly list for an
# exchange (home help for older people first). Each row is the city's to edit or switch off.
DEFAULT_SERVICES = (
    ServiceDefault("home_cleaning", "居家保洁", "Home cleaning", 120, "次", "visit"),
    ServiceDefault("meal_delivery", "助餐送餐", "Meal delivery", 30, "次", "delivery"),
    ServiceDefault("escort_clinic", "陪同就医", "Escort to a clinic", 180, "次", "visit"),
    ServiceDefault("shopping", "代购代办", "Shopping and errands", 60, "次", "errand"),
    ServiceDefault("companionship", "陪伴聊天", "Companionship", 60, "小时", "hour"),
    ServiceDefault("haircut", "上门理发", "Haircut at home", 60, "次", "visit"),
    ServiceDefault("small_repairs", "小家电维修", "Small repairs", 60, "次", "repair"),
)


def pool_holder(community_path: str) -> uuid.UUID:
    """The holder id of a community's pool: fixed by its path, so it needs no lookup."""
    return uuid.uuid5(POOL_NAMESPACE, f"pool:{community_path}")


def hours_minutes(minutes: int) -> tuple[int, int]:
    sign = -1 if minutes < 0 else 1
    hours, rest = divmod(abs(minutes), 60)
    return sign * hours, rest


def minutes_text(minutes: int, language: str = "zh") -> str:
    """`150` → "2 小时 30 分钟" / "2 h 30 min"; exact to the minute."""
    hours, rest = hours_minutes(minutes)
    sign = "-" if minutes < 0 else ""
    hours = abs(hours)
    if language.startswith("en"):
        parts = ([f"{hours} h"] if hours else []) + ([f"{rest} min"] if rest or not hours else [])
    else:
        parts = ([f"{hours} 小时"] if hours else []) + ([f"{rest} 分钟"] if rest or not hours else [])
    return sign + " ".join(parts)


@dataclass(frozen=True)
class Lot:
    """A credit (earned or received) with the time it was made, for the expiry rule."""

    at: datetime
    minutes: int


def expiry_cutoff(now: datetime, years: int) -> datetime:
    """Credits made before this moment have expired under a rule of `years` years."""
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def expiring_minutes(*, credits_before_cutoff: int, debits_total: int, available: int) -> int:
    """First in, first out: every debit so far (spent, donated, expired, taken back) used the
    oldest credits first, so what is still unspent of the credits made before the cutoff is
    `credits_before_cutoff - debits_total`. It expires, but never more than is available
    (minutes held for a requested exchange are kept for it). Running it again gives 0, as the
    expired entry is itself a debit."""
    return max(0, min(credits_before_cutoff - debits_total, available))


def years_valid(years: int | None) -> bool:
    return years is None or 1 <= years <= 50


# The audit log's names for what this app writes (merged by `portal.audit_actions`).
AUDIT_ACTIONS: dict[str, Msg] = {
    "timebank.correction": Msg("时间银行：更正", "Time bank: correction"),
    "timebank.donation": Msg("时间银行：捐赠时长", "Time bank: minutes donated"),
    "timebank.exchange_request": Msg("时间银行：申请兑换", "Time bank: exchange requested"),
    "timebank.exchange_arrange": Msg("时间银行：安排兑换", "Time bank: exchange arranged"),
    "timebank.exchange_deliver": Msg("时间银行：兑换已服务", "Time bank: exchange delivered"),
    "timebank.exchange_confirm": Msg("时间银行：确认兑换", "Time bank: exchange confirmed"),
    "timebank.exchange_cancel": Msg("时间银行：取消兑换", "Time bank: exchange cancelled"),
    "timebank.expiry_rule": Msg("时间银行：修改过期规则", "Time bank: expiry rule changed"),
    "timebank.service_save": Msg("时间银行：修改兑换服务", "Time bank: service saved"),
}
