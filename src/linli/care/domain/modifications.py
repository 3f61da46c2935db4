"""Care services, stage modifications (适老化改造): vocabulary and rules with no ORM.

An application moves through a transition table (applied → assessed → plan confirmed → in works →
accepted → subsidy paid; refused or withdrawn with reasons). The quote is items × unit price; the
basic items are subsidised up to a cap per household, optional items are at the household's own
cost. The administration's own steps have time limits in working days. Candidates are elders in
difficulty from the pool: the groups that count are `CANDIDATE_KINDS` (why: docs/care.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.accounts.domain import CARE_MANAGE, CARE_ORDER, CARE_PAY
from linli.core.errors import Msg
from linli.core.files import sniffed_type

ITEMS_FILE = Path(__file__).resolve().parent.parent / "data" / "modification_items.yaml"

# The plan's goal (seed section 八): 11,000 households of elders in difficulty by the end of 2025.
CITY_GOAL = 11000
GOAL_YEAR = 2025
CANDIDATE_MIN_AGE = 60
# Elders in difficulty: those the subsidy is for (特困, 低保), those a fall hurts most and nobody at
# home would notice (living alone, disabled) and the oldest (80+). Empty-nest couples are left out:
# there are two of them, and the cap goes further where nobody is.
CANDIDATE_KINDS = ("tekun", "dibao", "disabled", "elderly_alone", "advanced_age")

ASSESS_WORKING_DAYS = 10  # the community assesses at home within 10 working days of the application
PAY_WORKING_DAYS = 15  # the street approves and pays the subsidy within 15 working days of acceptance
SATISFACTION = (1, 2, 3, 4, 5)
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTOS_PER_UPLOAD = 6
QUANTITY_MAX = Decimal("100")


class ModState(models.TextChoices):
    APPLIED = "applied", _("Applied, waiting for the home assessment")
    ASSESSED = "assessed", _("Assessed, plan waiting for the family's confirmation")
    CONFIRMED = "confirmed", _("Plan confirmed, waiting for the works")
    IN_WORKS = "in_works", _("Works under way")
    ACCEPTED = "accepted", _("Accepted, subsidy to be paid")
    PAID = "paid", _("Subsidy paid")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATES = frozenset({ModState.APPLIED, ModState.ASSESSED, ModState.CONFIRMED, ModState.IN_WORKS, ModState.ACCEPTED})
DONE_STATES = frozenset({ModState.PAID})
# the way an application goes when nothing stops it, as the family's page shows it
PATH = (
    (ModState.APPLIED, _("Applied")),
    (ModState.ASSESSED, _("Home assessed")),
    (ModState.CONFIRMED, _("Plan confirmed")),
    (ModState.IN_WORKS, _("Works")),
    (ModState.ACCEPTED, _("Works accepted")),
    (ModState.PAID, _("Subsidy paid")),
)


def path_reached(state: str) -> set[str]:
    """The steps of `PATH` an application in `state` has reached (none beyond a refusal)."""
    order: list[str] = [s for s, _label in PATH]
    return set(order[: order.index(state) + 1]) if state in order else set()


class ModChannel(models.TextChoices):
    RESIDENT = "resident", _("Applied by the family on the phone")
    WORKER = "worker", _("Recorded by the community")
    CANDIDATE = "candidate", _("Found among elders in difficulty")


class PhotoStage(models.TextChoices):
    BEFORE = "before", _("Before")
    AFTER = "after", _("After")


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    permission: str
    label: Msg
    needs_reason: bool = False


S = ModState
TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            "assess", frozenset({S.APPLIED, S.ASSESSED}), S.ASSESSED, CARE_MANAGE, Msg("入户评估", "Home assessment")
        ),
        Transition("confirm", frozenset({S.ASSESSED}), S.CONFIRMED, CARE_MANAGE, Msg("确认改造方案", "Plan confirmed")),
        Transition("start", frozenset({S.CONFIRMED}), S.IN_WORKS, CARE_MANAGE, Msg("开始施工", "Works started")),
        Transition("accept", frozenset({S.IN_WORKS}), S.ACCEPTED, CARE_MANAGE, Msg("竣工验收", "Works accepted")),
        Transition(
            "pay", frozenset({S.ACCEPTED}), S.PAID, CARE_PAY, Msg("审批并发放补贴", "Subsidy approved and paid")
        ),
        Transition(
            "refuse",
            frozenset({S.APPLIED, S.ASSESSED}),
            S.REFUSED,
            CARE_MANAGE,
            Msg("不予改造", "Refused"),
            needs_reason=True,
        ),
        Transition(
            "withdraw",
            frozenset({S.APPLIED, S.ASSESSED, S.CONFIRMED}),
            S.WITHDRAWN,
            CARE_MANAGE,
            Msg("撤回申请", "Withdrawn"),
            needs_reason=True,
        ),
    )
}
# what the family may do themselves (the resident's page)
RESIDENT_ACTIONS = {"confirm": CARE_ORDER, "withdraw": CARE_ORDER}
STEP_LABELS = {"apply": Msg("提交申请", "Applied"), "photo": Msg("上传照片", "Photos added")}


def step_label(action: str) -> Msg:
    transition = TRANSITIONS.get(action)
    return transition.label if transition else STEP_LABELS.get(action, Msg(action, action))


def actions_from(state: str) -> list[str]:
    return [t.action for t in TRANSITIONS.values() if state in t.sources]


AUDIT_ACTIONS: dict[str, Msg] = {
    "care.mod_apply": Msg("适老化改造申请", "Home modification applied for"),
    "care.mod_assess": Msg("适老化改造入户评估", "Home modification assessed"),
    "care.mod_confirm": Msg("适老化改造方案确认", "Home modification plan confirmed"),
    "care.mod_start": Msg("适老化改造开工", "Home modification works started"),
    "care.mod_accept": Msg("适老化改造验收", "Home modification accepted"),
    "care.mod_pay": Msg("适老化改造补贴发放", "Home modification subsidy paid"),
    "care.mod_refuse": Msg("适老化改造不予改造", "Home modification refused"),
    "care.mod_withdraw": Msg("适老化改造撤回", "Home modification withdrawn"),
    "care.mod_photo_read": Msg("查看适老化改造照片", "Home modification photo viewed"),
    "care.mod_item_price": Msg("改造项目价格调整", "Modification item price changed"),
    "care.mod_target_set": Msg("适老化改造目标调整", "Modification target set"),
    "care.mod_record_done": Msg("导入往年适老化改造记录", "Earlier years' modifications recorded"),
}


# ---------------------------------------------------------------- the quote


def money(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class QuoteLine:
    code: str
    quantity: Decimal
    unit_price: Decimal
    basic: bool

    @property
    def amount(self) -> Decimal:
        return money(self.quantity * self.unit_price)


@dataclass(frozen=True)
class Quote:
    total: Decimal
    basic_total: Decimal
    subsidy: Decimal
    own_share: Decimal


def quote(lines: list[QuoteLine], cap: Decimal) -> Quote:
    """Items × unit price; the basic items are paid by the subsidy up to `cap`, the rest (basic
    items over the cap, every optional item) is the household's share."""
    total = money(sum((line.amount for line in lines), Decimal(0)))
    basic_total = money(sum((line.amount for line in lines if line.basic), Decimal(0)))
    subsidy = min(basic_total, money(cap))
    return Quote(total=total, basic_total=basic_total, subsidy=subsidy, own_share=total - subsidy)


