"""Writes to the org tree: divisions import, departments, grids and buildings."""

from __future__ import annotations

import csv
import hashlib
import math
import random
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction

from linli.areas.domain import (
    DEPARTMENT_NAME_SUFFIX,
    PATH_LENGTH,
    DepartmentKind,
    FeatureError,
    LineError,
    OrgKind,
    building_code,
    grid_code,
    parse_boundaries,
    parse_divisions,
    urban_rural_for,
)
from linli.areas.models import Boundary, Building, Department, Grid, OrgUnit
from linli.core.actor import Actor
from linli.core.errors import DomainError, Msg
from linli.core.geo import convex_hull, grow
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


DEMO_DISTRICT_CENTRES = Path(__file__).resolve().parent / "data" / "demo_district_centres.csv"
DEMO_SPREAD_DEFAULT = 0.08  # degrees, for a district the table does not know
DEMO_RING_DEGREES = 0.45  # unknown districts sit on a ring this far from the known ones' mean
DEMO_CHILD_SPREAD = 0.3  # a community scatters within 0.3 × its district's spread around its street
DEMO_BUILDING_METRES = 250.0
METRES_PER_DEGREE = 111_320.0


def _demo_rng(seed: int, key: str) -> random.Random:
    """A generator per unit, seeded from its code (SHA-256, not the salted built-in `hash()`): a
    unit's position does not depend on which other units exist or on the process."""
    return random.Random(int.from_bytes(hashlib.sha256(f"{seed}:{key}".encode()).digest()[:8], "big"))


def _demo_scatter(rng: random.Random, lat: float, lng: float, radius_deg: float) -> tuple[float, float]:
    """A point uniformly inside a circle of `radius_deg` (of latitude) around (lat, lng)."""
    distance = radius_deg * math.sqrt(rng.random())
    angle = rng.uniform(0, 2 * math.pi)
    dlng = distance * math.cos(angle) / max(math.cos(math.radians(lat)), 0.01)
    return round(lat + distance * math.sin(angle), 6), round(lng + dlng, 6)


def demo_district_centres() -> dict[str, tuple[float, float, float]]:
    """The shipped table: district code → (lat, lng, spread in degrees); approximate public
    geography, for demo maps only."""
    with DEMO_DISTRICT_CENTRES.open(encoding="utf-8") as handle:
        return {
            row["code"]: (float(row["lat"]), float(row["lng"]), float(row["spread_deg"]))
            for row in csv.DictReader(handle)
        }


def _positions_write(model, rows: list[tuple[float | None, float | None, int]]) -> None:
    """One prepared UPDATE per row: `bulk_update` builds a CASE per field and batch, which cost
    ~20 times more for the city's 40,000 buildings (9 s against 0.5 s on SQLite)."""
    table, lat, lng, pk = (connection.ops.quote_name(n) for n in (model._meta.db_table, "lat", "lng", "id"))
    sql = f"UPDATE {table} SET {lat} = %s, {lng} = %s WHERE {pk} = %s"  # noqa: S608 (names from the model)
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


@transaction.atomic
def demo_positions_generate(*, actor: Actor, seed: int = 20261125) -> int:
    """Give every district, street, community/village and building without a position a
    plausible, stable WGS-84 position: districts at the shipped centres (an unknown district on a
    ring around the known ones' mean), streets within their district's spread, communities within
    0.3 × that spread around their street, buildings within ~250 m of their community. Positions
    already set are kept, and their children scatter around them. Returns how many were set."""
    table = demo_district_centres()
    units = list(
        OrgUnit.objects.filter(
            kind__in=[OrgKind.DISTRICT, OrgKind.STREET, OrgKind.COMMUNITY, OrgKind.VILLAGE]
        ).order_by("path")
    )
    known = [(lat, lng) for lat, lng, _ in table.values()]
    centre = (sum(p[0] for p in known) / len(known), sum(p[1] for p in known) / len(known)) if known else None
    spread: dict[str, float] = {}  # district path → spread in degrees
    placed: dict[str, tuple[float, float]] = {}  # unit path → position (kept or new)
    changed: list[OrgUnit] = []
    for unit in units:  # ordered by path: parents before children
        rng = _demo_rng(seed, unit.path)
        if unit.kind == OrgKind.DISTRICT:
            lat, lng, spread[unit.path] = table.get(unit.path, (None, None, DEMO_SPREAD_DEFAULT))
            if lat is None and centre is not None:
                angle = rng.uniform(0, 2 * math.pi)
                lat = round(centre[0] + DEMO_RING_DEGREES * math.sin(angle), 6)
                lng = round(centre[1] + DEMO_RING_DEGREES * math.cos(angle) / math.cos(math.radians(centre[0])), 6)
            position = (lat, lng) if lat is not None and lng is not None else None
        else:
            parent = placed.get(unit.path[: 6 if unit.kind == OrgKind.STREET else 9])
            radius = spread.get(unit.path[:6], DEMO_SPREAD_DEFAULT)
            if unit.kind != OrgKind.STREET:
                radius *= DEMO_CHILD_SPREAD
            position = _demo_scatter(rng, *parent, radius) if parent else None
        if unit.lat is not None and unit.lng is not None:
            placed[unit.path] = (unit.lat, unit.lng)
        elif position is not None:
            unit.lat, unit.lng = position
            placed[unit.path] = position
            changed.append(unit)
    _positions_write(OrgUnit, [(u.lat, u.lng, u.pk) for u in changed])
    buildings = []
    for building in Building.objects.filter(lat__isnull=True).only("pk", "path", "lat", "lng").order_by("path"):
        community = placed.get(building.path[:12])
        if community is None:
            continue
        rng = _demo_rng(seed, building.path)
        building.lat, building.lng = _demo_scatter(rng, *community, DEMO_BUILDING_METRES / METRES_PER_DEGREE)
        buildings.append(building)
    _positions_write(Building, [(b.lat, b.lng, b.pk) for b in buildings])
    if changed or buildings:
        audit_record(actor=actor, action="demo.positions", details={"units": len(changed), "buildings": len(buildings)})
        forget_all()  # memoised positions and bounds of this process
    return len(changed) + len(buildings)


