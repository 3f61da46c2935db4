"""The engine other stages call: a household's facts and a date in, the class, the monthly amount
and a human-readable trace out. Plain Python over OpenFisca; no Django, no database.

    determine(household, on, changes)            one household, with its trace
    determine_many(households, on, changes)      one vectorised simulation for all of them
    parameter_value(name, on, changes)           a dated parameter (ParameterMissing if none)
    parameter_table(on, changes)                 every parameter as of a date, for the admin page

The tax-benefit system is built once per process; the city's changes are applied on a cheap copy
of it cached by the changes' digest. The same household, date and changes always give the same
Result (and the same `parameters_digest` and `rules_version`)."""

from __future__ import annotations

import copy
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

import numpy

from linli.welfare.rules import parameters as params
from linli.welfare.rules.facts import INCOME_SOURCES, Household
from linli.welfare.rules.parameters import (
    MONEY_UNITS,
    RULE_NAMESPACES,
    Change,
    ParameterMissing,
    ParameterRow,
)

__all__ = [
    "Change",
    "ParameterMissing",
    "ParameterRow",
    "Result",
    "TraceLine",
    "determine",
    "determine_many",
    "format_parameter",
    "parameter_table",
    "parameter_value",
    "rules_version",
    "yuan",
]

FEN = Decimal("0.01")
CLASS_CODES = ("none", "rigid", "edge", "dibao", "tekun")  # AssistanceClassCode's order
CARE_CODES = {"": 0, "partial": 1, "full": 2}


@dataclass(frozen=True)
class TraceLine:
    """One line of the trace: a variable, its value and the parameters it used. `value` is in
    Chinese (or neutral, like an amount); `value_en` is its English where it differs."""

    variable: str
    label_zh: str
    label_en: str
    value: str
    parameters: tuple[tuple[str, str, str, str], ...] = ()  # (name, label_zh, label_en, value)
    value_en: str = ""

    def label(self, language: str) -> str:
        return self.label_en if language.startswith("en") else self.label_zh

    def shown(self, language: str) -> str:
        return self.value_en if language.startswith("en") and self.value_en else self.value

    def as_dict(self) -> dict:
        return {
            "variable": self.variable,
            "label_zh": self.label_zh,
            "label_en": self.label_en,
            "value": self.value,
            "value_en": self.value_en,
            "parameters": [list(p) for p in self.parameters],
        }

    @classmethod
    def from_dict(cls, data: dict) -> TraceLine:
        return cls(
            variable=data["variable"],
            label_zh=data["label_zh"],
            label_en=data["label_en"],
            value=data["value"],
            value_en=data.get("value_en", ""),
            parameters=tuple(tuple(p) for p in data.get("parameters", ())),  # type: ignore[misc]
        )


@dataclass(frozen=True)
class Result:
    assistance_class: str  # an AssistanceClass value: tekun, dibao, edge, rigid, none
    monthly_amount: Decimal  # paid monthly (0 for edge, rigid and none), rounded once to the fen
    per_capita_income: Decimal  # monthly counted income per member after deductions
    standard: Decimal  # the dibao standard that applied (urban or rural) on the date
    members: int
    trace: tuple[TraceLine, ...]
    on: date
    parameters_digest: str
    rules_version: str
    per_capita_income_before_deductions: Decimal = Decimal("0.00")
    members_covered_alone: int = 0  # 单人保: members covered alone (class dibao, household otherwise ineligible)

    def trace_json(self) -> str:
        return json.dumps([line.as_dict() for line in self.trace], ensure_ascii=False)


def trace_from_json(text: str) -> tuple[TraceLine, ...]:
    return tuple(TraceLine.from_dict(item) for item in json.loads(text))


# ------------------------------------------------------------------ formatting


def yuan(amount: Decimal | float) -> str:
    value = Decimal(str(amount)).quantize(FEN, ROUND_HALF_UP)
    return f"¥{value:,.2f}"


