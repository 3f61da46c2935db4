"""Rules of charity matching and micro-funds with no ORM: kinds and categories (data), the need's
states and its transition table, where an offer reaches, the ranking of offers for a need (a
plain function, hand-checked in tests), the public-text check (no full ID or phone number) and
money (yuan, two places)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.accounts.domain import CHARITY_MANAGE
from linli.core.errors import Msg
from linli.core.masking import PERSONAL_NUMBER


class Kind(models.TextChoices):
    GOODS = "goods", _("Goods")
    MONEY = "money", _("Money")
    SERVICE = "service", _("Service")
    TUTORING = "tutoring", _("Tutoring")
    OTHER = "other", _("Other")


@dataclass(frozen=True)
class Category:
    code: str
    kind: str
    zh: str
    en: str
    unit: str  # the usual unit (editable on each need or offer)


# A small list of categories as data: what communities in Shenyang most often ask for. A need or
# offer may leave the category empty; ranking prefers the same category within a kind.
CATEGORIES: tuple[Category, ...] = (
    Category("mobility", Kind.GOODS, "助行器具（轮椅、拐杖）", "Mobility aids (wheelchairs, crutches)", "件"),
    Category("clothing", Kind.GOODS, "衣物被褥（冬衣、棉被）", "Clothing and bedding (winter coats, quilts)", "件"),
    Category("food", Kind.GOODS, "米面粮油", "Food staples", "份"),
    Category("appliance", Kind.GOODS, "家电家具", "Appliances and furniture", "件"),
    Category("books", Kind.GOODS, "图书文具", "Books and stationery", "套"),
    Category("medical", Kind.MONEY, "医疗救助", "Medical costs", "元"),
    Category("schooling", Kind.MONEY, "助学", "School costs", "元"),
    Category("living", Kind.MONEY, "生活救助", "Living costs", "元"),
    Category("home_help", Kind.SERVICE, "居家帮扶（保洁、助餐）", "Home help (cleaning, meals)", "次"),
    Category("repair", Kind.SERVICE, "维修", "Repairs", "次"),
    Category("company", Kind.SERVICE, "陪伴探访", "Company and visits", "次"),
    Category("homework", Kind.TUTORING, "课业辅导", "Homework help", "小时"),
    Category("skills", Kind.TUTORING, "技能培训", "Skills training", "小时"),
)
CATEGORY_BY_CODE = {c.code: c for c in CATEGORIES}


def category_label(code: str, language: str | None = None) -> str:
    category = CATEGORY_BY_CODE.get(code)
    if category is None:
        return ""
    return Msg(category.zh, category.en).for_language(language) if language else str(Msg(category.zh, category.en))


class Reach(models.TextChoices):
    """How far an offer goes from where it is based."""

    COMMUNITY = "community", _("This community")
    STREET = "street", _("This street")
    CITY = "city", _("The whole city")


REACH_PREFIX: dict[str, int] = {Reach.COMMUNITY: 12, Reach.STREET: 9, Reach.CITY: 4}


class DonorType(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    ORGANISATION = "organisation", _("Organisation")
    WALK_IN = "walk_in", _("Walk-in donor (recorded by staff)")


class NeedState(models.TextChoices):
    OPEN = "open", _("Open for help")
    MATCHED = "matched", _("Matched")
    DELIVERED = "delivered", _("Delivered")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CLOSED = "closed", _("Need closed")


OPEN_NEED_STATES = frozenset({NeedState.OPEN, NeedState.MATCHED})


class OfferState(models.TextChoices):
    OPEN = "open", _("Available")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class MatchState(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed, to deliver")
    DELIVERED = "delivered", _("Delivered")
    ACKNOWLEDGED = "acknowledged", _("Received by the beneficiary")
    CANCELLED = "cancelled", _("Cancelled")


class EntryKind(models.TextChoices):
    DONATION = "donation", _("Donation")
    PAYMENT = "payment", _("Payment")
    CORRECTION = "correction", _("Correction")


class RequestState(models.TextChoices):
    WAITING = "waiting", _("Waiting for the residents' decision")
    PAID = "paid", _("Paid")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# ---------------------------------------------------------------- the need's workflow as data
# A need moves by itself when its matches add up (match, unmatch, deliver); staff acknowledge on
# the beneficiary's behalf and may close it with a reason. One append-only step row each.


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    permission: str
    label: Msg
    needs_reason: bool = False


def _t(action, sources, target, zh, en, needs_reason=False) -> Transition:
    return Transition(action, frozenset(sources), target, CHARITY_MANAGE, Msg(zh, en), needs_reason)


S = NeedState
TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        _t("match", {S.OPEN}, S.MATCHED, "已全部对接", "Fully matched"),
        _t("unmatch", {S.MATCHED}, S.OPEN, "对接取消，重新开放", "A match was cancelled; open again"),
        _t("deliver", {S.MATCHED}, S.DELIVERED, "已全部送达", "Fully delivered"),
        _t("acknowledge", {S.DELIVERED}, S.ACKNOWLEDGED, "受助方已确认收到", "Receipt acknowledged"),
        _t("close", {S.OPEN, S.MATCHED, S.DELIVERED}, S.CLOSED, "关闭", "Close", needs_reason=True),
    )
}
STEP_LABELS = {
    "post": Msg("发布需求", "Need posted"),
    "match_confirmed": Msg("确认对接", "Match confirmed"),
    "match_delivered": Msg("登记送达", "Delivery recorded"),
    "match_cancelled": Msg("取消对接", "Match cancelled"),
}


def transition_for(action: str) -> Transition | None:
    return TRANSITIONS.get(action)


def actions_from(state: str) -> list[str]:
    return [t.action for t in TRANSITIONS.values() if state in t.sources]


def step_label(action: str) -> Msg:
    transition = TRANSITIONS.get(action)
    if transition is not None:
        return transition.label
    return STEP_LABELS.get(action, Msg(action, action))


def state_after_allocation(state: str, quantity: int, allocated: int) -> str:
    """Open ⇄ matched as the confirmed quantity reaches the need's quantity or falls below it."""
    if state == NeedState.OPEN and allocated >= quantity:
        return NeedState.MATCHED
    if state == NeedState.MATCHED and allocated < quantity:
        return NeedState.OPEN
    return state