# ---------------------------------------------------------------- boundaries


@dataclass
class BoundaryImportResult:
    created: int = 0
    updated: int = 0


class BoundaryFileRejectedError(DomainError):
    def __init__(self, errors: list[FeatureError]):
        super().__init__(
            Msg(f"边界文件有 {len(errors)} 处错误，未导入任何数据", f"{len(errors)} errors; nothing was imported"),
            code="boundaries_rejected",
        )
        self.feature_errors = errors


@transaction.atomic
def boundaries_import(*, actor: Actor, text: str, source: str = "") -> BoundaryImportResult:
    """Load org-unit outlines from a GeoJSON FeatureCollection keyed by division code, all or
    nothing: any bad feature or unknown code refuses the file with every error listed. An
    imported outline replaces whatever the unit had (including a demo one)."""
    rows, errors = parse_boundaries(text)
    known = list(OrgUnit.objects.filter(code__in=[r.code for r in rows]).values_list("code", "pk", "path"))
    units = {code: pk for code, pk, _ in known}
    paths = {code: path for code, _, path in known}
    errors += [
        FeatureError(
            r.feature,
            Msg(
                "没有这个区划代码的单位（请先导入区划）",
                "no org unit has this division code (import the divisions first)",
            ),
            r.code,
        )
        for r in rows
        if r.code not in units
    ]
    if errors:
        raise BoundaryFileRejectedError(sorted(errors, key=lambda e: e.feature))
    existing = set(Boundary.objects.filter(org_unit_id__in=units.values()).values_list("org_unit_id", flat=True))
    result = BoundaryImportResult()
    for row in rows:
        south, west, north, east = row.box
        values = {
            "path": paths[row.code],
            "geometry": row.geometry,
            "approximate": False,
            "source": source[:120],
            "south": south,
            "west": west,
            "north": north,
            "east": east,
        }
        Boundary.objects.update_or_create(org_unit_id=units[row.code], defaults=values)
        if units[row.code] in existing:
            result.updated += 1
        else:
            result.created += 1
    audit_record(
        actor=actor,
        action="boundaries.import",
        object_type="boundaries",
        object_id=source[:80],
        details={"created": result.created, "updated": result.updated},
    )
    return result


DEMO_BOUNDARY_MARGIN_M = 40  # the hull passes through the outermost buildings: grow it past them
DEMO_BOUNDARY_SOURCE = "demo"


@transaction.atomic
def demo_boundaries_generate(*, actor: Actor) -> int:
    """Approximate outlines for the demo: the convex hull of each community's (or village's)
    positioned buildings, grown by 40 m, marked `approximate` so every map labels them as
    illustrations, not legal boundaries. Units that already have an outline (imported or from an
    earlier run) are left alone, so running it again changes nothing. Returns how many were made."""
    done = set(Boundary.objects.values_list("org_unit_id", flat=True))
    units = {
        path: pk
        for pk, path in OrgUnit.objects.filter(kind__in=[OrgKind.COMMUNITY, OrgKind.VILLAGE]).values_list("pk", "path")
        if pk not in done
    }
    points: dict[str, list[tuple[float, float]]] = {}
    for path, lat, lng in Building.objects.filter(lat__isnull=False, lng__isnull=False).values_list(
        "path", "lat", "lng"
    ):
        if path[:12] in units and lat is not None and lng is not None:
            points.setdefault(path[:12], []).append((lat, lng))
    made = []
    for path, positions in sorted(points.items()):
        ring = convex_hull(positions)
        if len(ring) == 0:
            continue
        ring = grow(ring, DEMO_BOUNDARY_MARGIN_M).round(6)
        coordinates = [[[float(lng), float(lat)] for lat, lng in ring]]
        made.append(
            Boundary(
                org_unit_id=units[path],
                path=path,
                geometry={"type": "Polygon", "coordinates": coordinates},
                approximate=True,
                source=DEMO_BOUNDARY_SOURCE,
                south=float(ring[:, 0].min()),
                west=float(ring[:, 1].min()),
                north=float(ring[:, 0].max()),
                east=float(ring[:, 1].max()),
            )
        )
    Boundary.objects.bulk_create(made, batch_size=500)
    if made:
        audit_record(actor=actor, action="demo.boundaries", details={"boundaries": len(made)})
    return len(made)
