"""Social assistance: rules (no ORM). The audit log's names of the rules' actions, and the checks of
a city's dated change to a parameter that need no database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from linli.core.errors import FieldError, Msg, field_error
from linli.welfare.rules.parameters import INTEGER_UNITS, ParameterMissing, definition

AUDIT_ACTIONS: dict[str, Msg] = {
    "welfare.rules.change_recorded": Msg("设定救助参数", "Set a social-assistance parameter"),
}

VALUE_PLACES = 4  # ParameterChange.value has four decimal places
VALUE_DIGITS = 14
TEKUN_FACTOR = "tekun.basic_factor"
TEKUN_FACTOR_MIN = Decimal("1.3")
REASON_MAX = 300
DOCUMENT_MAX = 120


def change_problems(
    *, name: str, value, valid_from, reason: str, document: str
) -> tuple[list[FieldError], Decimal | None, date | None]:
    """Every problem of a proposed change, each naming its field; the parsed value and date."""
    problems: list[FieldError] = []
    item = None
    try:
        item = definition((name or "").strip())
    except ParameterMissing:
        problems.append(field_error("name", "请选择一个已有的参数", "Choose a known parameter"))
    amount: Decimal | None = None
    try:
        amount = Decimal(str(value).strip().replace(",", "").replace("，", "").lstrip("¥"))
        if not amount.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        problems.append(field_error("value", "请填写数值", "Enter a number"))
        amount = None
    if amount is not None:
        if amount < 0:
            problems.append(field_error("value", "数值不能为负数", "The value cannot be negative"))
        elif amount != amount.quantize(Decimal(1).scaleb(-VALUE_PLACES)) or amount >= Decimal(10) ** (
            VALUE_DIGITS - VALUE_PLACES
        ):
            problems.append(field_error("value", "数值最多保留四位小数", "The value has at most four decimal places"))
        elif item is not None:
            if item.name == TEKUN_FACTOR and amount < TEKUN_FACTOR_MIN:
                problems.append(
                    field_error(
                        "value",
                        "特困基本生活标准不得低于低保标准的 1.3 倍",
                        "The tekun basic standard is at least 1.3 times the dibao standard",
                    )
                )
            elif not (item.minimum <= amount <= item.maximum):
                problems.append(
                    field_error(
                        "value",
                        f"数值应在 {item.minimum} 至 {item.maximum} 之间",
                        f"The value must be between {item.minimum} and {item.maximum}",
                    )
                )
            elif item.unit in INTEGER_UNITS and amount != amount.to_integral_value():
                problems.append(field_error("value", "此参数应为整数", "This parameter is a whole number"))
    day: date | None = None
    if isinstance(valid_from, date):
        day = valid_from
    else:
        try:
            day = date.fromisoformat(str(valid_from or "").strip())
        except ValueError:
            problems.append(field_error("valid_from", "请填写生效日期", "Enter the date it applies from"))
    if day is not None and day.year < 2000:
        problems.append(field_error("valid_from", "生效日期不能早于 2000 年", "The date cannot be before 2000"))
        day = None
    if not (reason or "").strip():
        problems.append(field_error("reason", "请填写调整原因", "Give the reason for the change"))
    elif len(reason.strip()) > REASON_MAX:
        problems.append(field_error("reason", f"调整原因不超过 {REASON_MAX} 字", f"At most {REASON_MAX} characters"))
    if len((document or "").strip()) > DOCUMENT_MAX:
        problems.append(field_error("document", f"文号不超过 {DOCUMENT_MAX} 字", f"At most {DOCUMENT_MAX} characters"))
    return problems, amount, day


# ------------------------------------------------------------------ the trial calculator (试算)

TRIAL_MAX_MEMBERS = 10
TRIAL_MONEY_MAX = Decimal("10000000")
HOUSEHOLD_MONEY = ("deposits", "vehicle_value", "medical_costs", "education_costs", "disability_costs")


def _money(problems: list[FieldError], name: str, value) -> Decimal:
    if value in (None, ""):
        return Decimal("0")
    try:
        amount = Decimal(str(value).strip().replace(",", "").lstrip("¥"))
        if not amount.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        problems.append(field_error(name, "请填写金额", "Enter an amount"))
        return Decimal("0")
    if amount < 0:
        problems.append(field_error(name, "金额不能为负数", "The amount cannot be negative"))
    elif amount > TRIAL_MONEY_MAX or amount != amount.quantize(Decimal("0.01")):
        problems.append(
            field_error(name, "金额最多两位小数且不超过一千万", "At most two decimal places and 10,000,000")
        )
    return amount


def _whole(problems: list[FieldError], name: str, value, low: int, high: int, default: int) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(str(value).strip())
    except ValueError:
        number = low - 1
    if not (low <= number <= high):
        problems.append(
            field_error(name, f"请填写 {low} 至 {high} 的整数", f"Enter a whole number from {low} to {high}")
        )
        return default
    return number


def _flag(value) -> bool:
    return value is True or str(value).strip().lower() in ("1", "true", "on", "yes")


def trial_facts(data: dict, on: date):
    """A household's facts typed in for a trial, checked whole: (Household or None, problems).
    Fields are named as in the API (`members.0.age`); a member gives `age` (or `birth_date`),
    `incomes` {source: monthly}, `disability_level`, `serious_illness`, `able_to_work`,
    `employed`, `care_need`, `sex`."""
    from linli.welfare.rules.facts import AREAS, CARE_NEEDS, INCOME_SOURCES, Household, Income, Member

    problems: list[FieldError] = []
    area = str(data.get("area") or "urban")
    if area not in AREAS:
        problems.append(field_error("area", "请选择城市或农村", "Choose urban or rural"))
    raw_members = data.get("members") or []
    if not isinstance(raw_members, list) or not (1 <= len(raw_members) <= TRIAL_MAX_MEMBERS):
        problems.append(
            field_error(
                "members",
                f"请填写 1 至 {TRIAL_MAX_MEMBERS} 名家庭成员",
                f"Enter 1 to {TRIAL_MAX_MEMBERS} members",
            )
        )
        raw_members = []
    members = []
    for index, raw in enumerate(raw_members):
        prefix = f"members.{index}"
        raw = raw if isinstance(raw, dict) else {}
        born = None
        if raw.get("birth_date"):
            try:
                born = date.fromisoformat(str(raw["birth_date"]))
            except ValueError:
                problems.append(field_error(f"{prefix}.birth_date", "请填写出生日期", "Enter the date of birth"))
            else:
                if born > on:
                    problems.append(field_error(f"{prefix}.birth_date", "出生日期晚于计算日期", "Born after the date"))
        if born is None:
            if raw.get("age") in (None, ""):
                problems.append(field_error(f"{prefix}.age", "请填写年龄", "Enter the age"))
                age = 0
            else:
                age = _whole(problems, f"{prefix}.age", raw.get("age"), 0, 120, 0)
            born = date(on.year - age, 1, 1)
        incomes = []
        raw_incomes = raw.get("incomes") or {}
        if not isinstance(raw_incomes, dict):
            raw_incomes = {}
        for source, value in raw_incomes.items():
            if source not in INCOME_SOURCES:
                problems.append(field_error(f"{prefix}.incomes", "未知的收入类别", "Unknown kind of income"))
                continue
            amount = _money(problems, f"{prefix}.incomes.{source}", value)
            if amount:
                incomes.append(Income(source=source, monthly=amount))
        level = str(raw.get("disability_level") or "")
        if level not in ("", "1", "2", "3", "4"):
            problems.append(field_error(f"{prefix}.disability_level", "残疾等级应为 1 至 4 级", "Level 1 to 4"))
            level = ""
        care = str(raw.get("care_need") or "")
        if care not in CARE_NEEDS:
            problems.append(field_error(f"{prefix}.care_need", "请选择照料需求", "Choose the care need"))
            care = ""
        sex = str(raw.get("sex") or "")
        members.append(
            Member(
                ref=f"trial-{index + 1}",
                birth_date=born,
                disability_level=level,
                serious_illness=_flag(raw.get("serious_illness")),
                able_to_work=not _flag(raw.get("unable_to_work"))
                and raw.get("able_to_work") not in (False, "0", "false"),
                employed=_flag(raw.get("employed")),
                incomes=tuple(incomes),
                care_need=care,
                sex=sex if sex in ("male", "female") else "",
            )
        )
    amounts = {name: _money(problems, name, data.get(name)) for name in HOUSEHOLD_MONEY}
    vehicles = _whole(problems, "vehicles", data.get("vehicles"), 0, 20, 0)
    homes = _whole(problems, "homes", data.get("homes"), 0, 20, 1)
    if problems:
        return None, problems
    household = Household(
        area=area,
        members=tuple(members),
        vehicles=vehicles or (1 if amounts["vehicle_value"] > 0 else 0),
        homes=homes,
        has_able_supporter=_flag(data.get("has_able_supporter")),
        deposits=amounts["deposits"],
        vehicle_value=amounts["vehicle_value"],
        medical_costs=amounts["medical_costs"],
        education_costs=amounts["education_costs"],
        disability_costs=amounts["disability_costs"],
    )
    return household, problems
