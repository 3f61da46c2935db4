"""Writes of the rules: a city's dated change to a parameter. Append-only: a mistake is corrected
by a new row, so every past determination can be recomputed with the values it used."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from linli.core.actor import Actor
from linli.core.errors import FieldError, Msg, permission_denied, validation_failed
from linli.core.services import audit_record
from linli.welfare.domain.rules import change_problems
from linli.welfare.models import ParameterChange
from linli.welfare.rules.engine import format_parameter
from linli.welfare.selectors.rules import may_edit_rules


def parameter_change_record(
    *,
    actor: Actor,
    name: str,
    value: Decimal | str,
    valid_from: date | str,
    reason: str,
    document: str = "",
    confirm_past: bool = False,
) -> ParameterChange:
    """Record a city's value for a parameter from a date. Needs WELFARE_RULES and a posting that
    covers the city. A date in the past asks for `confirm_past`: it does not recompute the
    determinations already made; it applies to those made from now on for dates after it."""
    if actor.user_id is None or not may_edit_rules(actor):
        raise permission_denied()
    problems, amount, day = change_problems(
        name=name, value=value, valid_from=valid_from, reason=reason, document=document
    )
    if day is not None and day < timezone.localdate() and not confirm_past:
        problems.append(
            FieldError(
                "confirm_past",
                Msg(
                    "生效日期早于今天：已作出的认定不会重算，请确认后再保存",
                    "The date is in the past: determinations already made are not recomputed; confirm to save",
                ),
            )
        )
    if problems:
        raise validation_failed(problems)
    assert amount is not None and day is not None
    name = name.strip()
    with transaction.atomic():
        row = ParameterChange.objects.create(
            name=name,
            value=amount,
            valid_from=day,
            reason=reason.strip(),
            document=(document or "").strip(),
            recorded_by_id=actor.user_id,
            recorded_by_name=actor.shown_name,
        )
        audit_record(
            actor=actor,
            action="welfare.rules.change_recorded",
            object_type="welfare.parameterchange",
            object_id=row.pk,
            reason=row.reason,
            details={
                "parameter": name,
                "value": format_parameter(name, amount),
                "valid_from": day.isoformat(),
                "document": row.document,
                "past_date": day < timezone.localdate(),
            },
        )
    return row
