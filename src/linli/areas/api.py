"""The org tree: a unit by code, its children, search by name; for maps, the units' outlines in a
view and the address nearest a tapped point."""

from ninja import Router
from ninja.pagination import paginate
from pydantic import BaseModel, ConfigDict

from linli.areas.selectors import (
    address_nearest,
    boundary_layer,
    org_unit_ancestors,
    org_unit_children,
    org_unit_get,
    org_unit_search,
    org_unit_top,
)
from linli.core.apitools import ErrorOut, Page, cached_json
from linli.core.geo import box_parse, point_parse, zoom_parse

router = Router(tags=["org tree"])
UNIT_FIELDS = ("code", "path", "name", "kind", "unit_type", "depth", "urban_rural", "urban_rural_derived")


# A plain pydantic model, not a ninja `Schema`: lists return up to 500 of these, and ninja's per-row
# attribute wrapper (DjangoGetter) cost more than the SQL itself (see docs/benchmarks.md). Same JSON.
class OrgUnitOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    path: str
    name: str
    kind: str
    unit_type: str
    depth: int
    urban_rural: str
    urban_rural_derived: bool


class OrgUnitDetailOut(OrgUnitOut):
    ancestors: list[OrgUnitOut]


@router.get("/org-units", response=list[OrgUnitOut])
@paginate(Page)
def org_units(request, q: str = ""):
    """Units of your scope whose name contains `q`; without `q`, the units your postings are at."""
    units = org_unit_search(actor=request.actor, q=q[:50]) if q else org_unit_top(actor=request.actor)
    return units.values(*UNIT_FIELDS)


@router.get("/org-units/{code}", response={200: OrgUnitDetailOut, 404: ErrorOut})
def org_unit(request, code: str):
    unit = org_unit_get(actor=request.actor, code=code)
    unit.ancestors = org_unit_ancestors(unit)
    return unit


@router.get("/org-units/{code}/children", response={200: list[OrgUnitOut], 404: ErrorOut})
@paginate(Page)
def org_unit_children_list(request, code: str):
    return org_unit_children(actor=request.actor, code=code).values(*UNIT_FIELDS)


@router.get("/map/boundaries", response={200: dict, 400: ErrorOut}, tags=["maps"])
def map_boundaries(request, bbox: str = "", zoom: str = ""):
    """Org-unit outlines crossing `bbox` (south,west,north,east), simplified for `zoom` (0–20):
    communities and villages from zoom 13, districts and streets below. `approximate` marks the
    demo's outlines, drawn from building positions and not legal boundaries."""
    layer = boundary_layer(actor=request.actor, box=box_parse(bbox), zoom=zoom_parse(zoom))
    return cached_json(layer, max_age=600)


@router.get("/map/address", response={200: dict, 400: ErrorOut}, tags=["maps"])
def map_address(request, lat: str = "", lng: str = ""):
    """The building nearest a tapped point (within 150 m): its address, community and street,
    never who lives there. `found` is false when no building is near."""
    lat_value, lng_value = point_parse(lat, lng)
    address = address_nearest(actor=request.actor, lat=lat_value, lng=lng_value)
    return cached_json({"found": address is not None, **(address or {})}, max_age=600)