def state_after_delivery(state: str, quantity: int, delivered: int) -> str:
    if state == NeedState.MATCHED and delivered >= quantity:
        return NeedState.DELIVERED
    return state


# ---------------------------------------------------------------- place and ranking


def place_rank(need_path: str, offer_path: str) -> int | None:
    """0 same community, 1 same street, 2 same district, 3 same city; None outside the city. An
    offer based at a street (9 digits) or the city (4) is at best "same street" or "city"."""
    for rank, length in enumerate((12, 9, 6, 4)):
        if len(offer_path) >= length and need_path[:length] == offer_path[:length]:
            return rank
    return None


def reaches(offer_path: str, reach: str, need_path: str) -> bool:
    """Whether an offer based at `offer_path` with this reach may serve a need in `need_path`."""
    prefix = offer_path[: REACH_PREFIX.get(reach, 12)]
    return need_path.startswith(prefix)


def kind_rank(need_kind: str, offer_kind: str) -> int | None:
    """0 the same kind, 1 one side is "other" (staff decide), None otherwise."""
    if need_kind == offer_kind:
        return 0
    if Kind.OTHER in (need_kind, offer_kind):
        return 1
    return None


@dataclass(frozen=True)
class NeedFacts:
    kind: str
    category: str
    path: str  # the community
    remaining: int


@dataclass(frozen=True)
class OfferFacts:
    key: object  # the offer's id, passed back in the proposal
    kind: str
    category: str
    path: str  # where the offer is based
    reach: str
    remaining: int
    available_until: dt.date | None = None
    for_this_need: bool = False  # the donor pressed "I can help" on this need


@dataclass(frozen=True)
class Proposal:
    key: object
    kind_rank: int
    place_rank: int
    quantity: int  # what this offer can cover of the need now
    covers_all: bool


