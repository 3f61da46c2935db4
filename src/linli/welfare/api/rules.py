"""The rules over JSON: the parameter table as of a date, a city's dated change (Idempotency-Key),
and the trial calculator (nothing saved). Parse → actor → one service or selector → schema."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from linli.core.apitools import ErrorOut, IsoDate
from linli.core.errors import field_error, permission_denied, validation_failed
from linli.core.idempotency import idempotent
from linli.welfare.domain.rules import trial_facts
from linli.welfare.rules.engine import format_parameter
from linli.welfare.selectors.rules import may_read_rules, parameter_table, rules_trial
from linli.welfare.services.rules import parameter_change_record

router = Router(tags=["welfare"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class ParameterOut(Schema):
    name: str
    label_zh: str
    label_en: str
    unit: str
    value: Decimal | None
    shown: str = Field(description="the value as a person reads it (¥820.00, 1.5, 10%)")
    valid_from: dt.date | None
    example: bool = Field(description="the value in force is an example shipped with the platform")
    set_by_city: bool
    recorded_by: str = ""
    reason: str = ""
    document: str = ""
    minimum: Decimal
    maximum: Decimal


@router.get("/parameters", response={200: list[ParameterOut], **ERRORS})
def parameters(request, on: IsoDate | None = None):
    """Every parameter as of `on` (default today), with who set the city's values and why."""
    rows = parameter_table(actor=request.actor, on=on or timezone.localdate())
    return [
        {
            "name": r.row.name,
            "label_zh": r.row.label_zh,
            "label_en": r.row.label_en,
            "unit": r.row.unit,
            "value": r.row.value,
            "shown": r.shown_value,
            "valid_from": r.row.valid_from,
            "example": r.row.example,
            "set_by_city": r.row.set_by_city,
            "recorded_by": r.change.recorded_by_name if r.change else "",
            "reason": r.change.reason if r.change else "",
            "document": r.change.document if r.change else "",
            "minimum": r.row.minimum,
            "maximum": r.row.maximum,
        }
        for r in rows
    ]


class ChangeIn(Schema):
    name: str
    value: str = Field(description='a decimal number, e.g. "900" or "1.5"')
    valid_from: str = Field(description="ISO date the value applies from")
    reason: str
    document: str = ""
    confirm_past: bool = Field(False, description="required when valid_from is before today")


class ParameterChangeOut(Schema):
    id: int
    name: str
    value: Decimal
    shown: str
    valid_from: IsoDate
    reason: str
    document: str
    recorded_by: str
    recorded_at: dt.datetime


@router.post("/changes", response={201: ParameterChangeOut, **ERRORS})
def change_create(request, payload: ChangeIn):
    """Record a city's value for a parameter from a date (WELFARE_RULES and a city posting). A
    past date needs `confirm_past`. Accepts an `Idempotency-Key` header."""

    def create():
        row = parameter_change_record(actor=request.actor, **payload.dict())
        body = ParameterChangeOut(
            id=row.pk,
            name=row.name,
            value=row.value,
            shown=format_parameter(row.name, row.value),
            valid_from=row.valid_from,
            reason=row.reason,
            document=row.document,
            recorded_by=row.recorded_by_name,
            recorded_at=row.recorded_at,
        )
        return 201, body.model_dump(mode="json")

    return Status(*idempotent(request, create))


class TrialMemberIn(Schema):
    # strict: a number written as text (or true for 1) is refused, as the schema says
    model_config = ConfigDict(strict=True)

    age: int | None = Field(None, description="age in years on the date (or give birth_date)")
    birth_date: str = ""
    incomes: dict[str, str] = Field(default_factory=dict, description="monthly income by source")
    disability_level: str = ""
    serious_illness: bool = False
    able_to_work: bool = True
    employed: bool = False
    care_need: str = ""
    sex: str = ""


class TrialIn(Schema):
    model_config = ConfigDict(strict=True)

    on: str = Field("", description="ISO date (default today)")
    area: str = "urban"
    members: list[TrialMemberIn]
    deposits: str = "0"
    vehicles: int = 0
    vehicle_value: str = "0"
    homes: int = 1
    medical_costs: str = "0"
    education_costs: str = "0"
    disability_costs: str = "0"
    has_able_supporter: bool = False


class TraceLineOut(Schema):
    variable: str
    label_zh: str
    label_en: str
    value: str
    value_en: str
    parameters: list[list[str]]


class TrialOut(Schema):
    assistance_class: str
    monthly_amount: Decimal
    per_capita_income: Decimal
    standard: Decimal
    members: int
    on: dt.date
    parameters_digest: str
    rules_version: str
    trace: list[TraceLineOut]


@router.post("/trial", response={200: TrialOut, **ERRORS})
def trial(request, payload: TrialIn):
    """The rules applied to typed-in facts, with the trace; nothing is saved (试算)."""
    if not may_read_rules(request.actor):
        raise permission_denied()
    data: dict[str, Any] = payload.dict()
    on = timezone.localdate()
    if data.get("on"):
        try:
            on = dt.date.fromisoformat(data["on"])
        except ValueError:
            raise validation_failed([field_error("on", "请填写计算日期", "Enter the date")]) from None
    household, problems = trial_facts(data, on)
    if problems or household is None:
        raise validation_failed(problems)
    result = rules_trial(actor=request.actor, household=household, on=on)
    return {
        "assistance_class": result.assistance_class,
        "monthly_amount": result.monthly_amount,
        "per_capita_income": result.per_capita_income,
        "standard": result.standard,
        "members": result.members,
        "on": result.on,
        "parameters_digest": result.parameters_digest,
        "rules_version": result.rules_version,
        "trace": [line.as_dict() for line in result.trace],
    }
