"""The dated parameters: the YAML shipped in `parameters/` (one file per namespace, OpenFisca's own
format: `metadata` and dated `values`) merged with the city's dated edits (`Change`).

A change dated D for a parameter sets its value from D until the next dated value, shipped or
changed; a later change for the same name and date wins (the rows are append-only, so a mistake is
corrected by a new row). No Django here."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

PARAMETERS_DIR = Path(__file__).parent / "parameters"

# the parameters the determination reads: one missing for the date refuses the determination
RULE_NAMESPACES = ("dibao", "tekun", "edge", "income", "rigid", "property", "addon", "employment")

UNITS: dict[str, tuple[str, str]] = {
    "yuan": ("元", "yuan"),
    "yuan_person_month": ("元/人·月", "yuan per person and month"),
    "yuan_household_month": ("元/户·月", "yuan per household and month"),
    "factor": ("倍", "times"),
    "share": ("比例", "share"),
    "months": ("个月", "months"),
    "years": ("周岁", "years"),
    "days": ("天", "days"),
    "working_days": ("个工作日", "working days"),
    "count": ("", ""),
    "level": ("级", ""),
    "flag": ("", ""),
}
MONEY_UNITS = frozenset({"yuan", "yuan_person_month", "yuan_household_month"})
INTEGER_UNITS = frozenset({"months", "years", "days", "working_days", "count", "level", "flag"})


class ParameterMissing(Exception):  # noqa: N818 (the name other stages import)
    """A parameter is unknown, or has no value for the date."""

    def __init__(self, name: str, on: date | None = None) -> None:
        self.name = name
        self.on = on
        super().__init__(f"parameter {name!r} has no value on {on}" if on else f"unknown parameter {name!r}")


@dataclass(frozen=True)
class Change:
    """An admin's dated edit, as the engine reads it."""

    name: str
    value: Decimal
    valid_from: date


@dataclass(frozen=True)
class Definition:
    """One parameter as shipped: its labels, unit, bounds and dated values."""

    name: str
    label_zh: str
    label_en: str
    unit: str
    example: bool
    reference: str
    minimum: Decimal
    maximum: Decimal
    values: tuple[tuple[date, Decimal], ...]  # ascending
    reference_zh: str = ""

    @property
    def unit_zh(self) -> str:
        return UNITS.get(self.unit, ("", ""))[0]

    @property
    def unit_en(self) -> str:
        return UNITS.get(self.unit, ("", ""))[1]


@dataclass(frozen=True)
class ParameterRow:
    """One line of the parameter table as of a date."""

    name: str
    label_zh: str
    label_en: str
    unit: str
    value: Decimal | None  # None: no value yet on that date
    valid_from: date | None
    example: bool  # the value in force is a shipped example value
    set_by_city: bool  # the value in force comes from a city's change
    reference: str
    minimum: Decimal
    maximum: Decimal


def _decimal(value: Any) -> Decimal:
    return Decimal(str(value))


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _walk(node: dict, prefix: str, out: dict[str, Definition]) -> None:
    for key, child in node.items():
        if key in ("description", "metadata", "documentation", "reference") or not isinstance(child, dict):
            continue
        name = f"{prefix}.{key}" if prefix else key
        if "values" in child:
            meta = child.get("metadata", {})
            values = tuple(sorted((_day(day), _decimal(entry["value"])) for day, entry in child["values"].items()))
            out[name] = Definition(
                name=name,
                label_zh=meta.get("label_zh", name),
                label_en=meta.get("label_en", name),
                unit=meta.get("unit", ""),
                example=bool(meta.get("example", False)),
                reference=str(meta.get("reference", "")),
                reference_zh=str(meta.get("reference_zh", "")),
                minimum=_decimal(meta.get("min", 0)),
                maximum=_decimal(meta.get("max", 10**12)),
                values=values,
            )
        else:
            _walk(child, name, out)


@lru_cache(maxsize=1)
def definitions() -> dict[str, Definition]:
    """Every shipped parameter by dotted name, in file and document order."""
    out: dict[str, Definition] = {}
    for path in sorted(PARAMETERS_DIR.glob("*.yaml")):
        with path.open(encoding="utf-8") as handle:
            _walk({path.stem: yaml.safe_load(handle)}, "", out)
    return out


def definition(name: str) -> Definition:
    try:
        return definitions()[name]
    except KeyError:
        raise ParameterMissing(name) from None


def changes_digest(changes: Sequence[Change]) -> str:
    text = json.dumps([[c.name, str(c.value), c.valid_from.isoformat()] for c in changes])
    return hashlib.sha256(text.encode()).hexdigest()


def merged_values(name: str, changes: Sequence[Change]) -> list[tuple[date, Decimal, bool]]:
    """The parameter's dated values with the city's changes: (valid_from, value, set_by_city), ascending."""
    values: dict[date, tuple[Decimal, bool]] = {day: (value, False) for day, value in definition(name).values}
    for change in changes:
        if change.name == name:
            values[change.valid_from] = (Decimal(change.value), True)
    return [(day, value, city) for day, (value, city) in sorted(values.items())]


def value_on(name: str, on: date, changes: Sequence[Change] = ()) -> tuple[date, Decimal, bool]:
    """(valid_from, value, set_by_city) in force on the date; ParameterMissing if none."""
    found = None
    for entry in merged_values(name, changes):
        if entry[0] <= on:
            found = entry
    if found is None:
        raise ParameterMissing(name, on)
    return found


def _tree(changes: Sequence[Change]) -> dict:
    """The parameters in OpenFisca's data shape, with the changes merged."""
    root: dict = {}
    for name in definitions():
        node = root
        *parents, leaf = name.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = {
            "values": {day.isoformat(): {"value": float(value)} for day, value, _city in merged_values(name, changes)}
        }
    return root


def openfisca_parameters(changes: Sequence[Change]):
    from openfisca_core.parameters import ParameterNode

    return ParameterNode("", data=_tree(changes))


def effective_values(on: date, changes: Sequence[Change], namespaces: Sequence[str] = ()) -> dict[str, Decimal]:
    """Every parameter's value on the date (those of `namespaces` must exist, else ParameterMissing)."""
    out: dict[str, Decimal] = {}
    for name in definitions():
        try:
            out[name] = value_on(name, on, changes)[1]
        except ParameterMissing:
            if name.split(".")[0] in namespaces:
                raise
    return out


def rows(on: date, changes: Sequence[Change]) -> list[ParameterRow]:
    out = []
    for name, item in definitions().items():
        try:
            valid_from, value, city = value_on(name, on, changes)
        except ParameterMissing:
            valid_from, value, city = None, None, False
        out.append(
            ParameterRow(
                name=name,
                label_zh=item.label_zh,
                label_en=item.label_en,
                unit=item.unit,
                value=value,
                valid_from=valid_from,
                example=item.example and not city and value is not None,
                set_by_city=city,
                reference=item.reference,
                minimum=item.minimum,
                maximum=item.maximum,
            )
        )
    return out
