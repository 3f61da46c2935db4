"""Reads of the facility registry and its analyses. Lists are scoped by the facility's unit path;
compliance is computed from the registry and the resident pool's household and resident counts
(numbers only, never a person); a run is visible to whoever sees its area or a part of it, and
its figures are cut down to the parts the reader sees."""

from __future__ import annotations

import io
import threading
from collections import defaultdict
from dataclasses import asdict, dataclass
from decimal import Decimal

import numpy as np
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Substr

from linli.accounts.domain import FACILITY_KIND_EDIT, FACILITY_VIEW
from linli.areas.selectors import addresses_nearest, building_points, org_unit_by_path, unit_names, units_under
from linli.core.actor import Actor
from linli.core.errors import not_found
from linli.core.geo import Box, metres_per_pixel, simplify
from linli.core.paths import under_path
from linli.facilities.domain import (
    CIRCLE_DEFAULT_DISTANCE_M,
    FacilityStatus,
    Rating,
    area_compliance,
    shelter_compliance,
)
from linli.facilities.models import AnalysisRun, Facility, FacilityKind, LifeCircle, RoadNetwork
from linli.facilities.roads import RoadData, RoadLines, road_lines
from linli.residents.selectors import households_by_unit, residents_by_building, residents_by_unit

COMMUNITY_KINDS = ("community", "village")


# ---- kinds, circles, networks ------------------------------------------------------------------


def kind_list(*, include_inactive: bool = False) -> QuerySet[FacilityKind]:
    kinds = FacilityKind.objects.all()
    return kinds if include_inactive else kinds.filter(is_active=True)


def kind_by_code(code: str) -> FacilityKind | None:
    return FacilityKind.objects.filter(code=code, is_active=True).first() if code else None


def kind_get(code: str) -> FacilityKind:
    kind = FacilityKind.objects.filter(code=code).first()
    if kind is None:
        raise not_found("设施类型", "Facility kind")
    return kind


def candidate_site_count(*, kind: str, scope_path: str) -> int:
    return Facility.objects.filter(
        under_path("path", scope_path), kind__code=kind, status=FacilityStatus.CANDIDATE
    ).count()


def circle_distances() -> dict[str, int]:
    """Walking distance (m) per life circle: the city's rows over GB 50180-2018's defaults."""
    distances = {str(key): metres for key, metres in CIRCLE_DEFAULT_DISTANCE_M.items()}
    distances.update(dict(LifeCircle.objects.values_list("key", "walk_distance_m")))
    return distances


def network_current() -> RoadNetwork | None:
    return RoadNetwork.objects.defer("data").order_by("-imported_at", "-pk").first()


def network_list(*, actor: Actor) -> QuerySet[RoadNetwork]:
    if not _can_view(actor):
        return RoadNetwork.objects.none()
    return RoadNetwork.objects.defer("data").order_by("-imported_at", "-pk")


def kinds_editable(actor: Actor) -> bool:
    """The kinds and distances are the city's: only someone posted at the city edits them."""
    return actor.has_perm(FACILITY_KIND_EDIT) and actor.citywide


# ---- the registry ------------------------------------------------------------------------------


def _can_view(actor: Actor) -> bool:
    return actor.has_perm(FACILITY_VIEW) and bool(actor.scope_paths)


def facility_list(
    *, actor: Actor, kind: str = "", status: str = "", q: str = "", under: str = ""
) -> QuerySet[Facility]:
    if not _can_view(actor):
        return Facility.objects.none()
    facilities = actor.scoped(Facility.objects.select_related("kind"))
    if kind:
        facilities = facilities.filter(kind__code=kind)
    if status:
        facilities = facilities.filter(status=status)
    if under.isdigit():
        facilities = facilities.filter(under_path("path", under))
    if q:
        facilities = facilities.filter(Q(name__contains=q) | Q(address__contains=q) | Q(operator__contains=q))
    return facilities.order_by("path", "kind__sort", "name", "pk")


def facility_get(*, actor: Actor, public_id) -> Facility:
    facility = facility_list(actor=actor).filter(public_id=public_id).first()
    if facility is None:
        raise not_found("设施", "Facility")
    return facility