def _fen(value: float) -> Decimal:
    # round(…, 6) removes float noise only; the one rounding to the fen is the quantize
    return Decimal(repr(round(float(value), 6))).quantize(FEN, ROUND_HALF_UP)


def _fens(values: numpy.ndarray) -> list[Decimal]:
    """Amounts rounded once to the fen (half up), as Decimals; equal amounts share one object."""
    cents = numpy.floor(numpy.round(numpy.asarray(values, dtype=numpy.float64), 6) * 100 + 0.5 + 1e-9)
    cache: dict[int, Decimal] = {}
    out = []
    for cent in cents.astype(numpy.int64).tolist():
        found = cache.get(cent)
        if found is None:
            found = cache[cent] = Decimal(cent).scaleb(-2)
        out.append(found)
    return out


def _clean(value: Decimal) -> Decimal:
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def format_parameter(name: str, value: Decimal | None) -> str:
    """A parameter's value as a person reads it (¥820.00, 1.5, 10%, 24)."""
    if value is None:
        return "—"
    unit = params.definition(name).unit
    if unit in MONEY_UNITS:
        return yuan(value)
    if unit == "share":
        return f"{_clean(value * 100)}%"
    return str(_clean(value))


def _yes(flag) -> tuple[str, str]:
    return ("是", "yes") if bool(flag) else ("否", "no")


# ------------------------------------------------------------------ the system


@lru_cache(maxsize=1)
def rules_version() -> str:
    """A digest of the rules' source and shipped YAML: changes when the code or defaults change."""
    digest = hashlib.sha256()
    here = Path(__file__).parent
    for path in [
        here / "variables.py",
        here / "parameters.py",
        here / "engine.py",
        *sorted(params.PARAMETERS_DIR.glob("*.yaml")),
    ]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


_LOCK = threading.Lock()
_SYSTEMS: OrderedDict[str, object] = OrderedDict()
_DIGESTS: OrderedDict[tuple[str, date], str] = OrderedDict()


@lru_cache(maxsize=1)
def _base_system():
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem

    from linli.welfare.rules.variables import ENTITIES, VARIABLES

    system = TaxBenefitSystem(ENTITIES)
    system.add_variables(*VARIABLES)
    system.parameters = params.openfisca_parameters(())
    return system


def _system(changes: Sequence[Change]):
    base = _base_system()
    if not changes:
        return base
    key = params.changes_digest(changes)
    with _LOCK:
        found = _SYSTEMS.get(key)
        if found is not None:
            _SYSTEMS.move_to_end(key)
            return found
    system = copy.copy(base)  # shares the variables and entities; only the parameters differ
    system.parameters = params.openfisca_parameters(changes)
    with _LOCK:
        _SYSTEMS[key] = system
        while len(_SYSTEMS) > 16:
            _SYSTEMS.popitem(last=False)
    return system


def _parameters_digest(on: date, changes: Sequence[Change]) -> str:
    key = (params.changes_digest(changes), on)
    with _LOCK:
        found = _DIGESTS.get(key)
    if found is not None:
        return found
    values = params.effective_values(on, changes, RULE_NAMESPACES)
    digest = hashlib.sha256(
        json.dumps({name: str(value) for name, value in values.items()}, sort_keys=True).encode()
    ).hexdigest()
    with _LOCK:
        _DIGESTS[key] = digest
        while len(_DIGESTS) > 256:
            _DIGESTS.popitem(last=False)
    return digest


# ------------------------------------------------------------------ public API


def parameter_value(name: str, on: date, changes: Sequence[Change] = ()) -> Decimal:
    """The value in force on the date; ParameterMissing if unknown or without a value then."""
    if name not in params.definitions():
        raise ParameterMissing(name, on)
    value = params.value_on(name, on, changes)[1]
    if params.definition(name).unit in MONEY_UNITS:
        return value.quantize(FEN, ROUND_HALF_UP)
    return _clean(value)


def parameter_table(on: date, changes: Sequence[Change] = ()) -> list[ParameterRow]:
    return params.rows(on, changes)


