"""Reads of the org tree, always through the actor's data scope (outside it: not found)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db.models import Max, Min, Q, QuerySet

from linli.accounts.selectors import home_path
from linli.areas.domain import PATH_LENGTH
from linli.areas.models import Boundary, Building, Department, Grid, OrgUnit
from linli.core.actor import Actor
from linli.core.errors import not_found
from linli.core.geo import Box, metres_per_pixel, simplify
from linli.core.memo import memo
from linli.core.paths import subtree_counts, under_path

CHILD_PATH_LENGTH = {0: 6, 1: 9, 2: 12, 3: 15}  # by parent depth: district, street, community, grid
DEPTH_BY_PATH_LENGTH = {4: 0, 6: 1, 9: 2, 12: 3}


def child_path_length(parent_path: str) -> int:
    """How long the paths of a unit's children are (a city's districts: 6, a street's communities: 12)."""
    return CHILD_PATH_LENGTH[DEPTH_BY_PATH_LENGTH.get(len(parent_path), 3)]


def org_unit_list(*, actor: Actor) -> QuerySet[OrgUnit]:
    return actor.scoped(OrgUnit.objects.all())


def org_unit_get(*, actor: Actor, code: str) -> OrgUnit:
    unit = org_unit_list(actor=actor).filter(code=code).first()
    if unit is None:
        raise not_found("单位", "Org unit")
    return unit


def city_unit() -> OrgUnit | None:
    """The city this deployment serves (the root of the loaded division tree)."""
    return OrgUnit.objects.filter(kind="city").order_by("path").first()


def holds_citywide(actor: Actor, permission: str) -> bool:
    """The actor holds `permission` through a posting that covers the whole city (what the city
    alone may set: social assistance's amounts, the elderly-care service list)."""
    if not actor.has_perm(permission):
        return False
    city = city_unit()
    return city is not None and actor.sees_path(city.path)


def org_unit_top(*, actor: Actor) -> QuerySet[OrgUnit]:
    """The units at the top of the actor's scope (the roots of their postings)."""
    return OrgUnit.objects.filter(path__in=actor.scope_paths) if actor.scope_paths else OrgUnit.objects.none()


def org_unit_children(*, actor: Actor, code: str) -> QuerySet[OrgUnit]:
    parent = org_unit_get(actor=actor, code=code)
    return OrgUnit.objects.filter(parent=parent).order_by("path")


def org_unit_search(*, actor: Actor, q: str) -> QuerySet[OrgUnit]:
    q = q.strip()
    if not q:
        return OrgUnit.objects.none()
    return org_unit_list(actor=actor).filter(name__contains=q).order_by("depth", "path")


def org_unit_ancestors(unit: OrgUnit) -> list[OrgUnit]:
    """The chain from the city down to `unit` (for breadcrumbs); names only, one query."""
    paths = [unit.path[:n] for n in PATH_LENGTH.values() if n < len(unit.path)]
    return list(OrgUnit.objects.filter(path__in=paths).order_by("depth"))


def org_unit_is_under(unit_path: str, ancestor_path: str) -> bool:
    return unit_path.startswith(ancestor_path)


def areas_counts_under(*, parent_path: str, child_length: int) -> dict[str, dict[str, int]]:
    """For each child path of `parent_path`: how many grids and buildings lie under it."""
    return {
        "grids": subtree_counts(model=Grid, parent_path=parent_path, child_length=child_length),
        "buildings": subtree_counts(model=Building, parent_path=parent_path, child_length=child_length),
    }


def grid_list(*, actor: Actor, community: OrgUnit | None = None) -> QuerySet[Grid]:
    grids = actor.scoped(Grid.objects.select_related("community"))
    return grids.filter(community=community) if community else grids


def grid_get(*, actor: Actor, code: str) -> Grid:
    grid = grid_list(actor=actor).filter(code=code).first()
    if grid is None:
        raise not_found("网格", "Grid")
    return grid


def building_list(*, actor: Actor, grid: Grid | None = None) -> QuerySet[Building]:
    buildings = actor.scoped(Building.objects.all())
    return buildings.filter(grid=grid) if grid else buildings