def proposals(need: NeedFacts, offers: list[OfferFacts], today: dt.date) -> list[Proposal]:
    """Offers that may serve the need, best first: offered for this very need; same kind before
    "other"; same category; nearer (community > street > district > city); one that covers the
    whole remaining quantity before a part, then the larger part; the one running out sooner;
    the key last, so the order is stable."""
    if need.remaining <= 0:
        return []
    ranked = []
    for offer in offers:
        kr = kind_rank(need.kind, offer.kind)
        pr = place_rank(need.path, offer.path)
        if kr is None or pr is None or offer.remaining <= 0:
            continue
        if offer.available_until is not None and offer.available_until < today:
            continue
        if not reaches(offer.path, offer.reach, need.path):
            continue
        quantity = min(offer.remaining, need.remaining)
        covers = offer.remaining >= need.remaining
        same_category = bool(need.category) and need.category == offer.category
        key = (
            0 if offer.for_this_need else 1,
            kr,
            0 if same_category else 1,
            pr,
            0 if covers else 1,
            -quantity,
            offer.available_until or dt.date.max,
            str(offer.key),
        )
        ranked.append((key, Proposal(offer.key, kr, pr, quantity, covers)))
    ranked.sort(key=lambda pair: pair[0])
    return [proposal for _, proposal in ranked]


PLACE_LABELS = (
    Msg("同社区", "Same community"),
    Msg("同街道", "Same street"),
    Msg("同区县", "Same district"),
    Msg("全市", "City"),
)


# ---------------------------------------------------------------- public text


def personal_number_problem(text: str) -> Msg | None:
    """A full ID number or a phone number in text that is shown to the public."""
    match = PERSONAL_NUMBER.search(text or "")
    if match is None:
        return None
    if match.group("id"):
        return Msg(
            "公开内容不能含身份证号，请只写称呼和简单情况（如「王女士，独居老人」）",
            "Public text must not contain an ID number; give a name form and a short situation only",
        )
    return Msg(
        "公开内容不能含电话号码，联系方式请写在内部备注里",
        "Public text must not contain a phone number; put contact details in the internal note",
    )


# ---------------------------------------------------------------- money

CENT = Decimal("0.01")
DEFAULT_THRESHOLD = Decimal("5000.00")  # spending above it needs the residents' decision (editable per fund)
MAX_AMOUNT = Decimal("9999999999.99")


def money_parse(value) -> Decimal | None:
    """Yuan with at most two decimal places, above zero; None if it is not such an amount."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT or amount != amount.quantize(CENT):
        return None
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def yuan(amount: Decimal) -> str:
    """¥12,345.60"""
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"


def needs_decision(amount: Decimal, threshold: Decimal) -> bool:
    return amount > threshold


# The audit actions this app writes (`charity.<code>`), named for the audit page (the portal's
# `audit_actions.py` merges them).
AUDIT_ACTIONS: dict[str, Msg] = {
    "charity.need_post": Msg("慈善：发布需求", "Charity: need posted"),
    "charity.need_note_read": Msg("慈善：查看需求内部备注", "Charity: need note read"),
    "charity.need_acknowledge": Msg("慈善：登记受助方确认收到", "Charity: receipt acknowledged"),
    "charity.need_close": Msg("慈善：关闭需求", "Charity: need closed"),
    "charity.offer_post": Msg("慈善：登记捐赠意向", "Charity: offer posted"),
    "charity.offer_withdraw": Msg("慈善：撤回捐赠意向", "Charity: offer withdrawn"),
    "charity.offer_contact_read": Msg("慈善：查看捐赠人联系方式", "Charity: donor contact read"),
    "charity.match_confirm": Msg("慈善：确认对接", "Charity: match confirmed"),
    "charity.match_deliver": Msg("慈善：登记送达", "Charity: delivery recorded"),
    "charity.match_cancel": Msg("慈善：取消对接", "Charity: match cancelled"),
    "charity.fund_save": Msg("微基金：设立或修改", "Micro-fund: opened or edited"),
    "charity.fund_donation": Msg("微基金：登记捐赠", "Micro-fund: donation"),
    "charity.fund_payment": Msg("微基金：登记支出", "Micro-fund: payment"),
    "charity.fund_correction": Msg("微基金：登记更正", "Micro-fund: correction"),
    "charity.payment_request": Msg("微基金：计划大额支出", "Micro-fund: large payment planned"),
    "charity.request_withdraw": Msg("微基金：撤回支出计划", "Micro-fund: planned payment withdrawn"),
}