def determine(household: Household, on: date, changes: Sequence[Change] = ()) -> Result:
    return determine_many([household], on, changes, trace=True)[0]


PERSON_OUTPUTS = ("age", "no_working_ability", "counted_income", "dibao_addon", "tekun_member_amount", "covered_alone")
HOUSEHOLD_OUTPUTS = (
    "dibao_standard",
    "members_count",
    "income_before_deductions",
    "medical_deduction",
    "education_deduction",
    "disability_deduction",
    "rigid_deductions",
    "household_counted_income",
    "deposit_limit",
    "deposits_ok",
    "vehicles_ok",
    "homes_ok",
    "property_ok",
    "below_standard",
    "edge_line",
    "tekun_eligible",
    "dibao_eligible",
    "edge_eligible",
    "rigid_eligible",
    "members_covered_alone",
    "dibao_gap",
    "dibao_addons",
    "single_person_amount",
    "dibao_amount",
    "tekun_amount",
    "monthly_amount",
)


def _check(household: Household, index: int) -> None:
    if not household.members:
        raise ValueError(f"household {index}: no members")
    if household.area not in ("urban", "rural"):
        raise ValueError(f"household {index}: area must be urban or rural")
    for amount in (
        household.deposits,
        household.vehicle_value,
        household.medical_costs,
        household.education_costs,
        household.disability_costs,
    ):
        if amount < 0:
            raise ValueError(f"household {index}: a negative amount")
    for member in household.members:
        for income in member.incomes:
            if income.monthly < 0:
                raise ValueError(f"household {index}: a negative income")
            if income.source not in INCOME_SOURCES:
                raise ValueError(f"household {index}: unknown income source {income.source!r}")


