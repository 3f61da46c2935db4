"""Reads that combine several apps for the shell pages (portal sits above them all)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from linli.areas.models import OrgUnit
from linli.areas.selectors import CHILD_PATH_LENGTH, areas_counts_under, grid_list, org_unit_children, org_unit_top
from linli.core.actor import Actor
from linli.core.workbench import SearchQuery
from linli.residents.domain import id_number_normalise, id_number_problem
from linli.residents.selectors import household_counts_under, resident_counts_under


@dataclass
class OrgRow:
    code: str
    path: str
    name: str
    kind: str
    kind_label: str
    grids: int
    buildings: int
    households: int
    residents: int
    browsable: bool


def org_children_with_counts(*, actor: Actor, unit: OrgUnit | None) -> list[OrgRow]:
    """Children of `unit` (or the top of the scope) with grid, building, household and resident
    counts under each: four GROUP BY queries whatever the number of children."""
    if unit is None:
        units = list(org_unit_top(actor=actor))
        if not units:  # a grid worker's scope is a grid, below every org unit
            return _grid_rows(list(grid_list(actor=actor).filter(path__in=actor.scope_paths)))
        return [_row(u, _counts_for(u.path, len(u.path))) for u in units]
    if unit.kind in {"community", "village"}:
        return _grid_rows(list(grid_list(actor=actor, community=unit).order_by("path")), parent_path=unit.path)
    children = list(org_unit_children(actor=actor, code=unit.code))
    counts = _counts_for(unit.path, CHILD_PATH_LENGTH[unit.depth])
    return [_row(child, counts) for child in children]


def _grid_rows(grids, parent_path: str = "") -> list[OrgRow]:
    """Grids as rows of the tree browser, with buildings, households and residents under each."""
    if not grids:
        return []
    counts = _counts_for(parent_path or grids[0].path[:12], 15)
    return [
        OrgRow(
            code=grid.code,
            path=grid.path,
            name=grid.name,
            kind="grid",
            kind_label=str(_("Grid")),
            grids=0,
            buildings=counts["buildings"].get(grid.path, 0),
            households=counts["households"].get(grid.path, 0),
            residents=counts["residents"].get(grid.path, 0),
            browsable=False,
        )
        for grid in grids
    ]


def _counts_for(parent_path: str, child_length: int) -> dict[str, dict[str, int]]:
    return {
        **areas_counts_under(parent_path=parent_path, child_length=child_length),
        "households": household_counts_under(parent_path=parent_path, child_length=child_length),
        "residents": resident_counts_under(parent_path=parent_path, child_length=child_length),
    }


def _row(unit: OrgUnit, counts: dict[str, dict[str, int]]) -> OrgRow:
    return OrgRow(
        code=unit.code,
        path=unit.path,
        name=unit.name,
        kind=unit.kind,
        kind_label=str(unit.get_kind_display()),
        grids=counts["grids"].get(unit.path, 0),
        buildings=counts["buildings"].get(unit.path, 0),
        households=counts["households"].get(unit.path, 0),
        residents=counts["residents"].get(unit.path, 0),
        browsable=unit.kind not in {"community", "village"},
    )


def search_query_parse(text: str) -> SearchQuery:
    """Classify the header box's text once for every app: an 18-character ID number (checked:
    a wrong check digit or birth date is said, not answered with "0 found"), other digits (a
    case or event number, a phone), or words (a name, an address, a case number with letters)."""
    text = text.strip()[:50]
    normalised = id_number_normalise(text)
    if len(normalised) == 18 and normalised[:17].isdigit():
        problem = id_number_problem(normalised)
        if problem:
            return SearchQuery(text=text, kind="bad_id_number", id_number=normalised)
        return SearchQuery(text=text, kind="id_number", id_number=normalised)
    if text.replace("-", "").replace(" ", "").isdigit():
        return SearchQuery(text=text, kind="digits")
    return SearchQuery(text=text, kind="text")


def id_number_problem_text(query: SearchQuery) -> tuple[str, str] | None:
    """Why the ID number typed cannot be one, as (zh, en)."""
    return id_number_problem(query.id_number) if query.kind == "bad_id_number" else None
