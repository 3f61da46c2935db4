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