def parse_quantity(text) -> Decimal | None:
    """A quantity as typed ("2", "3.5"); None when it is not a number in (0, 100]."""
    try:
        value = Decimal(str(text).strip())
    except ArithmeticError:
        return None
    if not value.is_finite() or value <= 0 or value > QUANTITY_MAX or value != value.quantize(Decimal("0.1")):
        return None
    return value


# ---------------------------------------------------------------- targets per district


def split_goal(goal: int, weights: dict[str, int]) -> dict[str, int]:
    """`goal` split in proportion to `weights` (elders in difficulty per district), whole
    households, largest remainders first, summing exactly to `goal` (all equal when no weights)."""
    if not weights:
        return {}
    total = sum(weights.values())
    if total <= 0:
        weights = dict.fromkeys(weights, 1)
        total = len(weights)
    exact = {key: goal * w / total for key, w in weights.items()}
    shares = {key: int(value) for key, value in exact.items()}
    left = goal - sum(shares.values())
    for key in sorted(exact, key=lambda k: (-(exact[k] - shares[k]), k))[:left]:
        shares[key] += 1
    return shares


def is_overdue(due: date | None, today: date) -> bool:
    return due is not None and due < today


# ---------------------------------------------------------------- the standard items (data)


def standard_items(path: Path = ITEMS_FILE) -> tuple[date, Decimal, list[dict]]:
    """The example list of `data/modification_items.yaml`: its first day, the cap per household
    and the items (each with its group's names), as the migration loads them."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    groups = data["groups"]
    items = [
        {
            "code": row["code"],
            "group": row["group"],
            "group_name": groups[row["group"]]["name"],
            "group_name_en": groups[row["group"]]["name_en"],
            "name": row["name"],
            "name_en": row["name_en"],
            "unit": row["unit"],
            "unit_en": row["unit_en"],
            "unit_price": money(row["price"]),
            "basic": bool(row["basic"]),
        }
        for row in data["items"]
    ]
    return data["valid_from"], money(data["subsidy_cap_per_household"]), items


# ---------------------------------------------------------------- photos (judged by content)

PHOTO_TYPES: dict[str, tuple[bytes, ...]] = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}


def photo_type(data: bytes) -> str | None:
    """The photo's content type by its first bytes (JPEG or PNG, what phones send), else None.
    Same rule as grid events' photos, without WebP (older phones' browsers cannot show it)."""
    return sniffed_type(data, PHOTO_TYPES)


def photo_problem(filename: str, data: bytes) -> Msg | None:
    if not data:
        return Msg(f"照片「{filename}」是空的", f"Photo '{filename}' is empty")
    if len(data) > PHOTO_MAX_BYTES:
        return Msg(f"照片「{filename}」超过 5 MB", f"Photo '{filename}' is larger than 5 MB")
    if photo_type(data) is None:
        return Msg(f"「{filename}」不是 JPG 或 PNG 图片", f"'{filename}' is not a JPG or PNG image")
    return None
