"""Spreadsheets a planner or street officer takes away: the registry (its columns are also the
import template), the compliance tables, and an analysis run's figures. No personal data: units,
facilities and counts only."""

from __future__ import annotations

from django.utils.translation import gettext as _

from linli.core.actor import Actor
from linli.core.sheets import Sheet, workbook
from linli.facilities.domain import REGISTRY_COLUMNS, Rating
from linli.facilities.selectors import (
    compliance_rows,
    facility_list,
    kind_list,
    run_figures,
    shelter_rows,
    short_hours_rows,
    unit_label,
)


def _headers() -> list[str]:
    return [zh for _key, zh, _en in REGISTRY_COLUMNS]


def registry_xlsx(*, actor: Actor, kind: str = "", under: str = "") -> bytes:
    rows = (
        [
            str(f.public_id),
            f.kind.name,
            f.name,
            f.path,
            f.lat,
            f.lng,
            "wgs84",
            float(f.floor_area_m2),
            f.opening_hours,
            f.operator,
            f.capacity,
            f.address,
            f.get_status_display(),
            f.note,
        ]
        for f in facility_list(actor=actor, kind=kind, under=under).iterator(chunk_size=2000)
    )
    return workbook([Sheet(_("Facilities"), _headers(), rows, {1: 18, 2: 24, 3: 14, 8: 24, 11: 30})])


def template_xlsx() -> bytes:
    kinds = [[k.code, k.name, k.name_en, str(k.get_circle_display()) if k.circle else ""] for k in kind_list()]
    first = kinds[0][1] if kinds else ""
    example = [
        [
            "",
            first,
            "示例社区综合服务设施",
            "210102001001",
            41.75,
            123.40,
            "wgs84",
            650,
            "08:30-11:30,13:30-17:30",
            "社区居委会",
            50,
            "示例路1号",
            "在用",
            "",
        ]
    ]
    return workbook(
        [
            Sheet(_("Facilities"), _headers(), example, {1: 18, 2: 24, 8: 24}),
            Sheet(
                _("Facility kinds"),
                [_("Code"), _("Name"), _("English name"), _("Life circle")],
                kinds,
                {0: 24, 1: 24, 2: 30},
            ),
        ]
    )


RATING_LABEL = dict(Rating.choices)


def _rating(value: str) -> str:
    return str(RATING_LABEL.get(value, value))


def _area_sheet(rows) -> Sheet:
    return Sheet(
        _("Service facility area"),
        [
            _("Street"),
            _("Community or village"),
            _("Code"),
            _("Urban or rural"),
            _("Households"),
            _("Floor area (m²)"),
            _("Minimum (m²)"),
            _("Per households (m²)"),
            _("Required (m²)"),
            _("Shortfall (m²)"),
            _("Rating"),
        ],
        (
            [
                r["street"],
                r["name"],
                r["path"],
                r["urban_rural"],
                r["households"],
                float(r["area_m2"]),
                r["minimum_m2"],
                float(r["per_households_m2"]),
                float(r["required_m2"]),
                float(r["shortfall_m2"]),
                _rating(r["rating"]),
            ]
            for r in rows
        ),
        {0: 18, 1: 20, 2: 14},
    )


def _shelter_sheet(rows) -> Sheet:
    return Sheet(
        _("Shelters"),
        [
            _("Unit"),
            _("Code"),
            _("Level"),
            _("Residents"),
            _("Shelter area (m²)"),
            _("Per resident (m²)"),
            _("Required (m²)"),
            _("Shortfall (m²)"),
            _("Rating"),
        ],
        (
            [
                r["name"],
                r["path"],
                r["level"],
                r["residents"],
                float(r["area_m2"]),
                float(r["per_resident_m2"]) if r["per_resident_m2"] is not None else None,
                float(r["required_m2"]),
                float(r["shortfall_m2"]),
                _rating(r["rating"]),
            ]
            for r in rows
        ),
        {0: 20, 1: 14},
    )


def compliance_xlsx(*, scope_path: str) -> bytes:
    areas = [r.as_json() for r in compliance_rows(scope_path=scope_path)]
    shelters = [r.as_json() for r in shelter_rows(scope_path=scope_path)]
    short = [
        [f.name, f.kind.name, unit_label(f.path), f.path, f.opening_hours, f.hours_per_day, f.kind.min_open_hours]
        for f in short_hours_rows(scope_path=scope_path)
    ]
    return workbook(
        [
            _area_sheet(areas),
            _shelter_sheet(shelters),
            Sheet(
                _("Short opening hours"),
                [
                    _("Facility"),
                    _("Kind"),
                    _("Unit"),
                    _("Code"),
                    _("Opening hours"),
                    _("Hours a day"),
                    _("Minimum hours"),
                ],
                short,
                {0: 24, 2: 18, 4: 24},
            ),
        ]
    )


def run_xlsx(*, actor: Actor, run) -> bytes:
    figures = run_figures(actor=actor, run=run)
    kinds = {k.code: k.name for k in kind_list(include_inactive=True)}
    coverage = figures.get("coverage", {})
    distances = sorted({int(d) for kind in coverage.values() for d in kind["covered"]})
    summary = (
        [
            kinds.get(code, code),
            kind["circle_m"],
            kind["residents"],
            kind["covered_at_circle"],
            kind["rate"],
        ]
        + [kind["covered"].get(str(d)) for d in distances]
        for code, kind in coverage.items()
    )
    per_unit = (
        [kinds.get(code, code), unit_label(unit), unit, covered, total, round(covered / total, 4) if total else None]
        for code, kind in coverage.items()
        for unit, (covered, total) in sorted(kind["by_unit"].items())
    )
    siting = figures.get("siting") or {}
    sites = ([i, s["lat"], s["lng"], s["reach"]] for i, s in enumerate(siting.get("sites", []), start=1))
    return workbook(
        [
            Sheet(
                _("Coverage"),
                [_("Kind"), _("Walking distance (m)"), _("Residents"), _("Covered"), _("Coverage rate")]
                + [_("Within %(metres)s m") % {"metres": d} for d in distances],
                summary,
                {0: 22},
            ),
            Sheet(
                _("Coverage by community"),
                [_("Kind"), _("Community or village"), _("Code"), _("Covered"), _("Residents"), _("Coverage rate")],
                per_unit,
                {0: 22, 1: 20, 2: 14},
            ),
            Sheet(
                _("Suggested sites"),
                [_("Site"), _("Latitude"), _("Longitude"), _("Uncovered residents in reach")],
                sites,
            ),
            _area_sheet(figures.get("compliance", [])),
            _shelter_sheet(figures.get("shelters", [])),
        ]
    )