def area_choices(*, actor: Actor) -> list[tuple[str, str]]:
    """(path, name) of the actor's areas and the districts and streets under them: what a page or
    a run may be narrowed to."""
    names = unit_names(actor.scope_paths)
    areas = [(path, names.get(path, path)) for path in actor.scope_paths]
    for root in actor.scope_paths:
        if len(root) < 9:
            areas += [(path, f"— {name}") for path, name, _ in units_under(under=root, kinds=("district", "street"))]
    return areas


def scope_root(actor: Actor, under: str = "") -> str:
    """The area a page or endpoint shows: `under` when the actor sees it, else the actor's first."""
    if under and under.isdigit() and actor.sees_path(under):
        return under
    if not _can_view(actor):
        raise not_found("区域", "Area")
    return actor.scope_paths[0]


def _overlap(one: str, other: str) -> str | None:
    """The part two areas share: the inner one when one contains the other, else None."""
    if one.startswith(other):
        return one
    return other if other.startswith(one) else None


# ---- compliance ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class JsonRow:
    """A table row a run stores in its figures: decimals as text, so they survive JSON exactly."""

    def as_json(self) -> dict:
        return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class AreaRow(JsonRow):
    path: str
    name: str
    street: str
    urban_rural: str
    facilities: int
    area_m2: Decimal
    households: int
    minimum_m2: int
    per_households_m2: Decimal
    required_m2: Decimal
    shortfall_m2: Decimal
    rating: str


def compliance_rows(*, scope_path: str) -> list[AreaRow]:
    """Every community and village under the path: its service-facility floor area (kinds that
    count towards it, in service) against the standard of its class and household count."""
    units = units_under(under=scope_path, kinds=COMMUNITY_KINDS)
    households = households_by_unit(under=scope_path, length=12)
    rows = (
        Facility.objects.filter(under_path("path", scope_path), kind__counts_for_area=True, status=FacilityStatus.OPEN)
        .values("path")
        .annotate(area=Sum("floor_area_m2"), n=Count("pk"))
    )
    area = {row["path"]: row["area"] or Decimal(0) for row in rows}
    counts = {row["path"]: row["n"] for row in rows}
    streets = unit_names({path[:9] for path, _, _ in units})
    result = []
    for path, name, urban_rural in units:
        check = area_compliance(urban_rural, area.get(path, Decimal(0)), households.get(path, 0))
        result.append(
            AreaRow(
                path=path,
                name=name,
                street=streets.get(path[:9], ""),
                urban_rural=urban_rural or "urban",
                facilities=counts.get(path, 0),
                **asdict(check),
            )
        )
    return result


@dataclass(frozen=True)
class ShelterRow(JsonRow):
    path: str
    name: str
    level: str  # street or district
    area_m2: Decimal
    residents: int
    per_resident_m2: Decimal | None
    required_m2: Decimal
    shortfall_m2: Decimal
    rating: str


def shelter_rows(*, scope_path: str, streets: bool = True) -> list[ShelterRow]:
    """Shelter floor area per resident for every district and street under (or containing) the
    path (districts only with `streets=False`: the city's summary); a shelter counts for the
    street and district its unit lies in, a resident for the street and district they live in."""
    residents_by_path = residents_by_unit(under=scope_path[:6], length=6)
    if streets:
        residents_by_path |= residents_by_unit(under=scope_path[:6], length=9)
    area: dict[str, Decimal] = defaultdict(Decimal)
    # the whole district's shelters: its row counts them all even when a street is asked for
    shelters = Facility.objects.filter(
        under_path("path", scope_path[:6]), kind__is_shelter=True, status=FacilityStatus.OPEN
    ).values_list("path", "floor_area_m2")
    for path, m2 in shelters:
        area[path[:6]] += m2
        if len(path) >= 9:
            area[path[:9]] += m2
    units = [(p, n, "district") for p, n, _ in units_under(under=scope_path[:6], kinds=("district",))]
    if streets:
        units += [(p, n, "street") for p, n, _ in units_under(under=scope_path, kinds=("street",))]
    result = []
    for path, name, level in sorted(units):
        if _overlap(path, scope_path) is None:
            continue
        check = shelter_compliance(area[path], residents_by_path.get(path, 0))
        result.append(ShelterRow(path, name, level, **asdict(check)))
    return result


