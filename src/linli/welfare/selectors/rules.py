"""Reads of the rules: the city's dated changes as engine input (cached per process, keyed on the
table's count and highest id so that several processes agree as soon as a row appears), and the
helpers the other stages call to determine a household or read a parameter with those changes.

    rules_determine(household, on)              → engine.Result (with its trace)
    rules_determine_many(households, on, trace=False) → list[engine.Result]
    rules_parameter(name, on)                   → Decimal (ParameterMissing if none on the date)

Reading the rules is not personal data: who may open the rules page is checked here (WELFARE_RULES,
WELFARE_INTAKE, WELFARE_REVIEW, WELFARE_DECIDE); who may edit is checked by the service."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Max

from linli.accounts.domain import WELFARE_DECIDE, WELFARE_INTAKE, WELFARE_REVIEW, WELFARE_RULES
from linli.areas.selectors import holds_citywide
from linli.core.actor import Actor
from linli.core.errors import field_error, permission_denied, validation_failed
from linli.core.memo import _MEMOS  # cleared by forget_all() like every per-process memo
from linli.welfare.models import ParameterChange
from linli.welfare.rules import engine
from linli.welfare.rules.engine import Change, ParameterMissing, ParameterRow, Result
from linli.welfare.rules.facts import Household
from linli.welfare.rules.parameters import definition, definitions, merged_values

RULES_READERS = (WELFARE_RULES, WELFARE_INTAKE, WELFARE_REVIEW, WELFARE_DECIDE)

_lock = threading.Lock()
# one entry, "changes": ((count, max id), changes); cleared with the process's memos (tests, imports)
_cache: dict[str, tuple[tuple[int, int], tuple[Change, ...]]] = {}
_MEMOS.append(_cache)


def rule_changes() -> tuple[Change, ...]:
    """Every city change as engine input, oldest row first (a later row for the same name and date
    wins). One small query to check freshness; the rows are read again only when one was added."""
    stamp = ParameterChange.objects.aggregate(n=Count("id"), m=Max("id"))
    key = (stamp["n"] or 0, stamp["m"] or 0)
    with _lock:
        cached = _cache.get("changes")
        if cached is not None and cached[0] == key:
            return cached[1]
    rows = ParameterChange.objects.order_by("id").values_list("name", "value", "valid_from")
    changes = tuple(Change(name=name, value=Decimal(value), valid_from=valid_from) for name, value, valid_from in rows)
    with _lock:
        _cache["changes"] = (key, changes)
    return changes


def rules_determine(household: Household, on: date) -> Result:
    """The rules applied to one household on a date, with the city's changes and the trace."""
    return engine.determine(household, on, rule_changes())


def rules_determine_many(households: Sequence[Household], on: date, *, trace: bool = False) -> list[Result]:
    return engine.determine_many(households, on, rule_changes(), trace=trace)


def rules_parameter(name: str, on: date) -> Decimal:
    """A dated parameter with the city's changes; ParameterMissing when it has no value then."""
    return engine.parameter_value(name, on, rule_changes())


# ------------------------------------------------------------------ the rules page


def may_read_rules(actor: Actor) -> bool:
    return any(actor.has_perm(permission) for permission in RULES_READERS)


def may_edit_rules(actor: Actor) -> bool:
    """WELFARE_RULES and a posting that covers the whole city."""
    return holds_citywide(actor, WELFARE_RULES)


@dataclass(frozen=True)
class ShownChange:
    """A city's change as the page shows it (who, when, why)."""

    public_id: int
    name: str
    value: Decimal
    valid_from: date
    reason: str
    document: str
    recorded_by_name: str
    recorded_at: object


@dataclass(frozen=True)
class TableRow:
    row: ParameterRow
    shown_value: str
    change: ShownChange | None  # the city's change in force, if any


@dataclass(frozen=True)
class HistoryEntry:
    valid_from: date
    value: Decimal
    shown_value: str
    in_force: bool
    change: ShownChange | None  # None: a value shipped with the platform


def _shown(row: ParameterChange) -> ShownChange:
    return ShownChange(
        public_id=row.pk,
        name=row.name,
        value=row.value,
        valid_from=row.valid_from,
        reason=row.reason,
        document=row.document,
        recorded_by_name=row.recorded_by_name,
        recorded_at=row.recorded_at,
    )


def _latest_rows(names: Sequence[str] | None = None) -> dict[tuple[str, date], ShownChange]:
    query = ParameterChange.objects.order_by("id")
    if names is not None:
        query = query.filter(name__in=names)
    return {(row.name, row.valid_from): _shown(row) for row in query}


def parameter_table(*, actor: Actor, on: date) -> list[TableRow]:
    """Every parameter as of the date, with the city's change in force where there is one."""
    if not may_read_rules(actor):
        raise permission_denied()
    changes = rule_changes()
    rows_by_key = _latest_rows()
    out = []
    for row in engine.parameter_table(on, changes):
        change = rows_by_key.get((row.name, row.valid_from)) if row.set_by_city and row.valid_from else None
        out.append(TableRow(row=row, shown_value=engine.format_parameter(row.name, row.value), change=change))
    return out


def parameter_history(*, actor: Actor, name: str, on: date) -> list[HistoryEntry]:
    """A parameter's dated values, shipped and set by the city, newest first; ParameterMissing if unknown."""
    if not may_read_rules(actor):
        raise permission_denied()
    definition(name)
    changes = rule_changes()
    rows_by_key = _latest_rows([name])
    values = merged_values(name, changes)
    in_force = max((day for day, _value, _city in values if day <= on), default=None)
    return [
        HistoryEntry(
            valid_from=day,
            value=value,
            shown_value=engine.format_parameter(name, value),
            in_force=day == in_force,
            change=rows_by_key.get((name, day)) if city else None,
        )
        for day, value, city in reversed(values)
    ]


def parameter_names() -> list[str]:
    return list(definitions())


def recent_changes(*, actor: Actor, limit: int = 20) -> list[ShownChange]:
    if not may_read_rules(actor):
        raise permission_denied()
    return [_shown(row) for row in ParameterChange.objects.order_by("-id")[:limit]]


def rules_trial(*, actor: Actor, household: Household, on: date) -> Result:
    """The trial calculator (试算): the rules on typed-in facts, with the trace; nothing is saved."""
    if not may_read_rules(actor):
        raise permission_denied()
    try:
        return rules_determine(household, on)
    except ParameterMissing as missing:
        item = definitions().get(missing.name)
        zh, en = (item.label_zh, item.label_en) if item else (missing.name, missing.name)
        raise validation_failed(
            [field_error("on", f"该日期没有适用的参数：{zh}", f"No value of “{en}” applies on this date")]
        ) from None


def welfare_rules_today(*, actor: Actor) -> dict[str, int] | None:
    """For the workbench of the city's civil-affairs officer (None for anyone else): how many
    parameters still hold a shipped example value today, and how many city changes apply later."""
    if not may_edit_rules(actor):
        return None
    from django.utils import timezone

    today = timezone.localdate()
    rows = engine.parameter_table(today, rule_changes())
    return {
        "example_values": sum(1 for row in rows if row.example),
        "changes_upcoming": ParameterChange.objects.filter(valid_from__gt=today).count(),
    }
