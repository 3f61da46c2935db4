"""The four-zero engine (四零社区): a community's counts for one month and the definitions in,
the four marks out. Pure Python, no ORM: the selectors gather the counts, this module decides.

A zero is *met* when its count is at most the definition's `max`, *missed* above it, and *no
records* when nothing could be counted (no community police officer served the community in the
month, so nobody could report cases): grey, never green. Readiness is met when the year's drills
up to the month's end reach `drills_min` and, where the registry knows shelter area for the
community, the area per resident reaches `shelter_m2_min`; without a known area it rests on the
drills alone (`readiness_drills_only`). The community is four-zero only when all four are met.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

import yaml

from linli.mediation.domain.safety import ZeroState

DEFINITIONS_FILE = Path(__file__).resolve().parent.parent / "data" / "four_zero.yaml"
ZEROS = ("petitions", "accidents", "cases", "readiness")
M2_PLACES = Decimal("0.001")


@dataclass(frozen=True)
class ZeroDefinition:
    key: str
    zh: str
    en: str
    counts: str  # what is counted, in words (the docs and the board's legend)
    max: int = 0


@dataclass(frozen=True)
class FourZeroDefinition:
    petitions: ZeroDefinition
    accidents: ZeroDefinition
    cases: ZeroDefinition
    readiness: ZeroDefinition
    safety_categories: tuple[str, ...]  # grid-event category code prefixes that count as accidents
    drills_min: int
    shelter_m2_min: Decimal

    def zeros(self) -> list[ZeroDefinition]:
        return [self.petitions, self.accidents, self.cases, self.readiness]


def definition_parse(data: dict) -> FourZeroDefinition:
    """The definitions from the yaml's mapping; a missing or malformed entry fails loudly (the
    file ships with the code, so a broken one is a deployment error, not a user's)."""

    def zero(key: str) -> ZeroDefinition:
        entry = data[key]
        return ZeroDefinition(key, str(entry["zh"]), str(entry["en"]), str(entry["counts"]), int(entry.get("max", 0)))

    readiness = data["readiness"]
    return FourZeroDefinition(
        petitions=zero("petitions"),
        accidents=zero("accidents"),
        cases=zero("cases"),
        readiness=zero("readiness"),
        safety_categories=tuple(str(code) for code in data["accidents"].get("safety_categories", [])),
        drills_min=int(readiness["drills_min"]),
        shelter_m2_min=Decimal(str(readiness["shelter_m2_min"])),
    )


@cache
def four_zero_definition() -> FourZeroDefinition:
    """The shipped definitions (`data/four_zero.yaml`), read once per process."""
    return definition_parse(yaml.safe_load(DEFINITIONS_FILE.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class MonthCounts:
    """What the records say about one community in one month. `cases` is None when no police
    officer served the community at any time in the month (nobody to report cases)."""

    petitions: int
    accidents: int
    cases: int | None
    drills: int  # this year, up to the month's end
    shelter_m2: Decimal | None = None  # open shelters' floor area in the community; None: unknown
    residents: int = 0


@dataclass(frozen=True)
class FourZeroMarks:
    petitions: str
    accidents: str
    cases: str
    readiness: str
    shelter_m2_per_resident: Decimal | None
    readiness_drills_only: bool  # no shelter area known: readiness rests on the drills alone

    @property
    def four_zero(self) -> bool:
        return all(state == ZeroState.MET for state in (self.petitions, self.accidents, self.cases, self.readiness))

    @property
    def missed(self) -> list[str]:
        """The zeros missed (not the ones without records), in the definition's order."""
        marks = (self.petitions, self.accidents, self.cases, self.readiness)
        return [key for key, state in zip(ZEROS, marks, strict=True) if state == ZeroState.MISSED]


def _at_most(count: int | None, limit: int) -> str:
    if count is None:
        return ZeroState.NO_DATA
    return ZeroState.MET if count <= limit else ZeroState.MISSED


def shelter_per_resident(shelter_m2: Decimal | None, residents: int) -> Decimal | None:
    """Square metres of shelter per resident; unknown without an area or without residents."""
    if shelter_m2 is None or shelter_m2 <= 0 or residents <= 0:
        return None
    return (Decimal(shelter_m2) / residents).quantize(M2_PLACES, rounding=ROUND_HALF_UP)


def four_zero_evaluate(counts: MonthCounts, definition: FourZeroDefinition) -> FourZeroMarks:
    """The four marks of one community and month."""
    per_resident = shelter_per_resident(counts.shelter_m2, counts.residents)
    drills_ok = counts.drills >= definition.drills_min
    shelter_ok = per_resident is None or per_resident >= definition.shelter_m2_min
    return FourZeroMarks(
        petitions=_at_most(counts.petitions, definition.petitions.max),
        accidents=_at_most(counts.accidents, definition.accidents.max),
        cases=_at_most(counts.cases, definition.cases.max),
        readiness=ZeroState.MET if drills_ok and shelter_ok else ZeroState.MISSED,
        shelter_m2_per_resident=per_resident,
        readiness_drills_only=per_resident is None,
    )


def is_safety_category(code: str, definition: FourZeroDefinition) -> bool:
    return any(code.startswith(prefix) for prefix in definition.safety_categories)


# ---- months ------------------------------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def month_parse(text: str) -> dt.date | None:
    """ "2026-11" → 2026-11-01; None for anything else."""
    try:
        return dt.datetime.strptime(text.strip(), "%Y-%m").date()
    except ValueError:
        return None


def months_back(month: dt.date, count: int) -> list[dt.date]:
    """`count` months ending with `month`, oldest first."""
    months = []
    year, number = month.year, month.month
    for _ in range(count):
        months.append(dt.date(year, number, 1))
        year, number = (year, number - 1) if number > 1 else (year - 1, 12)
    return months[::-1]
