"""One shape for every chart a page draws: the figures once, drawn by `portal/charts.js` from a
JSON data island and written out as a table with the same numbers (`portal/_chart.html`), so a
screen-reader user, a printout and the picture all say the same thing.

Pages build a `Chart` from a selector's result (names already translated, rates already as
fractions) and pass it to the include; nothing here reads the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# bars: vertical bars per category; hbars: horizontal bars (long names, rankings, phones);
# stack: horizontal bars stacked per category (counts that add up); line: a trend over months.
ChartKind = Literal["bars", "hbars", "stack", "line"]
PERCENT = "%"


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | int | None]
    unit: str = ""  # PERCENT: values are fractions 0–1, shown and drawn as 0–100 %
    color: str = ""  # a fixed colour where it carries meaning (green/amber/red); else the palette

    def shown(self) -> list[float | int | None]:
        if self.unit != PERCENT:
            return list(self.values)
        return [None if v is None else round(v * 100, 1) for v in self.values]


@dataclass(frozen=True)
class Target:
    """A line across the chart at a plan's target (or a warning threshold), for one series."""

    name: str
    value: float  # in the series' own unit: a fraction for a PERCENT series
    series: int = 0


@dataclass(frozen=True)
class Chart:
    id: str  # unique on the page; the data island is `<id>-data`
    kind: ChartKind
    title: str
    category_label: str  # heading of the table's first column
    categories: list[str]
    series: list[Series]
    targets: list[Target] = field(default_factory=list)
    note: str = ""  # one line under the chart, e.g. "first 30 of 190"

    @property
    def data_id(self) -> str:
        return f"{self.id}-data"

    def data(self) -> dict:
        """What `charts.js` draws: percentages already as 0–100 numbers, rounded as the table."""
        return {
            "kind": self.kind,
            "title": self.title,
            "categories": self.categories,
            "series": [{"name": s.name, "unit": s.unit, "color": s.color, "values": s.shown()} for s in self.series],
            "targets": [
                {"name": t.name, "series": t.series, "value": _scaled(t.value, self.series[t.series].unit)}
                for t in self.targets
            ],
        }

    def rows(self) -> list[tuple[str, list[str]]]:
        """The table: one row per category, one cell per series, the numbers the chart draws."""
        columns = [[_cell(v, s.unit) for v in s.shown()] for s in self.series]
        return [(name, [column[i] for column in columns]) for i, name in enumerate(self.categories)]

    def target_lines(self) -> list[str]:
        lines = []
        for target in self.targets:
            unit = self.series[target.series].unit
            lines.append(f"{target.name}: {_cell(_scaled(target.value, unit), unit)}")
        return lines


def _scaled(value: float, unit: str) -> float:
    return round(value * 100, 1) if unit == PERCENT else value


def _cell(value: float | int | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == PERCENT:
        return f"{value:.1f}%"  # as the pages' own tables: 80.0%, not 80%
    return f"{value:g}" if isinstance(value, float) else str(value)
