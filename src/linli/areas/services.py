"""Writes to the org tree: divisions import, departments, grids and buildings."""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import transaction

from linli.areas.domain import (
    DEPARTMENT_NAME_SUFFIX,
    PATH_LENGTH,
    DepartmentKind,
    LineError,
    OrgKind,
    building_code,
    grid_code,
    parse_divisions,
    urban_rural_for,
)
from linli.areas.models import Building, Department, Grid, OrgUnit
from linli.core.actor import Actor
from linli.core.errors import DomainError, Msg
from linli.core.memo import forget_all
from linli.core.services import audit_record

DEPTH = {level: depth for depth, level in enumerate(PATH_LENGTH)}


@dataclass
class DivisionImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class DivisionFileRejectedError(DomainError):
    def __init__(self, errors: list[LineError]):
        super().__init__(
            Msg(f"区划文件有 {len(errors)} 处错误，未导入任何数据", f"{len(errors)} errors; nothing was imported"),
            code="divisions_rejected",
        )
        self.line_errors = errors


@transaction.atomic
def divisions_import(*, actor: Actor, text: str, source: str = "") -> DivisionImportResult:
    """Upsert an NBS divisions CSV by 12-digit code, all or nothing."""
    existing = {unit.code: unit for unit in OrgUnit.objects.all()}
    rows, errors = parse_divisions(text, known_paths=(u.path for u in existing.values()))
    if errors:
        raise DivisionFileRejectedError(errors)
    result = DivisionImportResult()
    by_code = dict(existing)
    for row in rows:  # parents come first, so every parent id is known when its children arrive
        parent = by_code.get(row.parent_code) if row.level != "city" else None
        values = {
            "path": row.path,
            "name": row.name,
            "kind": row.kind,
            "unit_type": row.unit_type,
            "parent_id": parent.pk if parent else None,
            "depth": DEPTH[row.level],
            "urban_rural": urban_rural_for(row.unit_type) if row.level == "community" else "",
        }
        unit = existing.get(row.code)
        if unit is None:
            by_code[row.code] = OrgUnit.objects.create(code=row.code, urban_rural_derived=True, **values)
            result.created += 1
        elif any(getattr(unit, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(unit, field, value)
            unit.save(update_fields=list(values))
            result.updated += 1
        else:
            result.unchanged += 1
    audit_record(
        actor=actor,
        action="divisions.import",
        object_type="divisions",
        object_id=source[:80],
        details={"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
    )
    forget_all()
    return result


def building_create(*, actor: Actor, grid: Grid, number: int | str, name: str = "", address: str = "") -> Building:
    """A building or courtyard in a grid the actor sees; its code extends the grid code."""
    if not actor.sees_path(grid.path):
        raise DomainError(Msg("网格不存在或无权访问", "Grid not found"), code="not_found", status=404)
    code = building_code(grid.path, int(number))
    building = Building.objects.create(
        code=code, path=code, grid=grid, name=(name or f"{int(number)}号楼")[:60], address=address[:200]
    )
    audit_record(actor=actor, action="building.create", object_type="building", object_id=code, org_path=code)
    return building


@transaction.atomic
def departments_ensure(*, actor: Actor, kinds: list[str] | None = None) -> int:
    """Give the city and every district one department of each kind; returns how many were new."""
    kinds = kinds or list(DepartmentKind)
    units = OrgUnit.objects.filter(kind__in=[OrgKind.CITY, OrgKind.DISTRICT])
    have = set(Department.objects.values_list("org_unit_id", "kind"))
    new = [
        Department(
            code=f"{unit.path}-{kind}",
            name=unit.name + DEPARTMENT_NAME_SUFFIX[DepartmentKind(kind)],
            kind=kind,
            org_unit=unit,
            path=unit.path,
        )
        for unit in units
        for kind in kinds
        if (unit.pk, kind) not in have
    ]
    Department.objects.bulk_create(new)
    forget_all()  # memoised departments and units of this process
    if new:
        audit_record(actor=actor, action="departments.ensure", details={"created": len(new)})
    return len(new)


@transaction.atomic
def demo_layout_generate(*, actor: Actor, seed: int = 20261125) -> tuple[int, int]:
    """Create plausible grids and buildings under every community and village that has none.

    Urban communities get 3–6 grids of 3–6 buildings; villages 2–4 grids of courtyards.
    Deterministic for a given seed, so re-running the demo gives the same city.
    """
    rng = random.Random(seed)
    have_grids = set(Grid.objects.values_list("community_id", flat=True).distinct())
    communities = OrgUnit.objects.filter(kind__in=[OrgKind.COMMUNITY, OrgKind.VILLAGE]).order_by("path")
    grids: list[Grid] = []
    plan: list[tuple[Grid, int, bool]] = []
    for community in communities:
        if community.pk in have_grids:
            continue
        rural = community.kind == OrgKind.VILLAGE
        for number in range(1, rng.randint(2, 4) + 1 if rural else rng.randint(3, 6) + 1):
            code = grid_code(community.path, number)
            grid = Grid(code=code, path=code, name=f"第{number}网格", community=community)
            grids.append(grid)
            plan.append((grid, rng.randint(2, 5) if rural else rng.randint(3, 6), rural))
    Grid.objects.bulk_create(grids, batch_size=2000)
    buildings = []
    for grid, count, rural in plan:
        for number in range(1, count + 1):
            code = building_code(grid.path, number)
            buildings.append(
                Building(
                    code=code,
                    path=code,
                    name=f"{number}组院落" if rural else f"{number}号楼",
                    kind=Building.Kind.COURTYARD if rural else Building.Kind.BUILDING,
                    address=f"{grid.community.name}{grid.name}{number}号",
                    grid=grid,
                    floors=rng.randint(1, 2) if rural else rng.choice([6, 7, 11, 18, 26]),
                )
            )
    Building.objects.bulk_create(buildings, batch_size=2000)
    if grids:
        audit_record(actor=actor, action="demo.layout", details={"grids": len(grids), "buildings": len(buildings)})
    return len(grids), len(buildings)