def determine_many(
    households: Sequence[Household], on: date, changes: Sequence[Change] = (), *, trace: bool = False
) -> list[Result]:
    """One vectorised OpenFisca simulation for all the households. ParameterMissing when a
    parameter the rules read has no value on the date; ValueError for facts the rules cannot read
    (no members, a negative amount)."""
    from openfisca_core import periods
    from openfisca_core.simulations import SimulationBuilder

    digest = _parameters_digest(on, changes)  # raises ParameterMissing first
    if not households:
        return []
    system = _system(changes)
    version = rules_version()

    n_households = len(households)
    sizes = numpy.fromiter((len(h.members) for h in households), dtype=numpy.int64, count=n_households)
    if n_households and int(sizes.min()) == 0:
        raise ValueError(f"household {int(numpy.argmin(sizes))}: no members")
    n_persons = int(sizes.sum())
    assignment = numpy.repeat(numpy.arange(n_households), sizes)

    # comprehensions over flat lists: most of the time of a city-scale run is reading the facts
    for index, household in enumerate(households):
        if household.area not in ("urban", "rural"):
            _check(household, index)
    people = [member for household in households for member in household.members]
    ordinals = [member.birth_date.toordinal() for member in people]
    levels = [int(member.disability_level or 0) for member in people]
    ill = [member.serious_illness for member in people]
    able = [member.able_to_work for member in people]
    working = [member.employed for member in people]
    female = [member.sex == "female" for member in people]
    care = [CARE_CODES.get(member.care_need, 0) for member in people]
    flat = [(i, income.source, float(income.monthly)) for i, member in enumerate(people) for income in member.incomes]
    incomes = {source: numpy.zeros(n_persons, dtype=numpy.float64) for source in INCOME_SOURCES}
    if flat:
        at, sources, amounts = zip(*flat, strict=True)
        at_array = numpy.array(at, dtype=numpy.int64)
        amount_array = numpy.array(amounts, dtype=numpy.float64)
        source_array = numpy.array(sources, dtype=object)
        known = numpy.isin(source_array, INCOME_SOURCES)
        bad = numpy.flatnonzero((amount_array < 0) | ~known)
        if bad.size:
            _check(households[int(assignment[at_array[bad[0]]])], int(assignment[at_array[bad[0]]]))
        for source in INCOME_SOURCES:
            chosen = source_array == source
            if chosen.any():
                numpy.add.at(incomes[source], at_array[chosen], amount_array[chosen])
    household_rows = [
        (
            household.area == "rural",
            float(household.deposits),
            household.vehicles,
            float(household.vehicle_value),
            household.homes,
            float(household.medical_costs),
            float(household.education_costs),
            float(household.disability_costs),
            household.has_able_supporter,
        )
        for household in households
    ]
    table = list(zip(*household_rows, strict=True))
    money_columns = numpy.array([table[1], table[3], table[5], table[6], table[7]], dtype=numpy.float64)
    if (money_columns < 0).any():
        index = int(numpy.flatnonzero((money_columns < 0).any(axis=0))[0])
        _check(households[index], index)

    builder = SimulationBuilder()
    builder.create_entities(system)
    builder.declare_person_entity("person", numpy.arange(n_persons))
    group = builder.declare_entity("household", numpy.arange(n_households))
    builder.join_with_persons(group, assignment, numpy.zeros(n_persons, dtype=numpy.int64))
    simulation = builder.build(system)
    period = periods.period(on.isoformat())
    inputs = {
        # date.toordinal() of 1970-01-01 is 719163
        "birth_date": (numpy.array(ordinals, dtype=numpy.int64) - 719163).astype("datetime64[D]"),
        "disability_level": numpy.array(levels, dtype=numpy.int32),
        "serious_illness": numpy.array(ill, dtype=bool),
        "declared_able_to_work": numpy.array(able, dtype=bool),
        "employed": numpy.array(working, dtype=bool),
        "female": numpy.array(female, dtype=bool),
        "care_need": numpy.array(care, dtype=numpy.int32),
        **{f"income_{source}": values for source, values in incomes.items()},
        "rural": numpy.array(table[0], dtype=bool),
        "deposits": numpy.array(table[1], dtype=numpy.float64),
        "vehicles": numpy.array(table[2], dtype=numpy.int32),
        "vehicle_value": numpy.array(table[3], dtype=numpy.float64),
        "homes": numpy.array(table[4], dtype=numpy.int32),
        "medical_costs": numpy.array(table[5], dtype=numpy.float64),
        "education_costs": numpy.array(table[6], dtype=numpy.float64),
        "disability_costs": numpy.array(table[7], dtype=numpy.float64),
        "has_able_supporter": numpy.array(table[8], dtype=bool),
    }
    for name, values in inputs.items():
        simulation.set_input(name, period, values)

    grades = simulation.calculate("assistance_class", period).decode_to_str().tolist()
    amount = _fens(simulation.calculate("monthly_amount", period))
    standard = _fens(simulation.calculate("dibao_standard", period))
    counted = _fens(simulation.calculate("household_counted_income", period) / sizes)
    before = _fens(simulation.calculate("income_before_deductions", period) / sizes)
    alone = simulation.calculate("members_covered_alone", period).tolist()

    results: list[Result] = []
    if trace:
        household_values = {name: simulation.calculate(name, period) for name in HOUSEHOLD_OUTPUTS}
        person_values = {name: simulation.calculate(name, period) for name in PERSON_OUTPUTS}
        starts = numpy.concatenate([[0], numpy.cumsum(sizes)[:-1]])
    size_list = sizes.tolist()
    for index, household in enumerate(households):
        members = size_list[index]
        lines: tuple[TraceLine, ...] = ()
        if trace:
            lines = _trace(
                household,
                on,
                changes,
                {name: values[index] for name, values in household_values.items()},
                {
                    name: values[int(starts[index]) : int(starts[index]) + members]
                    for name, values in person_values.items()
                },
                grades[index],
            )
        results.append(
            Result(
                assistance_class=grades[index],
                monthly_amount=amount[index],
                per_capita_income=counted[index],
                standard=standard[index],
                members=members,
                trace=lines,
                on=on,
                parameters_digest=digest,
                rules_version=version,
                per_capita_income_before_deductions=before[index],
                members_covered_alone=alone[index],
            )
        )
    return results