def department_list(*, actor: Actor) -> QuerySet[Department]:
    """Departments inside the actor's scope and those serving it from above (the district's and
    the city's), since every community answers to them."""
    if not actor.scope_paths:
        return Department.objects.none()
    serving = {scope[:n] for scope in actor.scope_paths for n in PATH_LENGTH.values() if n <= len(scope)}
    return Department.objects.filter(actor.scope_q("path") | Q(path__in=serving)).select_related("org_unit")


def place_get(*, actor: Actor, code: str) -> OrgUnit | Grid | Department:
    """An org unit, grid or department by its code, inside the actor's scope."""
    for model in (OrgUnit, Grid, Department):
        place = actor.scoped(model.objects.all()).filter(code=code).first()
        if place is not None:
            return place
    raise not_found("单位、网格或部门", "Org unit, grid or department")


def unit_names(paths) -> dict[str, str]:
    """Names of org units (and departments are not units: see `department_for`) by path."""
    return dict(OrgUnit.objects.filter(path__in=set(paths)).values_list("path", "name"))


@memo(60)
def org_unit_by_path(path: str) -> OrgUnit | None:
    """Memoised for a minute per process: the tree changes by import only, and every intake
    reads it (routing, the window check)."""
    return OrgUnit.objects.filter(path=path, is_active=True).first()


def department_for(*, unit_path: str, kind: str) -> Department | None:
    """The department of `kind` attached to the unit at `unit_path` (a district or the city)."""
    return _department_for(unit_path, kind)


@memo(60)
def _department_for(unit_path: str, kind: str) -> Department | None:
    return Department.objects.filter(path=unit_path, kind=kind).first()


def department_by_id(department_id: int | None) -> Department | None:
    return Department.objects.filter(pk=department_id).first() if department_id else None


def community_paths(*, actor: Actor) -> list[tuple[str, str]]:
    """(path, name) of the communities and villages in the actor's scope, for choosing a window."""
    units = actor.scoped(OrgUnit.objects.filter(kind__in=["community", "village"], is_active=True))
    return list(units.values_list("path", "name")[:200])


# ---------------------------------------------------------------- positions


@dataclass(frozen=True)
class Positions:
    """Keys (a unit's path, a building's grid path) with WGS-84 positions, for nearest lookups."""

    keys: tuple[str, ...]
    lat: np.ndarray
    lng: np.ndarray

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, float | None, float | None]]) -> Positions:
        """Rows without a position (the queries ask for positioned ones) are left out."""
        placed = [(key, lat, lng) for key, lat, lng in rows if lat is not None and lng is not None]
        return cls(
            tuple(r[0] for r in placed),
            np.array([r[1] for r in placed], float),
            np.array([r[2] for r in placed], float),
        )

    def nearest(self, lat: float, lng: float, within_m: float = math.inf) -> str | None:
        """The key of the nearest position within `within_m` metres (equirectangular: fine
        within a city); None when there is none."""
        if not self.keys:
            return None
        dx = (self.lng - lng) * math.cos(math.radians(lat))
        squared = dx * dx + (self.lat - lat) ** 2
        index = int(np.argmin(squared))
        return self.keys[index] if math.sqrt(float(squared[index])) * 111_320 <= within_m else None


@memo(300)
def community_positions() -> Positions:
    communities = OrgUnit.objects.filter(kind__in=["community", "village"], is_active=True, lat__isnull=False)
    return Positions.from_rows(communities.order_by("path").values_list("path", "lat", "lng"))


def community_nearest(*, lat: float, lng: float) -> OrgUnit | None:
    path = community_positions().nearest(lat, lng)
    return org_unit_by_path(path) if path else None


BOUNDS_MARGIN_DEGREES = 0.05  # ≈ 5 km beyond the outermost recorded unit


@memo(300)
def city_bounds() -> tuple[float, float, float, float] | None:
    """(south, west, north, east) of the city: LINLI_CITY_BOUNDS when set, else the box around
    every org unit with a position plus a margin; None when no unit has a position."""
    configured = getattr(settings, "LINLI_CITY_BOUNDS", "")
    if configured:
        south, west, north, east = (float(x) for x in configured.split(","))
        return south, west, north, east
    box = OrgUnit.objects.filter(lat__isnull=False).aggregate(s=Min("lat"), n=Max("lat"), w=Min("lng"), e=Max("lng"))
    if box["s"] is None:
        return None
    m = BOUNDS_MARGIN_DEGREES
    return box["s"] - m, box["w"] - m, box["n"] + m, box["e"] + m


