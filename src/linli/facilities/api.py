"""Facilities over JSON: kinds and life circles, the registry (list, create, read, update), the
compliance tables, road networks, analysis runs (start one, follow its progress, read its figures,
its buildings for a map) and the map's facilities. Parse → actor → one service or selector →
schema; outside your scope a facility or run is a 404."""

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from linli.core.apitools import ErrorOut, MappedRows, Page, cached_json
from linli.core.geo import box_parse, zoom_parse
from linli.core.idempotency import idempotent
from linli.facilities.selectors import (
    circle_distances,
    compliance_rows,
    facility_get,
    facility_list,
    kind_list,
    map_facilities,
    network_list,
    road_layer,
    run_building_points,
    run_figures,
    run_get,
    run_list,
    scope_root,
    shelter_rows,
    short_hours_rows,
)
from linli.facilities.services import FacilityInput, RunInput, facility_save
from linli.facilities.tasks import analysis_queue

router = Router(tags=["facilities"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class KindOut(Schema):
    code: str
    name: str
    name_en: str
    circle: str
    counts_for_area: bool
    is_shelter: bool
    min_open_hours: int
    is_active: bool


@router.get("/kinds", response=list[KindOut])
def kinds(request):
    """Facility kinds and the life circle each belongs to (editable data)."""
    return list(kind_list(include_inactive=True))


@router.get("/circles", response=dict[str, int])
def circles(request):
    """Walking distance in metres of each life circle (5min, 10min, 15min)."""
    return circle_distances()


class FacilityIn(Schema):
    kind: str = Field(description="kind code, see /kinds")
    name: str
    unit: str = Field("", description="unit path or 12-digit division code; empty: nearest community")
    lat: float
    lng: float
    coordinates: str = Field("wgs84", description="wgs84 or gcj02 (converted to WGS-84)")
    floor_area_m2: Decimal
    opening_hours: str = ""
    operator: str = ""
    capacity: int | None = None
    address: str = ""
    status: str = "open"
    note: str = ""


class FacilityOut(Schema):
    id: UUID
    kind: str
    name: str
    unit: str
    lat: float
    lng: float
    floor_area_m2: Decimal
    opening_hours: str
    hours_per_day: float | None
    operator: str
    capacity: int | None
    address: str
    status: str
    note: str
    updated_at: datetime


def _facility(f) -> dict:
    return {
        "id": f.public_id,
        "kind": f.kind.code,
        "unit": f.path,
        **{name: getattr(f, name) for name in FacilityOut.model_fields if name not in ("id", "kind", "unit")},
    }


class FacilityFilter(Schema):
    kind: str = ""
    status: str = ""
    q: str = ""
    under: str = ""


@router.get("/facilities", response=list[FacilityOut])
@paginate(Page)
def facilities(request, filters: Query[FacilityFilter]):
    """Facilities of your area, by unit path, kind and name."""
    return MappedRows(facility_list(actor=request.actor, **filters.dict()), _facility)


@router.post("/facilities", response={201: FacilityOut, **ERRORS})
def facility_create(request, payload: FacilityIn):
    """Register a facility. Accepts an `Idempotency-Key` header."""

    def create():
        facility = facility_save(actor=request.actor, data=FacilityInput(**payload.dict()))
        return 201, FacilityOut(**_facility(facility)).model_dump(mode="json")

    return Status(*idempotent(request, create))


@router.get("/facilities/{uuid:public_id}", response={200: FacilityOut, **ERRORS})
def facility(request, public_id: UUID):
    return _facility(facility_get(actor=request.actor, public_id=public_id))


@router.put("/facilities/{uuid:public_id}", response={200: FacilityOut, **ERRORS})
def facility_update(request, public_id: UUID, payload: FacilityIn):
    """Replace a facility's fields (every field is validated again)."""
    return _facility(facility_save(actor=request.actor, data=FacilityInput(**payload.dict()), public_id=public_id))


class AreaRowOut(Schema):
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


class ShelterRowOut(Schema):
    path: str
    name: str
    level: str
    area_m2: Decimal
    residents: int
    per_resident_m2: Decimal | None
    required_m2: Decimal
    shortfall_m2: Decimal
    rating: str


class ShortHoursOut(Schema):
    id: UUID = Field(alias="public_id")
    name: str
    kind: str = Field(alias="kind.code")
    unit: str = Field(alias="path")
    opening_hours: str
    hours_per_day: float | None


class ComplianceOut(Schema):
    area: str
    communities: list[AreaRowOut]
    shelters: list[ShelterRowOut]
    short_hours: list[ShortHoursOut]


@router.get("/compliance", response={200: ComplianceOut, **ERRORS})
def compliance(request, under: str = ""):
    """Service-facility area per community/village (red/amber/green), shelter per resident per
    street and district, facilities open fewer hours than their kind's minimum; `under` narrows
    to a district or street of your area."""
    root = scope_root(request.actor, under)
    return {
        "area": root,
        "communities": compliance_rows(scope_path=root),
        "shelters": shelter_rows(scope_path=root),
        "short_hours": short_hours_rows(scope_path=root),
    }


class NetworkOut(Schema):
    id: UUID = Field(alias="public_id")
    name: str
    source: str
    nodes: int
    edges: int
    components: int
    imported_by: str
    imported_at: datetime


@router.get("/networks", response=list[NetworkOut])
def networks(request):
    """Imported road networks, newest (the one analyses use) first."""
    return list(network_list(actor=request.actor)[:20])


class RunIn(Schema):
    area: str = Field("", description="a path in your area; empty: your whole area")
    site_kind: str = Field("", description="kind to suggest new sites for; empty: none")
    sites: int = Field(10, description="K, the number of new sites")
    candidates: str = Field("network", description="network (street corners) or registered (candidate sites)")


class RunOut(Schema):
    id: UUID
    area: str
    status: str
    progress: int
    stage: str
    params: dict
    message: str
    started_by: str
    created_at: datetime
    finished_at: datetime | None


def _run(run) -> dict:
    names = {"id": "public_id", "area": "scope_path", "started_by": "owner_name"}
    return {name: getattr(run, names.get(name, name)) for name in RunOut.model_fields}


class RunDetailOut(RunOut):
    figures: dict


@router.get("/runs", response=list[RunOut])
@paginate(Page)
def runs(request):
    """Analysis runs of your area (and of larger areas containing it), newest first."""
    return MappedRows(run_list(actor=request.actor), _run)


@router.post("/runs", response={202: RunOut, **ERRORS})
def run_create(request, payload: RunIn):
    """Start an analysis in the background; follow it at /runs/{id}. Accepts an `Idempotency-Key`."""

    def create():
        data = RunInput(
            scope_path=payload.area, site_kind=payload.site_kind, sites=payload.sites, candidates=payload.candidates
        )
        run = analysis_queue(actor=request.actor, data=data)
        return 202, RunOut(**_run(run)).model_dump(mode="json")

    return Status(*idempotent(request, create))


@router.get("/runs/{uuid:public_id}", response={200: RunDetailOut, **ERRORS})
def run(request, public_id: UUID):
    """A run with its progress and, when done, its figures cut to the parts of your area."""
    found = run_get(actor=request.actor, public_id=public_id)
    return {**_run(found), "figures": run_figures(actor=request.actor, run=found)}


class BuildingPointOut(Schema):
    lat: float
    lng: float
    name: str
    residents: int
    walk_m: int | None
    covered: bool


@router.get("/runs/{uuid:public_id}/buildings", response={200: list[BuildingPointOut], **ERRORS})
def run_buildings(request, public_id: UUID, kind: str):
    """Buildings of the run in your area with the walking distance to the nearest facility of
    `kind` and whether it lies within the kind's life circle."""
    found = run_get(actor=request.actor, public_id=public_id)
    return run_building_points(actor=request.actor, run=found, kind=kind)


class MapFacilityOut(Schema):
    id: str
    name: str
    kind: str
    kind_name: str
    lat: float
    lng: float
    status: str
    area: str


@router.get("/map/facilities", response=list[MapFacilityOut])
def map_points(request, kind: str = ""):
    """Facilities of your area (not closed) for a map."""
    return map_facilities(actor=request.actor, kind=kind)


@router.get("/map/roads", response={200: dict, 400: ErrorOut})
def map_roads(request, bbox: str = "", zoom: str = ""):
    """The streets of the current road network inside `bbox` (south,west,north,east in WGS-84
    degrees) as one GeoJSON MultiLineString, simplified for map zoom `zoom` (0–20): every map's
    base layer when no tile server is configured. Bounded in size; `truncated` says whether
    shorter streets were left out."""
    layer = road_layer(actor=request.actor, box=box_parse(bbox), zoom=zoom_parse(zoom))
    return cached_json(layer, max_age=3600)