# ------------------------------------------------------------------ the trace

CLASS_LABELS = {
    "tekun": ("特困人员救助供养", "Extreme-poverty support (tekun)"),
    "dibao": ("最低生活保障", "Minimum living allowance"),
    "edge": ("低保边缘家庭", "Near-dibao household"),
    "rigid": ("刚性支出困难家庭", "Hardship from rigid expenditure"),
    "none": ("不符合救助条件", "Not eligible for assistance"),
}
SOURCE_LABELS = {
    "wage": ("工资性收入", "wages"),
    "business": ("经营净收入", "business income"),
    "property": ("财产净收入", "property income"),
    "transfer": ("转移净收入", "transfers"),
    "other": ("其他收入", "other income"),
    "special_care": ("优待抚恤金", "special-care payments"),
    "scholarship": ("奖学金、助学金", "scholarships"),
    "disability_allowance": ("残疾人补贴", "disability allowances"),
    "assistance": ("社会救助款物", "assistance payments"),
}


def _trace(
    household: Household, on: date, changes: Sequence[Change], h: dict, p: dict, grade: str
) -> tuple[TraceLine, ...]:
    def par(*names: str) -> tuple[tuple[str, str, str, str], ...]:
        out = []
        for name in names:
            item = params.definition(name)
            out.append(
                (name, item.label_zh, item.label_en, format_parameter(name, params.value_on(name, on, changes)[1]))
            )
        return tuple(out)

    def money(x) -> str:
        return yuan(_fen(x))

    lines: list[TraceLine] = []
    add = lines.append
    area = household.area
    members = int(h["members_count"])
    standard_name = f"dibao.standard.{area}"
    add(
        TraceLine(
            "dibao_standard",
            "适用的低保标准（城市）" if area == "urban" else "适用的低保标准（农村）",
            "Dibao standard that applies (urban)" if area == "urban" else "Dibao standard that applies (rural)",
            money(h["dibao_standard"]),
            par(standard_name),
        )
    )
    add(TraceLine("members_count", "共同生活家庭成员人数", "Members living together", str(members)))
    for number, member in enumerate(household.members, start=1):
        sources = [i for i in member.incomes if i.monthly]
        listed_zh = "、".join(f"{SOURCE_LABELS[i.source][0]} {yuan(i.monthly)}" for i in sources) or "无收入"
        listed_en = ", ".join(f"{SOURCE_LABELS[i.source][1]} {yuan(i.monthly)}" for i in sources) or "no income"
        no_ability = bool(p["no_working_ability"][number - 1])
        years = int(p["age"][number - 1])
        ability_zh = "无劳动能力" if no_ability else "有劳动能力"
        add(
            TraceLine(
                "counted_income",
                f"成员{number}（{years}周岁，{ability_zh}）计入月收入",
                f"Member {number} (aged {years}, "
                f"{'no working ability' if no_ability else 'able to work'}): monthly income counted",
                f"{money(p['counted_income'][number - 1])}（{listed_zh}）",
                par("income.wage_disregard") if any(i.source == "wage" for i in sources) else (),
                value_en=f"{money(p['counted_income'][number - 1])} ({listed_en})",
            )
        )
    add(
        TraceLine(
            "income_before_deductions",
            "家庭月计入收入（扣减刚性支出前）",
            "Household monthly income counted (before rigid expenditure)",
            money(h["income_before_deductions"]),
        )
    )
    for kind, zh, en in (
        ("medical", "医疗支出扣减", "Medical costs deducted"),
        ("education", "教育支出扣减", "Education costs deducted"),
        ("disability", "残疾康复护理支出扣减", "Disability costs deducted"),
    ):
        spent = getattr(household, f"{kind}_costs")
        if spent:
            add(
                TraceLine(
                    f"{kind}_deduction",
                    f"{zh}（支出 {yuan(spent)}）",
                    f"{en} (spent {yuan(spent)})",
                    money(h[f"{kind}_deduction"]),
                    par(f"rigid.{kind}.share", f"rigid.{kind}.cap"),
                )
            )
    add(
        TraceLine(
            "household_counted_income",
            "家庭月计入收入（扣减刚性支出后）",
            "Household monthly income counted (after rigid expenditure)",
            money(h["household_counted_income"]),
        )
    )
    counted = money(h["household_counted_income"])
    per_capita = money(h["household_counted_income"] / members)
    per_capita_before = money(h["income_before_deductions"] / members)
    add(
        TraceLine(
            "per_capita_income",
            "家庭月人均收入",
            "Monthly per-capita income",
            f"{per_capita}（{counted} ÷ {members}）",
            value_en=f"{per_capita} ({counted} ÷ {members})",
        )
    )
    ok_zh, ok_en = _yes(h["deposits_ok"])
    add(
        TraceLine(
            "deposits_ok",
            f"存款 {yuan(household.deposits)} 不超过限额 {money(h['deposit_limit'])}",
            f"Deposits {yuan(household.deposits)} within the limit {money(h['deposit_limit'])}",
            ok_zh,
            par("property.deposit_months", "property.deposit_limit_absolute", standard_name),
            value_en=ok_en,
        )
    )
    if household.vehicles:
        ok_zh, ok_en = _yes(h["vehicles_ok"])
        add(
            TraceLine(
                "vehicles_ok",
                f"机动车 {household.vehicles} 辆、价值 {yuan(household.vehicle_value)} 未超限",
                f"{household.vehicles} vehicle(s) worth {yuan(household.vehicle_value)} within the limit",
                ok_zh,
                par("property.vehicle_value_limit"),
                value_en=ok_en,
            )
        )
    ok_zh, ok_en = _yes(h["homes_ok"])
    add(
        TraceLine(
            "homes_ok",
            f"住房 {household.homes} 套未超限",
            f"{household.homes} dwelling(s) within the limit",
            ok_zh,
            par("property.homes_max"),
            value_en=ok_en,
        )
    )
    ok_zh, ok_en = _yes(h["property_ok"])
    add(TraceLine("property_ok", "家庭财产符合规定", "Household property test passed", ok_zh, value_en=ok_en))
    all_unable = bool(p["no_working_ability"].all())
    ok_zh, ok_en = _yes(h["tekun_eligible"])
    add(
        TraceLine(
            "tekun_eligible",
            f"特困：成员均无劳动能力（{'是' if all_unable else '否'}），"
            f"无有能力的法定义务人（{'否' if household.has_able_supporter else '是'}），人均收入低于低保标准，财产符合",
            f"Tekun: no member able to work ({'yes' if all_unable else 'no'}), "
            f"no able supporter ({'no' if household.has_able_supporter else 'yes'}), "
            "income below the standard, property passed",
            ok_zh,
            par("tekun.age_old", "tekun.age_minor", "tekun.disability_level_max"),
            value_en=ok_en,
        )
    )
    ok_zh, ok_en = _yes(h["dibao_eligible"])
    add(
        TraceLine(
            "dibao_eligible",
            f"低保：人均收入 {per_capita} 低于标准 {money(h['dibao_standard'])}，财产符合",
            f"Dibao: per-capita income {per_capita} below the standard {money(h['dibao_standard'])}, property passed",
            ok_zh,
            par(standard_name),
            value_en=ok_en,
        )
    )
    if int(h["members_covered_alone"]):
        add(
            TraceLine(
                "members_covered_alone",
                "单人保：单独纳入低保的重病、重残成员人数",
                "Single-person dibao: seriously ill or severely disabled members covered alone",
                str(int(h["members_covered_alone"])),
                par("dibao.single_person.enabled", "dibao.single_person.disability_level_max"),
            )
        )
    line = h["edge_line"]
    ok_zh, ok_en = _yes(h["edge_eligible"])
    add(
        TraceLine(
            "edge_eligible",
            f"低保边缘：扣减刚性支出前人均收入 {per_capita_before} 低于边缘线 {money(line)}，财产符合",
            f"Near-dibao: per-capita income before rigid expenditure {per_capita_before} "
            f"below the edge line {money(line)}, property passed",
            ok_zh,
            par("edge.factor", standard_name),
            value_en=ok_en,
        )
    )
    ok_zh, ok_en = _yes(h["rigid_eligible"])
    add(
        TraceLine(
            "rigid_eligible",
            f"刚性支出困难：扣减前人均收入不低于边缘线，"
            f"扣减刚性支出 {money(h['rigid_deductions'])} 后低于边缘线，财产符合",
            f"Rigid hardship: before deductions at or above the edge line, below it after deducting "
            f"{money(h['rigid_deductions'])}, property passed",
            ok_zh,
            value_en=ok_en,
        )
    )
    zh, en = CLASS_LABELS[grade]
    add(
        TraceLine(
            "assistance_class",
            "认定类别（按特困、低保、低保边缘、刚性支出困难顺序）",
            "Class (tried in order tekun, dibao, near-dibao, rigid hardship)",
            zh,
            value_en=en,
        )
    )
    if grade == "dibao" and bool(h["dibao_eligible"]):
        add(
            TraceLine(
                "dibao_gap",
                "差额：（低保标准 − 人均收入）× 人数",
                "Gap: (standard − per-capita income) × members",
                f"{money(h['dibao_gap'])}（{money(h['dibao_standard'])} × {members} − {counted}）",
                par(standard_name),
                value_en=f"{money(h['dibao_gap'])} ({money(h['dibao_standard'])} × {members} − {counted})",
            )
        )
        for number in range(1, members + 1):
            addon = p["dibao_addon"][number - 1]
            if addon:
                add(
                    TraceLine(
                        "dibao_addon",
                        f"成员{number}分类施保加发（就高）",
                        f"Member {number}: classified add-on (the highest)",
                        money(addon),
                        par(
                            "addon.old.age",
                            "addon.old.share",
                            "addon.disability_severe.share",
                            "addon.disability_other.share",
                            "addon.illness.share",
                            "addon.young.age",
                            "addon.young.share",
                        ),
                    )
                )
        add(
            TraceLine(
                "dibao_amount",
                "低保月保障金（差额 + 分类施保，不低于最低额，四舍五入到分）",
                "Dibao monthly amount (gap + add-ons, at least the minimum, rounded to the fen)",
                money(h["monthly_amount"]),
                par("dibao.minimum_amount"),
            )
        )
    elif grade == "dibao":
        add(
            TraceLine(
                "single_person_amount",
                "单人保月保障金（每人 标准 × 比例 + 分类施保，不低于最低额）",
                "Single-person dibao amount (per member: standard × share + add-on, at least the minimum)",
                money(h["monthly_amount"]),
                par("dibao.single_person.share", "dibao.minimum_amount"),
            )
        )
    elif grade == "tekun":
        for number in range(1, members + 1):
            need = household.members[number - 1].care_need
            need_zh, need_en = {
                "": ("生活自理", "self-care"),
                "partial": ("部分失能", "partly dependent"),
                "full": ("完全失能", "fully dependent"),
            }[need]
            add(
                TraceLine(
                    "tekun_member_amount",
                    f"成员{number}：基本生活标准 + 照料护理标准（{need_zh}）",
                    f"Member {number}: basic standard + care standard ({need_en})",
                    money(p["tekun_member_amount"][number - 1]),
                    par("tekun.basic_factor", standard_name, f"tekun.care.{need or 'self'}"),
                )
            )
        add(TraceLine("tekun_amount", "特困供养月金额", "Tekun monthly amount", money(h["monthly_amount"])))
    else:
        add(
            TraceLine(
                "monthly_amount",
                "按月发放金额（该类别不按月发放）",
                "Monthly amount (this class is not paid monthly)",
                money(0),
            )
        )
    return tuple(lines)
