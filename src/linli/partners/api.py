"""Social organisations over JSON: the register (list, create with an Idempotency-Key, read,
update, deregister), yearly evaluations, social-work stations and their social workers,
premises and the figures. Parse → actor → one service or selector → schema; outside your scope
an object is a 404. Phones are masked; the register keeps them sealed."""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from linli.core.apitools import ErrorOut, MappedRows, Page
from linli.core.idempotency import idempotent
from linli.partners import selectors as sel
from linli.partners.domain import BASELINE_ORGS
from linli.partners.services import (
    OrgInput,
    PremisesInput,
    StationInput,
    WorkerInput,
    evaluation_record,
    premises_save,
    premises_transition,
    sheet_ensure_default,
    social_org_deregister,
    social_org_save,
    station_save,
    worker_save,
)

router = Router(tags=["partners"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# ---- the register ------------------------------------------------------------------------------


class SocialOrgIn(Schema):
    name: str
    kind: str = Field(description="life_service, charity, relief or mutual_aid")
    status: str = Field(description="registered (登记, with a credit code) or filed (备案)")
    unit: str = Field(description="path or 12-digit division code of where it is based (the city's if citywide)")
    responsible_name: str
    responsible_phone: str = Field("", description="required on create; empty on update keeps the stored one")
    credit_code: str = ""
    name_en: str = ""
    citywide: bool = False
    premises: str = ""
    services: str = ""
    founded_on: date | None = None
    filed_on: date | None = None


class SocialOrgOut(Schema):
    id: UUID
    name: str
    name_en: str
    kind: str
    status: str
    credit_code: str
    unit: str
    citywide: bool
    responsible_name: str
    responsible_phone_masked: str
    premises: str
    services: str
    founded_on: date | None
    filed_on: date | None
    active: bool
    deregistered_on: date | None
    grade: str
    grade_year: int | None
    updated_at: datetime


def _org(org) -> dict:
    return {
        "id": org.public_id,
        "unit": org.unit_path,
        **{name: getattr(org, name) for name in SocialOrgOut.model_fields if name not in ("id", "unit")},
    }


class SocialOrgFilter(Schema):
    kind: str = ""
    status: str = ""
    grade: str = Field("", description="5A … 1A, or none")
    under: str = ""
    q: str = ""
    active: str = Field("1", description="1 active, 0 deregistered, empty both")


@router.get("/orgs", response=list[SocialOrgOut])
@paginate(Page)
def orgs(request, filters: Query[SocialOrgFilter]):
    """Organisations you may see: your area's and the citywide ones (an organiser: their own)."""
    return MappedRows(sel.social_org_list(actor=request.actor, **filters.dict()), _org)


@router.post("/orgs", response={201: SocialOrgOut, **ERRORS})
def org_create(request, payload: SocialOrgIn):
    """Put an organisation on the register. Accepts an `Idempotency-Key` header."""

    def create():
        org = social_org_save(actor=request.actor, data=OrgInput(**payload.dict()))
        return 201, SocialOrgOut(**_org(org)).model_dump(mode="json")

    return Status(*idempotent(request, create))


@router.get("/orgs/{uuid:public_id}", response={200: SocialOrgOut, **ERRORS})
def org(request, public_id: UUID):
    return _org(sel.social_org_get(actor=request.actor, public_id=public_id))


@router.put("/orgs/{uuid:public_id}", response={200: SocialOrgOut, **ERRORS})
def org_update(request, public_id: UUID, payload: SocialOrgIn):
    """Replace an organisation's fields (every field is validated again)."""
    return _org(social_org_save(actor=request.actor, data=OrgInput(**payload.dict()), public_id=public_id))


class SocialOrgDeregisterIn(Schema):
    reason: str


@router.post("/orgs/{uuid:public_id}/deregister", response={200: SocialOrgOut, **ERRORS})
def org_deregister(request, public_id: UUID, payload: SocialOrgDeregisterIn):
    """Take an organisation off the active register, with the reason."""
    return _org(social_org_deregister(actor=request.actor, public_id=public_id, reason=payload.reason))


# ---- evaluations ---------------------------------------------------------------------------------


class OrgEvaluationIn(Schema):
    year: int
    scores: dict[str, str | float] = Field(description="criterion key → points, see /sheet")
    note: str = ""


class OrgEvaluationOut(Schema):
    id: UUID
    org: UUID
    org_name: str
    year: int
    scores: dict[str, str]
    total: Decimal
    grade: str
    evaluated_by: str
    evaluated_at: datetime


def _evaluation(e) -> dict:
    return {
        "id": e.public_id,
        "org": e.social_org.public_id,
        "org_name": e.social_org.name,
        **{n: getattr(e, n) for n in ("year", "scores", "total", "grade", "evaluated_by", "evaluated_at")},
    }


class EvaluationSheetOut(Schema):
    name: str
    criteria: list[dict]
    thresholds: list[list]
    verified: bool


@router.get("/sheet", response=EvaluationSheetOut)
def sheet(request):
    """The scoring sheet evaluations use (criteria with maximum and weight, grade thresholds)."""
    return sheet_ensure_default()


@router.get("/evaluations", response=list[OrgEvaluationOut])
@paginate(Page)
def evaluations(request, year: int | None = None):
    return MappedRows(sel.evaluations_visible(actor=request.actor, year=year), _evaluation)


@router.post("/orgs/{uuid:public_id}/evaluations", response={201: OrgEvaluationOut, **ERRORS})
def evaluation_create(request, public_id: UUID, payload: OrgEvaluationIn):
    """Score an organisation for a year (one per year). Accepts an `Idempotency-Key` header."""

    def create():
        evaluation = evaluation_record(actor=request.actor, public_id=public_id, **payload.dict())
        return 201, OrgEvaluationOut(**_evaluation(evaluation)).model_dump(mode="json")

    return Status(*idempotent(request, create))


@router.get("/evaluations/{uuid:public_id}", response={200: OrgEvaluationOut, **ERRORS})
def evaluation(request, public_id: UUID):
    return _evaluation(sel.evaluation_get(actor=request.actor, public_id=public_id))


# ---- stations and social workers ---------------------------------------------------------------------


class SocialWorkStationIn(Schema):
    street: str = Field(description="the street's path")
    name: str
    address: str = ""
    opened_on: date | None = None
    brand: bool = False
    brand_year: int | None = None
    brand_reason: str = ""


class SocialWorkStationOut(Schema):
    id: UUID
    street: str
    name: str
    address: str
    opened_on: date | None
    brand: bool
    brand_year: int | None
    brand_reason: str
    social_workers: int


def _station(s) -> dict:
    return {
        "id": s.public_id,
        "street": s.street_path,
        "social_workers": getattr(s, "worker_count", 0),
        **{n: getattr(s, n) for n in ("name", "address", "opened_on", "brand", "brand_year", "brand_reason")},
    }


@router.get("/stations", response=list[SocialWorkStationOut])
@paginate(Page)
def stations(request, under: str = "", brand: str = ""):
    return MappedRows(sel.station_list(actor=request.actor, under=under, brand=brand), _station)


@router.post("/stations", response={201: SocialWorkStationOut, **ERRORS})
def station_create(request, payload: SocialWorkStationIn):
    """A street's social-work station (one per street). Accepts an `Idempotency-Key` header."""

    def create():
        station = station_save(actor=request.actor, data=StationInput(**payload.dict()))
        return 201, SocialWorkStationOut(**_station(station)).model_dump(mode="json")

    return Status(*idempotent(request, create))


@router.get("/stations/{uuid:public_id}", response={200: SocialWorkStationOut, **ERRORS})
def station(request, public_id: UUID):
    return _station(sel.station_get(actor=request.actor, public_id=public_id))


@router.put("/stations/{uuid:public_id}", response={200: SocialWorkStationOut, **ERRORS})
def station_update(request, public_id: UUID, payload: SocialWorkStationIn):
    station_save(actor=request.actor, data=StationInput(**payload.dict()), public_id=public_id)
    return _station(sel.station_get(actor=request.actor, public_id=public_id))


class SocialWorkerIn(Schema):
    name: str
    phone: str = ""
    certificate_level: str = Field("none", description="none, assistant, social_worker or senior")
    certificate_number: str = ""
    since: date | None = None
    active: bool = True


class SocialWorkerOut(Schema):
    id: UUID
    station: UUID
    name: str
    phone_masked: str
    certificate_level: str
    certificate_number: str
    since: date | None
    active: bool


def _worker(w) -> dict:
    return {
        "id": w.public_id,
        "station": w.station.public_id,
        **{n: getattr(w, n) for n in ("name", "phone_masked", "certificate_level", "certificate_number", "since")},
        "active": w.active,
    }


@router.get("/social-workers", response=list[SocialWorkerOut])
@paginate(Page)
def workers(request):
    return MappedRows(sel.worker_list(actor=request.actor), _worker)


@router.post("/stations/{uuid:public_id}/social-workers", response={201: SocialWorkerOut, **ERRORS})
def worker_create(request, public_id: UUID, payload: SocialWorkerIn):
    """Add a social worker to a station. Accepts an `Idempotency-Key` header."""

    def create():
        worker = worker_save(actor=request.actor, station_id=public_id, data=WorkerInput(**payload.dict()))
        return 201, SocialWorkerOut(**_worker(worker)).model_dump(mode="json")

    return Status(*idempotent(request, create))


@router.put("/social-workers/{uuid:public_id}", response={200: SocialWorkerOut, **ERRORS})
def worker_update(request, public_id: UUID, payload: SocialWorkerIn):
    found = sel.worker_get(actor=request.actor, public_id=public_id)
    worker = worker_save(
        actor=request.actor, station_id=found.station.public_id, data=WorkerInput(**payload.dict()), public_id=public_id
    )
    return _worker(worker)


# ---- premises -------------------------------------------------------------------------------------------


class PremisesIn(Schema):
    offerer: str
    address: str
    area_m2: Decimal
    term_from: date
    term_to: date
    unit: str = Field(description="path of the community, street or district where offered")
    state_owned: bool = False
    conditions: str = ""


class PremisesOut(Schema):
    id: UUID
    offerer: str
    state_owned: bool
    address: str
    area_m2: Decimal
    term_from: date
    term_to: date
    conditions: str
    unit: str
    community: str
    use: str
    opened_on: date | None
    status: str


def _premises(p) -> dict:
    return {
        "id": p.public_id,
        "unit": p.path,
        "community": p.community_path,
        **{n: getattr(p, n) for n in PremisesOut.model_fields if n not in ("id", "unit", "community")},
    }


@router.get("/premises", response=list[PremisesOut])
@paginate(Page)
def premises_list(request, status: str = "", under: str = ""):
    return MappedRows(sel.premises_list(actor=request.actor, status=status, under=under), _premises)


@router.post("/premises", response={201: PremisesOut, **ERRORS})
def premises_create(request, payload: PremisesIn):
    """Record idle premises an enterprise offers. Accepts an `Idempotency-Key` header."""

    def create():
        found = premises_save(actor=request.actor, data=PremisesInput(**payload.dict()))
        return 201, PremisesOut(**_premises(found)).model_dump(mode="json")

    return Status(*idempotent(request, create))


@router.get("/premises/{uuid:public_id}", response={200: PremisesOut, **ERRORS})
def premises(request, public_id: UUID):
    return _premises(sel.premises_get(actor=request.actor, public_id=public_id))


class PremisesStateIn(Schema):
    to: str = Field(description="in_use (with community, use, opened_on) or returned (with reason)")
    community: str = ""
    use: str = ""
    opened_on: date | None = None
    reason: str = ""


@router.post("/premises/{uuid:public_id}/state", response={200: PremisesOut, **ERRORS})
def premises_state(request, public_id: UUID, payload: PremisesStateIn):
    return _premises(premises_transition(actor=request.actor, public_id=public_id, **payload.dict()))


# ---- figures ---------------------------------------------------------------------------------------------


class PartnerFigureRowOut(Schema):
    path: str
    name: str
    orgs: int
    by_kind: dict[str, int]
    by_grade: dict[str, int]
    registered: int
    streets: int
    streets_with_station: int
    station_coverage_percent: Decimal | None
    brand_stations: int
    social_workers: int
    certified_workers: int
    premises_in_use: int


class PartnerFiguresOut(Schema):
    area: str
    area_name: str
    baseline_orgs: int = Field(description="the plan's starting figure for the city (10,142)")
    citywide_orgs: int
    total: PartnerFigureRowOut
    rows: list[PartnerFigureRowOut]


def _figure_row(row) -> dict:
    return {
        **{n: getattr(row, n) for n in PartnerFigureRowOut.model_fields if n != "station_coverage_percent"},
        "station_coverage_percent": row.coverage,
    }


@router.get("/figures", response={200: PartnerFiguresOut, **ERRORS})
def figures(request, under: str = ""):
    """Organisations by kind and grade, station coverage, brand stations and premises in use, per
    child unit of your area (or of `under`). Live from the register."""
    data = sel.partner_figures(actor=request.actor, under=under)
    return {
        "area": data.root_path,
        "area_name": data.root_name,
        "baseline_orgs": BASELINE_ORGS,
        "citywide_orgs": data.citywide_orgs,
        "total": _figure_row(data.total),
        "rows": [_figure_row(row) for row in data.rows],
    }