def inside_city(lat: float, lng: float) -> bool:
    bounds = city_bounds()
    if bounds is None:
        return True
    south, west, north, east = bounds
    return south <= lat <= north and west <= lng <= east


def building_get_by_public_id(public_id) -> Building | None:
    return Building.objects.select_related("grid").filter(public_id=public_id).first()


@memo(60)
def grid_by_path(path: str) -> Grid | None:
    return Grid.objects.filter(path=path).first()


def department_names(ids) -> dict[int, str]:
    return dict(Department.objects.filter(pk__in=set(ids)).values_list("pk", "name"))


@memo(300)
def building_positions() -> Positions:
    """Each positioned building, keyed by its grid's path."""
    buildings = Building.objects.filter(lat__isnull=False).order_by("path")
    return Positions.from_rows(buildings.values_list("grid__path", "lat", "lng"))


NEAR_BUILDING_M = 300


def grid_at(*, lat: float, lng: float) -> Grid | None:
    """The grid of the nearest building within 300 m of a point: a report from the map lands
    with the grid worker who walks that street, and in that grid's community."""
    path = building_positions().nearest(lat, lng, NEAR_BUILDING_M)
    return grid_by_path(path) if path else None


def departments_at(paths) -> QuerySet[Department]:
    """The departments of the given units (a district and its city): whom an event may go to."""
    return Department.objects.filter(path__in=list(paths)).order_by("-path", "kind")


def district_units() -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(kind="district", is_active=True).order_by("path")


def building_points(*, under: str, ids=None) -> list[tuple[int, str, str, float, float]]:
    """(id, path, name, lat, lng) of the positioned buildings under a path (or with these ids),
    in path order: what coverage analyses and their maps need, nothing more."""
    buildings = Building.objects.filter(under_path("path", under), lat__isnull=False, lng__isnull=False)
    if ids is not None:
        buildings = buildings.filter(pk__in=list(ids))
    rows = buildings.order_by("path").values_list("pk", "path", "name", "lat", "lng")
    return [(pk, path, name, lat, lng) for pk, path, name, lat, lng in rows if lat is not None and lng is not None]