def _short_hours(scope_path: str) -> QuerySet[Facility]:
    """Facilities in service of kinds with a daily minimum (8 h for community service facilities)
    open fewer hours, or with no hours on record: filtered in the database."""
    return Facility.objects.filter(
        Q(hours_per_day__isnull=True) | Q(hours_per_day__lt=F("kind__min_open_hours")),
        under_path("path", scope_path),
        status=FacilityStatus.OPEN,
        kind__min_open_hours__gt=0,
    )


def short_hours_rows(*, scope_path: str) -> list[Facility]:
    return list(_short_hours(scope_path).select_related("kind").order_by("path", "name"))


def short_hours_by_district(*, scope_path: str) -> dict[str, int]:
    rows = _short_hours(scope_path).annotate(district=Substr("path", 1, 6)).values("district").annotate(n=Count("pk"))
    return {row["district"]: row["n"] for row in rows}


@dataclass
class StreetSummary:
    path: str
    name: str
    communities: int = 0
    green: int = 0
    amber: int = 0
    red: int = 0
    shortfall_m2: Decimal = Decimal(0)


def street_summary(rows: list[AreaRow]) -> list[StreetSummary]:
    """The community rows per street: how many meet, nearly meet and miss the standard."""
    return _summary(rows, 9, {row.path[:9]: row.street for row in rows})


def district_summary(rows: list[AreaRow]) -> list[StreetSummary]:
    """The community rows per district: the city's first view (its streets one district at a time)."""
    return _summary(rows, 6, unit_names({row.path[:6] for row in rows}))


def _summary(rows: list[AreaRow], length: int, names: dict[str, str]) -> list[StreetSummary]:
    units: dict[str, StreetSummary] = {}
    for row in rows:
        key = row.path[:length]
        summary = units.setdefault(key, StreetSummary(key, names.get(key, key)))
        summary.communities += 1
        setattr(summary, row.rating, getattr(summary, row.rating) + 1)
        summary.shortfall_m2 += row.shortfall_m2
    return list(units.values())


# Seed (十一): 150 city-level party-mass service centres by 2025 (120 by 2023); village public
# cemeteries everywhere by 2025 (51 by 2023). Counted from the registry by these kind codes.
PARTY_MASS_KIND, CEMETERY_KIND = "party_mass_centre", "village_cemetery"
PARTY_MASS_TARGET_2025 = 150


@dataclass(frozen=True)
class PlanTargets:
    party_mass_centres: int
    party_mass_target: int
    villages: int
    villages_with_cemetery: int


def plan_targets(*, scope_path: str) -> PlanTargets:
    """Where the area stands on the seed's facility targets (the 150 centres are the city's)."""
    in_service = Facility.objects.filter(under_path("path", scope_path), status=FacilityStatus.OPEN)
    villages = [path for path, _, _ in units_under(under=scope_path, kinds=("village",))]
    with_cemetery = set(in_service.filter(kind__code=CEMETERY_KIND).values_list("path", flat=True))
    return PlanTargets(
        party_mass_centres=in_service.filter(kind__code=PARTY_MASS_KIND).count(),
        party_mass_target=PARTY_MASS_TARGET_2025,
        villages=len(villages),
        villages_with_cemetery=len(with_cemetery.intersection(villages)),
    )


def compliance_summary(rows: list) -> dict[str, int]:
    counts = {str(r): 0 for r in Rating}
    for row in rows:
        counts[row["rating"] if isinstance(row, dict) else row.rating] += 1
    return counts


# ---- analysis inputs -----------------------------------------------------------------------------


@dataclass
class AnalysisInputs:
    building_ids: np.ndarray
    building_lat: np.ndarray
    building_lng: np.ndarray
    building_residents: np.ndarray
    building_unit: np.ndarray  # community/village path per building
    facility_positions: dict[str, tuple[list[float], list[float]]]  # kinds with a circle, in service
    kind_circle: dict[str, str]
    candidates: dict[str, tuple[list[float], list[float]]]  # registered candidate sites in the area
    facility_counts: dict[str, int]  # in service in the area, per kind

    @property
    def total_residents(self) -> int:
        return int(self.building_residents.sum())


