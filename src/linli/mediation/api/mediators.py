"""Safe community over JSON, stage mediators (`/api/v1/mediation/…`): the mediator pool (scoped;
phones masked), a mediator with figures, adding (Idempotency-Key; a new account's temporary
password once), ending with the successor, trainings, the staffing rule, the dispute kinds.
Parse → actor → one service or selector → schema."""

import datetime as dt
from decimal import Decimal
from uuid import UUID

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from linli.core.apitools import ErrorOut, IsoDate, Page
from linli.core.idempotency import idempotent
from linli.mediation.selectors import mediators as sel
from linli.mediation.services import mediators as svc

router = Router()
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class MediationMediatorOut(Schema):
    id: UUID
    name: str
    kind: str = Field(description="committee, full_time, expert or volunteer")
    path: str = Field(description="the division code of the unit served")
    phone: str = Field(description="masked")
    kinds: list[str] = Field(description="dispute kind codes handled; empty: every kind")
    qualifications: str
    specialty: str
    since: dt.date
    until: dt.date | None
    open_disputes: int
    concluded_this_year: int
    success_rate: float | None = Field(description="agreed / (agreed + failed) this year, 0–1")
    training_hours_this_year: Decimal


def _mediator(m, f) -> dict:
    return {
        "id": m.public_id,
        "name": m.name,
        "kind": m.kind,
        "path": m.path,
        "phone": m.phone_masked,
        "kinds": m.kinds,
        "qualifications": m.qualifications,
        "specialty": m.specialty,
        "since": m.since,
        "until": m.until,
        "open_disputes": f.open,
        "concluded_this_year": f.concluded,
        "success_rate": f.success_rate,
        "training_hours_this_year": f.training_hours,
    }


class MediationMediatorFilter(Schema):
    unit: str = Field("", description="a division code prefix")
    kind: str = Field("", description="committee, full_time, expert or volunteer")
    active: str = Field("1", description="1 serving, 0 left the pool, empty both")


@router.get("/mediators", response=list[MediationMediatorOut])
@paginate(Page)
def mediators(request, filters: Query[MediationMediatorFilter]):
    """The mediator pool of your area and the district's and city's experts (MEDIATION_VIEW)."""
    rows = list(sel.pool_query(actor=request.actor, **filters.dict()))
    figures = sel.pool_figures([m.pk for m in rows], timezone.localdate().year)
    return [_mediator(m, figures[m.pk]) for m in rows]


@router.get("/mediators/{uuid:public_id}", response={200: MediationMediatorOut, **ERRORS})
def mediator(request, public_id: UUID):
    found = sel.mediator_get(actor=request.actor, public_id=public_id)
    return _mediator(found, sel.pool_figures([found.pk], timezone.localdate().year)[found.pk])


class MediationMediatorIn(Schema):
    kind: str = Field(description="committee (a community), full_time (a street), expert (district or city), volunteer")
    path: str = Field(description="the division code of the unit served")
    name: str
    phone: str = Field("", description="sealed; answered masked")
    qualifications: str = ""
    specialty: str = ""
    kinds: list[str] = Field(default_factory=list, description="dispute kind codes; empty: every kind")
    since: IsoDate | None = None
    username: str = Field("", description="the account they sign in with (optional)")
    new_account: bool = Field(False, description="make that account; its temporary password is answered once")


class MediationMediatorAddedOut(MediationMediatorOut):
    password: str = Field(description="the new account's temporary password, shown once; empty when none was made")


@router.post("/mediators", response={201: MediationMediatorAddedOut, **ERRORS})
def mediator_create(request, payload: MediationMediatorIn):
    """Add a mediator to the pool (MEDIATION_MANAGE in the unit's area). Accepts an `Idempotency-Key`."""

    def create():
        added = svc.mediator_add(actor=request.actor, data=svc.MediatorInput(**payload.dict()))
        body = _mediator(added.mediator, sel.NO_FIGURES) | {"password": added.password}
        return 201, MediationMediatorAddedOut(**body).model_dump(mode="json")

    return Status(*idempotent(request, create))


class MediationMediatorEndIn(Schema):
    reason: str
    successor: UUID | None = Field(None, description="the mediator who takes the open disputes over")


