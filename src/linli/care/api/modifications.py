"""Home modifications (适老化改造) over JSON: the applications of your area (list, read, record with
an Idempotency-Key, assess, the later steps), the standard items in force and the progress per
district. Parse → actor → one service or selector → schema. Photos go through the web pages."""

import datetime as dt
from decimal import Decimal
from uuid import UUID

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from linli.care.selectors.modifications import application_get, application_list, current_items, progress
from linli.care.services.modifications import (
    LineInput,
    application_apply,
    application_assess,
    application_close,
    application_confirm,
    application_pay,
    application_start,
)
from linli.core.apitools import ErrorOut, IsoDate, MappedRows, Page
from linli.core.errors import not_found
from linli.core.idempotency import idempotent

router = Router(tags=["care"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class CareModificationOut(Schema):
    id: UUID
    number: str
    state: str
    channel: str
    person_name: str
    path: str
    assess_due: dt.date | None
    total: Decimal | None
    subsidy: Decimal | None
    own_share: Decimal | None
    contractor_name: str
    works_start: dt.date | None
    works_finish: dt.date | None
    accepted_on: dt.date | None
    satisfaction: int | None
    paid_on: dt.date | None
    paid_amount: Decimal | None
    reason: str
    created_at: dt.datetime


FIELDS = tuple(f for f in CareModificationOut.model_fields if f != "id")


def _out(app) -> dict:
    return {"id": app.public_id} | {name: getattr(app, name) for name in FIELDS}


class CareModificationFilter(Schema):
    state: str = Field("", description="open, or one state (applied, assessed, confirmed, in_works, accepted, paid, …)")
    q: str = ""


@router.get("/modifications", response=list[CareModificationOut])
@paginate(Page)
def modifications(request, filters: Query[CareModificationFilter]):
    """Home modifications in your area."""
    return MappedRows(application_list(actor=request.actor, **filters.dict()), _out)


class CareModificationIn(Schema):
    person: str = Field(description="the elder's public id (a resident of your area, or one you care for)")
    note: str = ""
    from_candidates: bool = False


@router.post("/modifications", response={201: CareModificationOut, **ERRORS})
def modification_create(request, payload: CareModificationIn):
    """Record an application (a worker) or apply for an elder you care for (a resident). Accepts
    an `Idempotency-Key` header."""

    def create():
        app = application_apply(
            actor=request.actor, person_ref=payload.person, note=payload.note, from_candidates=payload.from_candidates
        )
        return 201, CareModificationOut(**_out(app)).model_dump(mode="json")

    return Status(*idempotent(request, create))


@router.get("/modifications/{uuid:public_id}", response={200: CareModificationOut, **ERRORS})
def modification_read(request, public_id: UUID):
    return _out(application_get(actor=request.actor, public_id=public_id))


class CareModificationLineIn(Schema):
    code: str
    quantity: str = Field(description="0.1 to 100, in the item's unit")
    note: str = ""


class CareModificationAssessIn(Schema):
    lines: list[CareModificationLineIn]
    note: str = ""


@router.post("/modifications/{uuid:public_id}/assessment", response={200: CareModificationOut, **ERRORS})
def modification_assess(request, public_id: UUID, payload: CareModificationAssessIn):
    """The home assessment's checklist; the before photos must already be on the application (the
    phone page takes them), else the answer names the photos field."""
    app = application_get(actor=request.actor, public_id=public_id)
    lines = [LineInput(line.code, line.quantity, line.note) for line in payload.lines]
    return _out(application_assess(actor=request.actor, application=app, lines=lines, photos=[], note=payload.note))


class CareModificationStepIn(Schema):
    note: str = Field("", description="confirm: how the family confirmed; refuse/withdraw: the reasons (required)")
    provider: str = Field("", description="start: a provider's public id, or give contractor")
    contractor: str = ""
    start: IsoDate | None = None
    finish: IsoDate | None = None
    amount: str = Field("", description="pay: the subsidy paid, at most the plan's")
    paid_on: IsoDate | None = None


@router.post("/modifications/{uuid:public_id}/steps/{action}", response={200: CareModificationOut, **ERRORS})
def modification_step(request, public_id: UUID, action: str, payload: CareModificationStepIn):
    """confirm, start, pay, refuse, withdraw (acceptance needs the after photos: the phone page)."""
    actor, app = request.actor, application_get(actor=request.actor, public_id=public_id)
    steps = {
        "confirm": lambda: application_confirm(actor=actor, application=app, note=payload.note),
        "start": lambda: application_start(
            actor=actor,
            application=app,
            provider_ref=payload.provider,
            contractor_name=payload.contractor,
            start=payload.start,
            finish=payload.finish,
        ),
        "pay": lambda: application_pay(actor=actor, application=app, amount=payload.amount, paid_on=payload.paid_on),
        "refuse": lambda: application_close(actor=actor, application=app, action="refuse", reason=payload.note),
        "withdraw": lambda: application_close(actor=actor, application=app, action="withdraw", reason=payload.note),
    }
    if action not in steps:
        raise not_found("操作", "Action")
    return _out(steps[action]())


class CareModificationItemOut(Schema):
    code: str
    group: str
    name: str
    name_en: str
    unit: str
    unit_en: str
    unit_price: Decimal
    basic: bool
    valid_from: dt.date


@router.get("/modification-items", response=list[CareModificationItemOut])
def modification_items(request):
    """The standard items and prices in force today (example values set by the city)."""
    return current_items(timezone.localdate())


class CareModificationDistrictOut(Schema):
    path: str
    name: str
    target: int
    done: int
    by_year: dict[int, int]


class CareModificationProgressOut(Schema):
    goal: int
    done: int
    districts: list[CareModificationDistrictOut]


@router.get("/modifications-progress", response={200: CareModificationProgressOut, **ERRORS})
def modification_progress(request):
    """Households modified (subsidy paid) per district and year against the targets."""
    data = progress(actor=request.actor)
    if data is None:
        raise not_found("进度", "Progress")
    return {"goal": data.goal, "done": data.done, "districts": [d.__dict__ for d in data.districts]}
