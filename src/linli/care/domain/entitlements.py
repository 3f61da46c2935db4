"""Care services, stage entitlements: the basic elderly-care service list (基本养老服务清单) as
data, the capability assessment's levels, and who is entitled to what. No ORM: the list's rows
become `ItemTerms`, the pool's facts `PersonFacts`, and `entitlement_decide` answers one order."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.errors import Msg

AUDIT_ACTIONS: dict[str, Msg] = {}


class ItemCategory(models.TextChoices):
    """The service kinds the plan names (八): daily care, health management, visits,
    companionship, culture, smart care and mutual-aid care."""

    DAILY_CARE = "daily_care", _("Daily care")
    MEALS = "meals", _("Meal help")
    HEALTH = "health", _("Health management")
    VISITS = "visits", _("Visits and checks")
    COMPANIONSHIP = "companionship", _("Companionship")
    CULTURE = "culture", _("Culture and recreation")
    SMART_CARE = "smart_care", _("Smart care")
    MUTUAL_AID = "mutual_aid", _("Mutual-aid care")


class CareLevel(models.IntegerChoices):
    """The capability levels of GB/T 42195-2022 老年人能力评估规范 (unverified here: see
    docs/care.md); 0 is fully able, 4 has lost all capability."""

    ABLE = 0, _("Fully able")
    MILD = 1, _("Mildly impaired")
    MODERATE = 2, _("Moderately impaired")
    SEVERE = 3, _("Severely impaired")
    TOTAL = 4, _("Totally impaired")


@dataclass(frozen=True)
class PersonFacts:
    """What the list's conditions read of an elder: age on the day, the pool's care groups, the
    disability level ("" none, "1"…"4") and the valid assessed care level (None: not assessed)."""

    age: int
    care_kinds: frozenset[str] = frozenset()
    disability: str = ""
    level: int | None = None


@dataclass(frozen=True)
class Condition:
    """One way to qualify for an item; every part given must hold. The share is the percentage of
    the unit price the government pays for someone qualifying this way."""

    subsidy_share: int
    min_age: int = 0
    care_kinds: frozenset[str] = frozenset()
    min_level: int | None = None
    disability_levels: frozenset[str] = frozenset()

    @classmethod
    def from_data(cls, data: dict) -> Condition:
        return cls(
            subsidy_share=int(data.get("subsidy_share", 0)),
            min_age=int(data.get("min_age", 0)),
            care_kinds=frozenset(data.get("care_kinds", ())),
            min_level=data.get("min_level"),
            disability_levels=frozenset(str(d) for d in data.get("disability_levels", ())),
        )


@dataclass(frozen=True)
class ItemTerms:
    """An item of the list as the rule sees it. `monthly_cap` 0 means no cap; `own_cost_allowed`
    lets anyone order it (or order beyond the cap) paying the full price."""

    code: str
    unit_price: Decimal
    monthly_cap: int = 0
    conditions: tuple[Condition, ...] = ()
    own_cost_allowed: bool = False


@dataclass(frozen=True)
class Entitlement:
    """The answer for one order: allowed or refused with the reason; how many units are
    subsidised at which share; who pays what."""

    allowed: bool
    subsidy_share: int = 0
    subsidised_units: int = 0
    own_cost_units: int = 0
    cap: int = 0
    used: int = 0
    government_pays: Decimal = Decimal("0.00")
    resident_pays: Decimal = Decimal("0.00")
    reason: Msg | None = None
    notes: tuple[Msg, ...] = field(default_factory=tuple)


def condition_met(condition: Condition, person: PersonFacts) -> bool:
    if person.age < condition.min_age:
        return False
    if condition.care_kinds and not (condition.care_kinds & person.care_kinds):
        return False
    if condition.min_level is not None and (person.level is None or person.level < condition.min_level):
        return False
    return not condition.disability_levels or person.disability in condition.disability_levels


def best_share(terms: ItemTerms, person: PersonFacts) -> int | None:
    """The highest share among the conditions the person meets; None when none is met."""
    shares = [c.subsidy_share for c in terms.conditions if condition_met(c, person)]
    return max(shares) if shares else None


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def entitlement_decide(terms: ItemTerms, person: PersonFacts, *, used: int, quantity: int = 1) -> Entitlement:
    """Whether `quantity` more units of an item may be ordered this month, `used` being the units
    already ordered (not cancelled) this month. Units within the cap are paid at the person's
    share; beyond it, or for someone not entitled, the list's own-cost flag decides."""
    share = best_share(terms, person)
    cap = terms.monthly_cap
    if share is None:
        if not terms.own_cost_allowed:
            return Entitlement(
                False,
                cap=cap,
                used=used,
                reason=Msg("不符合该项目的享受条件", "The person does not qualify for this item"),
            )
        total = _money(terms.unit_price * quantity)
        return Entitlement(True, own_cost_units=quantity, cap=cap, used=used, resident_pays=total)
    room = quantity if cap == 0 else max(0, min(quantity, cap - used))
    beyond = quantity - room
    if beyond and not terms.own_cost_allowed:
        return Entitlement(
            False,
            subsidy_share=share,
            cap=cap,
            used=used,
            reason=Msg(
                f"超出每月上限 {cap} 次（本月已下单 {used} 次）",
                f"Beyond the monthly cap of {cap} (already ordered this month: {used})",
            ),
        )
    subsidised_value = terms.unit_price * room
    government = _money(subsidised_value * share / 100)
    resident = _money(terms.unit_price * quantity) - government
    return Entitlement(
        True,
        subsidy_share=share,
        subsidised_units=room,
        own_cost_units=beyond,
        cap=cap,
        used=used,
        government_pays=government,
        resident_pays=resident,
    )