def analysis_inputs(*, scope_path: str) -> AnalysisInputs:
    """Buildings of the area with their residents; facilities in service of every kind that has a
    life circle, across the whole city (a facility over the border still serves the area)."""
    points = building_points(under=scope_path)
    residents = residents_by_building(under=scope_path)
    kinds = {k.code: k.circle for k in kind_list() if k.circle}
    positions: dict[str, tuple[list[float], list[float]]] = {code: ([], []) for code in kinds}
    candidates: dict[str, tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    counts: dict[str, int] = defaultdict(int)
    rows = Facility.objects.filter(
        kind__code__in=list(kinds), status__in=[FacilityStatus.OPEN, FacilityStatus.CANDIDATE]
    ).values_list("kind__code", "status", "path", "lat", "lng")
    for code, status, path, lat, lng in rows:
        inside = path.startswith(scope_path)
        if status == FacilityStatus.OPEN:
            positions[code][0].append(lat)
            positions[code][1].append(lng)
            counts[code] += inside
        elif inside:
            candidates[code][0].append(lat)
            candidates[code][1].append(lng)
    return AnalysisInputs(
        building_ids=np.array([p[0] for p in points], dtype=np.int64),
        building_lat=np.array([p[3] for p in points], float),
        building_lng=np.array([p[4] for p in points], float),
        building_residents=np.array([residents.get(p[0], 0) for p in points], dtype=np.int64),
        building_unit=np.array([p[1][:12] for p in points]),
        facility_positions=positions,
        kind_circle=kinds,
        candidates=dict(candidates),
        facility_counts=dict(counts),
    )


def open_positions(*, kinds: tuple[str, ...], scope_path: str = "") -> tuple[np.ndarray, np.ndarray]:
    """(lat, lng) of the facilities in service of these kinds (under a path, or anywhere)."""
    rows = Facility.objects.filter(kind__code__in=kinds, status=FacilityStatus.OPEN)
    if scope_path:
        rows = rows.filter(under_path("path", scope_path))
    points = list(rows.values_list("lat", "lng"))
    return np.array([p[0] for p in points], float), np.array([p[1] for p in points], float)


# ---- runs ------------------------------------------------------------------------------------------


def _run_visible(actor: Actor) -> Q:
    """Runs of an area inside the actor's, or of a larger area containing it (a city run also
    answers a street officer, cut down to their street)."""
    query = Q(pk__in=[])
    for prefix in actor.scope_paths:
        query |= under_path("scope_path", prefix)
        query |= Q(scope_path__in=[prefix[:n] for n in (4, 6, 9) if n < len(prefix)])
    return query


def run_list(*, actor: Actor) -> QuerySet[AnalysisRun]:
    if not _can_view(actor):
        return AnalysisRun.objects.none()
    return AnalysisRun.objects.filter(_run_visible(actor)).defer("distances").order_by("-created_at", "-pk")


def run_get(*, actor: Actor, public_id) -> AnalysisRun:
    run = run_list(actor=actor).filter(public_id=public_id).first()
    if run is None:
        raise not_found("分析", "Analysis run")
    return run


def run_latest(*, actor: Actor) -> AnalysisRun | None:
    return run_list(actor=actor).filter(status="done").first()


def run_previous(*, actor: Actor, run: AnalysisRun) -> AnalysisRun | None:
    """The last finished run of the same area before this one: what a planner compares with."""
    return (
        run_list(actor=actor)
        .filter(scope_path=run.scope_path, status="done", created_at__lt=run.created_at)
        .order_by("-created_at", "-pk")
        .first()
    )


def coverage_changes(current: dict, previous: dict | None) -> dict[str, float | None]:
    """Per kind: this run's coverage rate minus the previous run's (None where either lacks it)."""
    before = (previous or {}).get("coverage", {})
    changes = {}
    for code, kind in current.get("coverage", {}).items():
        old = before.get(code, {}).get("rate")
        changes[code] = round(kind["rate"] - old, 4) if kind.get("rate") is not None and old is not None else None
    return changes


def run_figures(*, actor: Actor, run: AnalysisRun) -> dict:
    """The run's figures with per-unit rows cut to the units the actor sees (coverage totals are
    recomputed over those units, so a street officer reads their street's rate)."""
    figures = dict(run.figures or {})
    if not figures or actor.sees_path(run.scope_path):
        return _with_rates(figures)
    figures["compliance"] = [r for r in figures.get("compliance", []) if actor.sees_path(r["path"])]
    figures["shelters"] = [r for r in figures.get("shelters", []) if actor.sees_path(r["path"])]
    coverage = {}
    for code, kind in figures.get("coverage", {}).items():
        by_unit = {u: v for u, v in kind["by_unit"].items() if actor.sees_path(u)}
        covered = sum(v[0] for v in by_unit.values())
        total = sum(v[1] for v in by_unit.values())
        coverage[code] = {**kind, "by_unit": by_unit, "residents": total, "covered": {str(kind["circle_m"]): covered}}
    figures["coverage"] = coverage
    # sites were chosen for the wider area, and its counts are not this part's
    for wider in ("siting", "buildings", "facilities", "short_hours", "care_next_to_health"):
        figures.pop(wider, None)
    figures["residents"] = sum(v[1] for v in next(iter(coverage.values()), {"by_unit": {}})["by_unit"].values())
    return _with_rates(figures)


def _with_rates(figures: dict) -> dict:
    for kind in figures.get("coverage", {}).values():
        covered = kind["covered"].get(str(kind["circle_m"]), 0)
        kind["covered_at_circle"] = covered
        kind["rate"] = round(covered / kind["residents"], 4) if kind["residents"] else None
    return figures


def run_building_points(*, actor: Actor, run: AnalysisRun, kind: str) -> list[dict]:
    """Every building of the run the actor sees, with its walking distance to the nearest facility
    of `kind` and whether that is within the kind's life circle."""
    blob = AnalysisRun.objects.filter(pk=run.pk).values_list("distances", flat=True).first()
    if not blob:
        return []
    archive = np.load(io.BytesIO(bytes(blob)))
    key = f"kind:{kind}"
    if key not in archive.files:
        return []
    within = run.figures.get("coverage", {}).get(kind, {}).get("circle_m", 0)
    ids = archive["building_ids"].tolist()
    distance = dict(zip(ids, archive[key].tolist(), strict=True))
    people = dict(zip(ids, archive["residents"].tolist(), strict=True))
    points = []
    for under in filter(None, (_overlap(root, run.scope_path) for root in actor.scope_paths)):
        for pk, _path, name, lat, lng in building_points(under=under):
            d = distance.get(pk)
            if d is None:
                continue
            walk = None if not np.isfinite(d) else round(d)
            points.append(
                {
                    "lat": lat,
                    "lng": lng,
                    "name": name,
                    "residents": people[pk],
                    "walk_m": walk,
                    "covered": walk is not None and walk <= within,
                }
            )
    return points


def map_facilities(*, actor: Actor, kind: str = "") -> list[dict]:
    rows = facility_list(actor=actor, kind=kind).exclude(status=FacilityStatus.CLOSED)
    return [
        {
            "id": str(f.public_id),
            "name": f.name,
            "kind": f.kind.code,
            "kind_name": f.kind.name,
            "lat": f.lat,
            "lng": f.lng,
            "status": f.status,
            "area": str(f.floor_area_m2),
        }
        for f in rows
    ]


def unit_label(path: str) -> str:
    unit = org_unit_by_path(path)
    return unit.name if unit else path


# ---- the road base layer -------------------------------------------------------------------------
# The streets every map draws when no tile server is configured. Streets are public geography, so
# any signed-in account (a resident too) may read them anywhere; an anonymous caller gets none.

ROAD_MAX_LINES = 3000  # per answer, longest first: a zoomed-out city view keeps its main streets
ROAD_MAX_VERTICES = 40_000  # about 0.6 MB of JSON, the most one answer may carry
ROAD_MIN_PIXELS = 6  # lines shorter than this on screen are not worth sending
_ROAD_LINES: dict[str, RoadLines] = {}  # network public id → its strokes (one network at a time)
_ROAD_LINES_LOCK = threading.Lock()


def _road_lines_of(network: RoadNetwork) -> RoadLines:
    """The current network's strokes, built once per process and network (about 2.5 s for the
    demo city's 315,000 edges) and kept until another network becomes current."""
    key = str(network.public_id)
    with _ROAD_LINES_LOCK:  # the warm-up thread and a first request build it once between them
        if key not in _ROAD_LINES:
            data = RoadData.from_bytes(bytes(RoadNetwork.objects.values_list("data", flat=True).get(pk=network.pk)))
            _ROAD_LINES.clear()
            _ROAD_LINES[key] = road_lines(data)
        return _ROAD_LINES[key]


WARM_ZOOMS = (9, 10, 11, 12)


def road_lines_warm() -> None:
    """Build the current network's strokes and their zoomed-out simplifications, so that no map
    waits for them (about 4 s for the demo city): each web worker runs this on a background
    thread as it starts (`linli.config.wsgi`)."""
    network = network_current()
    if network is None:
        return
    lines = _road_lines_of(network)
    if not len(lines):
        return
    whole = Box(*lines.box[:, :2].min(axis=0).tolist(), *lines.box[:, 2:].max(axis=0).tolist())
    for zoom in WARM_ZOOMS:  # the zoomed-out views, where one answer simplifies thousands of streets
        road_layer(actor=Actor.system("road-warm-up"), box=whole, zoom=zoom)


def road_layer(*, actor: Actor, box: Box, zoom: int) -> dict:
    """The streets crossing a view box as one GeoJSON MultiLineString, each simplified
    (Douglas–Peucker) to a pixel at this zoom, the longest first, bounded in lines and vertices;
    `truncated` says whether shorter streets were left out (zoom in to see them)."""
    network = network_current() if actor.is_authenticated else None
    empty = {"type": "FeatureCollection", "features": [], "truncated": False, "network": ""}
    if network is None:
        return empty
    lines = _road_lines_of(network)
    # one pixel at the network's own latitude, so a line simplified for a zoom is kept and reused
    # by every later view at that zoom (zoomed out, the same long streets are asked again and again)
    pixel = metres_per_pixel(zoom, float(lines.points[0, 0])) if len(lines) else 1.0
    hits = lines.crossing(box.south, box.west, box.north, box.east)
    hits = hits[lines.length_m[hits] >= ROAD_MIN_PIXELS * pixel]
    coordinates, vertices, truncated = [], 0, len(hits) > ROAD_MAX_LINES
    cache = lines.simplified.setdefault(zoom, {})
    for i in hits[:ROAD_MAX_LINES].tolist():
        line = cache.get(i)
        if line is None:
            line = cache[i] = [
                [round(float(lng), 6), round(float(lat), 6)] for lat, lng in simplify(lines.line(i), pixel)
            ]
        if vertices + len(line) > ROAD_MAX_VERTICES:
            truncated = True
            break
        vertices += len(line)
        coordinates.append(line)
    feature = {"type": "Feature", "geometry": {"type": "MultiLineString", "coordinates": coordinates}, "properties": {}}
    return empty | {
        "features": [feature] if coordinates else [],
        "truncated": truncated,
        "network": str(network.public_id),
    }


SITE_ADDRESS_WITHIN_M = 500  # a suggested site is described by the nearest building this close


def siting_with_places(*, actor: Actor, siting: dict | None) -> dict:
    """A run's suggested sites, each with `place`: the nearest building's address, community
    and street (or None when no building is within 500 m), so a page names where a site is
    instead of showing bare coordinates. One query for all sites."""
    siting = dict(siting or {})
    sites = [dict(site) for site in siting.get("sites", [])]
    places = addresses_nearest(
        actor=actor, points=[(s["lat"], s["lng"]) for s in sites], within_m=SITE_ADDRESS_WITHIN_M
    )
    for site, place in zip(sites, places, strict=True):
        site["place"] = place
    if sites:
        siting["sites"] = sites
    return siting