class MediationMediatorEndOut(Schema):
    moved: int = Field(description="open disputes handed to the successor")


@router.post("/mediators/{uuid:public_id}/end", response={200: MediationMediatorEndOut, **ERRORS})
def mediator_end(request, public_id: UUID, payload: MediationMediatorEndIn):
    """The mediator leaves the pool; refused while they hold open disputes and no successor is named."""
    found = sel.mediator_get(actor=request.actor, public_id=public_id)
    successor = str(payload.successor) if payload.successor else None
    moved = svc.mediator_end(actor=request.actor, mediator=found, reason=payload.reason, successor_id=successor)
    return {"moved": moved}


class MediationTrainingIn(Schema):
    on: IsoDate
    hours: Decimal
    topic: str


class MediationTrainingOut(Schema):
    on: dt.date
    hours: Decimal
    topic: str


@router.post("/mediators/{uuid:public_id}/trainings", response={201: MediationTrainingOut, **ERRORS})
def training_create(request, public_id: UUID, payload: MediationTrainingIn):
    found = sel.mediator_get(actor=request.actor, public_id=public_id)
    training = svc.training_record(actor=request.actor, mediator=found, **payload.dict())
    return Status(201, {"on": training.on, "hours": training.hours, "topic": training.topic})


class MediationStaffingLineOut(Schema):
    path: str
    name: str
    level: str = Field(description="street (full-time mediators) or community (committee mediators)")
    count: int
    minimum: int
    goal: int
    mark: str = Field(description="red (below the minimum), amber (below the goal) or green")


class MediationStaffingOut(Schema):
    path: str
    name: str
    streets: list[MediationStaffingLineOut]
    communities: list[MediationStaffingLineOut]


def _line(line) -> dict:
    return {k: getattr(line, k) for k in ("path", "name", "level", "count", "minimum", "goal", "mark")}


@router.get("/staffing", response={200: MediationStaffingOut, **ERRORS})
def staffing(request, path: str = ""):
    """The staffing rule under a unit: 1–2 full-time mediators per street, 1 committee mediator per community."""
    report = sel.staffing_check(actor=request.actor, path=path)
    return {
        "path": report.path,
        "name": report.name,
        "streets": [_line(s) for s in report.streets],
        "communities": [_line(c) for c in report.communities],
    }


class MediationKindOut(Schema):
    code: str
    name_zh: str
    name_en: str
    level: str = Field(description="community, street or expert: where such a dispute goes by default")
    active: bool


@router.get("/kinds", response=list[MediationKindOut])
def kinds(request):
    """The dispute kinds (the code table), inactive ones included."""
    if not request.actor.is_staff_member:
        return []
    return list(sel.kind_list().values("code", "name_zh", "name_en", "level", "active"))


class MediationKindIn(Schema):
    code: str
    name_zh: str
    name_en: str
    level: str


class MediationKindEditIn(Schema):
    name_zh: str
    name_en: str
    level: str


class MediationKindActiveIn(Schema):
    active: bool
    reason: str = Field("", description="required when deactivating")


def _kind(kind) -> dict:
    return {k: getattr(kind, k) for k in ("code", "name_zh", "name_en", "level", "active")}


@router.post("/kinds", response={201: MediationKindOut, **ERRORS})
def kind_create(request, payload: MediationKindIn):
    """Add a kind (MEDIATION_MANAGE at a district or the city)."""
    return Status(201, _kind(svc.kind_add(actor=request.actor, **payload.dict())))


@router.post("/kinds/{code}", response={200: MediationKindOut, **ERRORS})
def kind_update(request, code: str, payload: MediationKindEditIn):
    svc_kind = sel.kind_get(code=code)
    return _kind(svc.kind_edit(actor=request.actor, kind=svc_kind, **payload.dict()))


@router.post("/kinds/{code}/active", response={200: MediationKindOut, **ERRORS})
def kind_active(request, code: str, payload: MediationKindActiveIn):
    """Deactivate (with the reason) or reactivate a kind; never deleted."""
    found = sel.kind_get(code=code)
    return _kind(svc.kind_active_set(actor=request.actor, kind=found, **payload.dict()))
