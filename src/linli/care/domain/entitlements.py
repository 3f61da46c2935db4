"""Care services, stage entitlements: the basic elderly-care service list (基本养老服务清单) as
data, the capability assessment's levels, and who is entitled to what. No ORM: the list's rows
become `ItemTerms`, the pool's facts `PersonFacts`, and `entitlement_decide` answers one order."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from pathlib import Path

import yaml
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.errors import FieldError, Msg, field_error

DATA = Path(__file__).resolve().parents[1] / "data"
LIST_FILE = DATA / "elderly_service_list.yaml"
FORM_FILE = DATA / "assessment_form.yaml"

AUDIT_ACTIONS: dict[str, Msg] = {
    "care.list.drafted": Msg("起草养老服务清单新版本", "Drafted a new version of the elderly-care list"),
    "care.list.item_saved": Msg("修改养老服务清单项目", "Saved an item of the elderly-care list"),
    "care.list.item_removed": Msg("删除养老服务清单项目", "Removed an item of the elderly-care list"),
    "care.list.published": Msg("发布养老服务清单", "Published the elderly-care list"),
    "care.assessment.recorded": Msg("记录老年人能力评估", "Recorded a capability assessment"),
    "care.assessment.revealed": Msg("查看能力评估答案", "Read a capability assessment's answers"),
}


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


def yuan(value: Decimal) -> str:
    """Money on a page, the same in both languages: ¥1,234.50."""
    return f"¥{value:,.2f}"


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


# ================================================================ the list's items, as typed

ITEM_CODE = re.compile(r"^[A-Z]{1,4}[0-9]{1,4}$")
DISABILITY_LEVELS = ("1", "2", "3", "4")


@dataclass(frozen=True)
class ItemValues:
    """An item of a draft list as checked from a form or the API (prices as Decimal)."""

    code: str
    name: str
    name_en: str
    category: str
    unit: str
    unit_en: str
    unit_price: Decimal
    duration_minutes: int
    monthly_cap: int
    conditions: tuple[dict, ...]
    own_cost_allowed: bool
    needs_photo: bool
    for_beds: bool


def _whole(value, low: int, high: int) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


def _price(value) -> Decimal | None:
    try:
        price = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    if not price.is_finite() or price < 0 or price > Decimal("99999.99") or price != price.quantize(Decimal("0.01")):
        return None
    return price


def condition_problems(n: int, row: dict, care_kinds: frozenset[str]) -> tuple[list[FieldError], dict | None]:
    """One condition row (n from 1) as typed: min age, care groups, min level, disability levels,
    share. A row with nothing but a share qualifies everyone, so it needs a min age."""
    problems: list[FieldError] = []
    name = f"conditions.{n}"
    share = _whole(row.get("subsidy_share", ""), 0, 100)
    if share is None:
        problems.append(
            field_error(
                f"{name}.subsidy_share",
                f"第 {n} 条：补贴比例应为 0–100 的整数",
                f"Row {n}: the share is a whole number 0–100",
            )
        )
    age = _whole(row.get("min_age") or 0, 0, 120)
    if age is None:
        problems.append(
            field_error(
                f"{name}.min_age",
                f"第 {n} 条：最低年龄应为 0–120 的整数",
                f"Row {n}: the minimum age is a whole number 0–120",
            )
        )
    kinds = sorted({str(k) for k in row.get("care_kinds") or ()})
    unknown = [k for k in kinds if k not in care_kinds]
    if unknown:
        problems.append(field_error(f"{name}.care_kinds", f"第 {n} 条：未知的关爱类别", f"Row {n}: unknown care group"))
    level_text = row.get("min_level")
    level = None if level_text in (None, "") else _whole(level_text, 1, 4)
    if level_text not in (None, "") and level is None:
        problems.append(field_error(f"{name}.min_level", f"第 {n} 条：请选择失能等级", f"Row {n}: choose a care level"))
    disabilities = sorted({str(d) for d in row.get("disability_levels") or ()})
    if any(d not in DISABILITY_LEVELS for d in disabilities):
        problems.append(
            field_error(
                f"{name}.disability_levels", f"第 {n} 条：残疾等级应为 1–4 级", f"Row {n}: disability levels are 1–4"
            )
        )
    if not problems and not (age or kinds or level or disabilities):
        problems.append(
            field_error(
                f"{name}.min_age",
                f"第 {n} 条：请至少填写一个条件（如最低年龄）",
                f"Row {n}: give at least one condition (such as a minimum age)",
            )
        )
    if problems:
        return problems, None
    data: dict = {"subsidy_share": share}
    if age:
        data["min_age"] = age
    if kinds:
        data["care_kinds"] = kinds
    if level:
        data["min_level"] = level
    if disabilities:
        data["disability_levels"] = disabilities
    return [], data


def item_values_check(raw: dict, *, care_kinds: frozenset[str]) -> tuple[list[FieldError], ItemValues | None]:
    """Every problem of an item as typed, each named by its field; the values when there is none."""
    problems: list[FieldError] = []
    code = str(raw.get("code", "")).strip().upper()
    if not ITEM_CODE.match(code):
        problems.append(
            field_error(
                "code",
                "项目编码应为 1–4 个大写字母加 1–4 位数字，如 ZC01",
                "The code is 1–4 capital letters and 1–4 digits, such as ZC01",
            )
        )
    name = str(raw.get("name", "")).strip()
    if not name or len(name) > 100:
        problems.append(
            field_error("name", "请填写项目名称（不超过 100 字）", "Give the item's name (up to 100 characters)")
        )
    name_en = str(raw.get("name_en", "")).strip()
    if not name_en or len(name_en) > 150:
        problems.append(
            field_error("name_en", "请填写英文名称（不超过 150 字）", "Give the English name (up to 150 characters)")
        )
    category = str(raw.get("category", ""))
    if category not in ItemCategory.values:
        problems.append(field_error("category", "请选择服务类别", "Choose the category"))
    unit = str(raw.get("unit", "")).strip()
    unit_en = str(raw.get("unit_en", "")).strip()
    if not unit or len(unit) > 20:
        problems.append(field_error("unit", "请填写计价单位，如“次”", "Give the unit, such as 次"))
    if not unit_en or len(unit_en) > 20:
        problems.append(field_error("unit_en", "请填写英文计价单位，如 visit", "Give the English unit, such as visit"))
    price = _price(raw.get("unit_price", ""))
    if price is None:
        problems.append(
            field_error(
                "unit_price",
                "单价应为不小于 0 的金额（元，最多两位小数）",
                "The unit price is a sum of at least 0 yuan with up to two decimals",
            )
        )
    minutes = _whole(raw.get("duration_minutes", 0) or 0, 0, 1440)
    if minutes is None:
        problems.append(field_error("duration_minutes", "服务时长应为 0–1440 分钟", "Minutes are 0–1440"))
    cap = _whole(raw.get("monthly_cap", 0) or 0, 0, 100)
    if cap is None:
        problems.append(
            field_error(
                "monthly_cap", "每月上限应为 0–100 的整数（0 表示不限）", "The monthly cap is 0–100 (0: no cap)"
            )
        )
    conditions: list[dict] = []
    for n, row in enumerate(raw.get("conditions") or (), start=1):
        row_problems, data = condition_problems(n, row, care_kinds)
        problems.extend(row_problems)
        if data is not None:
            conditions.append(data)
    own_cost = bool(raw.get("own_cost_allowed"))
    if not conditions and not own_cost and not problems:
        problems.append(
            field_error(
                "conditions",
                "没有享受条件时须允许自费购买，否则无人可以下单",
                "With no condition the item must be open at own cost, or nobody could order it",
            )
        )
    if problems:
        return problems, None
    assert price is not None and minutes is not None and cap is not None
    return [], ItemValues(
        code=code,
        name=name,
        name_en=name_en,
        category=category,
        unit=unit,
        unit_en=unit_en,
        unit_price=price,
        duration_minutes=minutes,
        monthly_cap=cap,
        conditions=tuple(conditions),
        own_cost_allowed=own_cost,
        needs_photo=bool(raw.get("needs_photo")),
        for_beds=bool(raw.get("for_beds")),
    )


def shipped_list() -> dict:
    """The example list shipped with the code (loaded as version 1 by a data migration)."""
    return yaml.safe_load(LIST_FILE.read_text(encoding="utf-8"))


# ================================================================ the capability assessment


@dataclass(frozen=True)
class Option:
    score: int
    name: str
    name_en: str


@dataclass(frozen=True)
class Question:
    code: str
    name: str
    name_en: str
    options: tuple[Option, ...]

    @property
    def top(self) -> int:
        return max(o.score for o in self.options)


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    name_en: str
    questions: tuple[Question, ...]

    @property
    def top(self) -> int:
        return sum(q.top for q in self.questions)


@dataclass(frozen=True)
class LevelBand:
    level: int
    min_score: int
    name: str
    name_en: str


@dataclass(frozen=True)
class AssessmentForm:
    code: str
    title: str
    title_en: str
    valid_months: int
    due_within_days: int
    levels: tuple[LevelBand, ...]
    indicators: tuple[Indicator, ...]

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for i in self.indicators for q in i.questions)

    @property
    def top(self) -> int:
        return sum(i.top for i in self.indicators)


def form_from_data(data: dict) -> AssessmentForm:
    scales = {
        name: tuple(Option(int(o["score"]), o["name"], o["name_en"]) for o in options)
        for name, options in data["scales"].items()
    }
    indicators = tuple(
        Indicator(
            ind["code"],
            ind["name"],
            ind["name_en"],
            tuple(Question(q["code"], q["name"], q["name_en"], scales[q["scale"]]) for q in ind["items"]),
        )
        for ind in data["indicators"]
    )
    levels = tuple(
        sorted(
            (LevelBand(int(b["level"]), int(b["min_score"]), b["name"], b["name_en"]) for b in data["levels"]),
            key=lambda b: -b.min_score,
        )
    )
    return AssessmentForm(
        code=data["code"],
        title=data["title"],
        title_en=data["title_en"],
        valid_months=int(data["valid_months"]),
        due_within_days=int(data["due_within_days"]),
        levels=levels,
        indicators=indicators,
    )


@cache
def assessment_form() -> AssessmentForm:
    """The assessment form shipped as data (read once per process)."""
    return form_from_data(yaml.safe_load(FORM_FILE.read_text(encoding="utf-8")))


def level_for_score(form: AssessmentForm, score: int) -> int:
    return next(b.level for b in form.levels if score >= b.min_score)


@dataclass(frozen=True)
class AssessmentResult:
    score: int
    level: int
    answers: dict[str, int]
    by_indicator: dict[str, int]


def assessment_score(form: AssessmentForm, answers: dict) -> tuple[list[FieldError], AssessmentResult | None]:
    """The total and the level from the answers (question code → score as typed). Every missing
    or impossible answer is named by its question, in the form's words."""
    problems: list[FieldError] = []
    clean: dict[str, int] = {}
    for question in form.questions:
        value = answers.get(question.code)
        allowed = {o.score for o in question.options}
        score = _whole(value, 0, question.top) if value not in (None, "") else None
        if value in (None, ""):
            problems.append(field_error(question.code, f"请回答“{question.name}”", f"Answer “{question.name_en}”"))
        elif score is None or score not in allowed:
            problems.append(
                field_error(
                    question.code,
                    f"“{question.name}”的答案无效",
                    f"The answer to “{question.name_en}” is not one of its options",
                )
            )
        else:
            clean[question.code] = score
    if problems:
        return problems, None
    by_indicator = {i.code: sum(clean[q.code] for q in i.questions) for i in form.indicators}
    total = sum(by_indicator.values())
    return [], AssessmentResult(total, level_for_score(form, total), clean, by_indicator)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=d)
        except ValueError:
            continue
    raise ValueError(day)


def valid_until(form: AssessmentForm, assessed_on: date) -> date:
    """The last day an assessment stands: `valid_months` later, less a day."""
    return add_months(assessed_on, form.valid_months) - timedelta(days=1)