def units_under(*, under: str, kinds: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """(path, name, urban_rural) of the active units of these kinds under a path, in path order."""
    units = OrgUnit.objects.filter(under_path("path", under), kind__in=kinds, is_active=True)
    return list(units.order_by("path").values_list("path", "name", "urban_rural"))


def map_view_settings(*, actor: Actor) -> dict:
    """What every map page needs: the operator's tile server (empty: the server's own streets
    and outlines are drawn instead) and where to open, the actor's area."""
    lat, lng = map_centre(actor=actor)
    return {
        "tiles": settings.LINLI_MAP_TILES_URL,
        "attribution": settings.LINLI_MAP_TILES_ATTRIBUTION,
        "lat": "" if lat is None else f"{lat:.6f}",
        "lng": "" if lng is None else f"{lng:.6f}",
    }


def map_centre(*, actor: Actor) -> tuple[float | None, float | None]:
    """Where a map opens for the actor: the centre of the positioned communities of their area
    (a resident's own community), else the centre of the city's bounds."""
    positions = community_positions()
    prefixes = actor.scope_paths or tuple(filter(None, [home_path(actor.user_id)]))
    picked = [i for i, p in enumerate(positions.keys) if any(p.startswith(x[:12]) for x in prefixes)]
    if picked:
        return float(positions.lat[picked].mean()), float(positions.lng[picked].mean())
    bounds = city_bounds()
    if bounds is None:
        return None, None
    return (bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2


# ---------------------------------------------------------------- map layers and addresses
# Outlines and building addresses are public geography: any signed-in account (a resident
# too) may see them anywhere in the city. Nothing here touches residents.

MAX_BOUNDARIES = 400  # per view: more outlines than this are unreadable anyway
BOUNDARY_DETAIL_ZOOM = 13  # from this zoom on, communities and villages; below it, districts and streets


def boundary_layer(*, actor: Actor, box: Box, zoom: int) -> dict:
    """The outlines crossing a view box, simplified to a pixel at this zoom, as a GeoJSON
    FeatureCollection with each unit's name, kind and whether it is approximate (demo)."""
    if not actor.is_authenticated:
        return {"type": "FeatureCollection", "features": [], "truncated": False}
    depth = Q(org_unit__depth__gte=3) if zoom >= BOUNDARY_DETAIL_ZOOM else Q(org_unit__depth__in=[1, 2])
    rows = list(
        Boundary.objects.filter(
            depth, south__lte=box.north, north__gte=box.south, west__lte=box.east, east__gte=box.west
        )
        .order_by("path")
        .values_list("geometry", "approximate", "org_unit__name", "org_unit__kind")[: MAX_BOUNDARIES + 1]
    )
    tolerance = metres_per_pixel(zoom, box.centre_lat())
    features = []
    for geometry, approximate, name, kind in rows[:MAX_BOUNDARIES]:
        shape = _simplified(geometry, tolerance)
        if shape is not None:
            features.append(
                {
                    "type": "Feature",
                    "geometry": shape,
                    "properties": {"name": name, "kind": kind, "approximate": approximate},
                }
            )
    return {"type": "FeatureCollection", "features": features, "truncated": len(rows) > MAX_BOUNDARIES}


def _simplified(geometry: dict, tolerance_m: float) -> dict | None:
    """A Polygon or MultiPolygon with each ring simplified; rings that shrink below a triangle
    (smaller than a pixel or two at this zoom) are dropped, and so is a polygon without its outer ring."""
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    kept = []
    for polygon in polygons:
        rings = []
        for index, ring in enumerate(polygon):
            points = simplify(np.array([(lat, lng) for lng, lat in ring]), tolerance_m)
            if len(points) >= 4:
                rings.append([[round(float(lng), 6), round(float(lat), 6)] for lat, lng in points])
            elif index == 0:
                break
        if rings:
            kept.append(rings)
    if not kept:
        return None
    return {"type": "MultiPolygon", "coordinates": kept}


SNAP_WITHIN_M = 150  # a tap farther than this from any building is "no address nearby"


@memo(300)
def building_ids_positions() -> Positions:
    """Each positioned building, keyed by its row id: where a tap on the map snaps to."""
    rows = Building.objects.filter(lat__isnull=False, lng__isnull=False).order_by("pk").values_list("pk", "lat", "lng")
    return Positions.from_rows([(str(pk), lat, lng) for pk, lat, lng in rows])


def address_nearest(*, actor: Actor, lat: float, lng: float) -> dict | None:
    """The nearest building within 150 m of a point, as what a person may see of it: name,
    address, community, street and its position (never who lives there). None when there is
    none, or for an anonymous caller."""
    found = addresses_nearest(actor=actor, points=[(lat, lng)])
    return found[0]


def addresses_nearest(
    *, actor: Actor, points: list[tuple[float, float]], within_m: float = SNAP_WITHIN_M
) -> list[dict | None]:
    """`address_nearest` for many points (suggested sites) in one query."""
    if not actor.is_authenticated or not points:
        return [None] * len(points)
    positions = building_ids_positions()
    keys = [positions.nearest(lat, lng, within_m) for lat, lng in points]
    buildings = Building.objects.filter(pk__in=[int(k) for k in keys if k]).select_related("grid__community__parent")
    by_id = {str(b.pk): b for b in buildings}
    return [_address(by_id[k], lat, lng) if k in by_id else None for k, (lat, lng) in zip(keys, points, strict=True)]


def _address(building: Building, lat: float, lng: float) -> dict:
    community = building.grid.community
    assert building.lat is not None and building.lng is not None  # only positioned buildings snap
    dx = (building.lng - lng) * math.cos(math.radians(lat))
    distance = math.hypot(dx, building.lat - lat) * 111_320
    return {
        "id": str(building.public_id),
        "building": building.name,
        "address": building.address or f"{community.name}{building.name}",
        "community": community.name,
        "street": community.parent.name if community.parent else "",
        "lat": round(building.lat, 6),
        "lng": round(building.lng, 6),
        "distance_m": round(distance),
    }
