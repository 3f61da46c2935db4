"""Relief over JSON: temporary assistance (list, read, create on either path with an
Idempotency-Key, each later step), zero-employment households (list, search the pool, follow up,
close), job needs (create with an Idempotency-Key) and the zero-employment figures per unit.
Parse → actor → one service or selector → schema. The sealed facts never leave here."""

import datetime as dt
from decimal import Decimal
from uuid import UUID

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from linli.core.apitools import ErrorOut, IsoDate, MappedRows, Page
from linli.core.idempotency import idempotent
from linli.welfare.selectors.relief import (
    temporary_get,
    temporary_list,
    zero_case_get,
    zero_case_list,
    zero_figures,
)
from linli.welfare.services.relief import (
    TempInput,
    job_need_record,
    temporary_act,
    temporary_fast_pay,
    temporary_record,
    zero_close,
    zero_find,
    zero_follow,
)

router = Router(tags=["welfare"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class TemporaryOut(Schema):
    id: UUID
    number: str
    route: str
    state: str
    person_name: str
    person_id_masked: str
    path: str
    event: str
    event_on: dt.date
    form: str
    amount_asked: Decimal
    amount_granted: Decimal | None
    granted_on: dt.date | None
    paperwork_due: dt.date | None
    refusal_reason: str
    created_at: dt.datetime


def _temporary(item) -> dict:
    return {
        "id": item.public_id,
        "number": item.number,
        "route": item.route,
        "state": item.state,
        "person_name": item.person_name,
        "person_id_masked": item.person_id_masked,
        "path": item.path,
        "event": item.event,
        "event_on": item.event_on,
        "form": item.form,
        "amount_asked": item.amount_asked,
        "amount_granted": item.amount_granted,
        "granted_on": item.granted_on,
        "paperwork_due": item.paperwork_due,
        "refusal_reason": item.refusal_reason,
        "created_at": item.created_at,
    }


class TemporaryFilter(Schema):
    state: str = Field("", description="open, or one state (recorded, reviewed, granted, refused, paid_first, …)")
    q: str = ""


@router.get("/temporary", response=list[TemporaryOut])
@paginate(Page)
def temporary(request, filters: Query[TemporaryFilter]):
    """Temporary assistance in your area (who takes its steps)."""
    return MappedRows(temporary_list(actor=request.actor, **filters.dict()), _temporary)


class TemporaryIn(Schema):
    route: str = Field("ordinary", description="ordinary (the community records) or fast (the street pays first)")
    person: str = Field("", description="a resident's public id; empty for someone not registered here")
    outsider_name: str = ""
    outsider_id_number: str = Field("", description="kept masked only")
    community: str = Field("", description="community path for someone not registered here")
    event: str = Field(description="illness, accident, disaster, fire, stranded or other")
    event_on: IsoDate | None = None
    amount_asked: str
    form: str = "cash"
    facts: str = Field(description="the hardship; sealed, never in any answer")
    amount: str = Field("", description="fast path: the amount paid first")
    note: str = ""


@router.post("/temporary", response={201: TemporaryOut, **ERRORS})
def temporary_create(request, payload: TemporaryIn):
    """Record temporary assistance, or pay first on the fast path (先行救助). Accepts an
    `Idempotency-Key` header."""

    def create():
        data = TempInput(
            event=payload.event,
            event_on=payload.event_on,
            amount_asked=payload.amount_asked,
            facts=payload.facts,
            person=payload.person,
            outsider_name=payload.outsider_name,
            outsider_id_number=payload.outsider_id_number,
            community=payload.community,
            form=payload.form,
        )
        if payload.route == "fast":
            item = temporary_fast_pay(actor=request.actor, data=data, amount=payload.amount, note=payload.note)
        else:
            item = temporary_record(actor=request.actor, data=data)
        return 201, TemporaryOut(**_temporary(item)).model_dump(mode="json")

    return Status(*idempotent(request, create))


@router.get("/temporary/{uuid:public_id}", response={200: TemporaryOut, **ERRORS})
def temporary_read(request, public_id: UUID):
    return _temporary(temporary_get(actor=request.actor, public_id=public_id))


class ReliefStepIn(Schema):
    note: str = Field("", description="reasons for a refusal; the materials for `complete`")
    amount: str = Field("", description="`grant`: the amount granted")


@router.post("/temporary/{uuid:public_id}/steps/{action}", response={200: TemporaryOut, **ERRORS})
def temporary_step(request, public_id: UUID, action: str, payload: ReliefStepIn):
    """pass / street_refuse (the street), grant / refuse / confirm (the district), complete (the
    community, after a payment first)."""
    item = temporary_get(actor=request.actor, public_id=public_id)
    return _temporary(
        temporary_act(actor=request.actor, assistance=item, action=action, note=payload.note, amount=payload.amount)
    )


class ZeroCaseOut(Schema):
    id: UUID
    household: UUID
    path: str
    head_name: str
    state: str
    found_on: dt.date
    last_follow_up_on: dt.date | None
    closed_on: dt.date | None
    closed_how: str


def _case(case) -> dict:
    return {
        "id": case.public_id,
        "household": case.household_ref,
        "path": case.path,
        "head_name": case.head_name,
        "state": case.state,
        "found_on": case.found_on,
        "last_follow_up_on": case.last_follow_up_on,
        "closed_on": case.closed_on,
        "closed_how": case.closed_how,
    }


@router.get("/zero-employment", response=list[ZeroCaseOut])
@paginate(Page)
def zero_cases(request, state: str = "open"):
    """Zero-employment households of your area (WELFARE_EMPLOYMENT)."""
    return MappedRows(zero_case_list(actor=request.actor, state=state), _case)


@router.post("/zero-employment/search", response={200: list[ZeroCaseOut], **ERRORS})
def zero_search(request):
    """Search the pool of your area; opens a case for each new zero-employment household."""
    return [_case(c) for c in zero_find(actor=request.actor)]


class FollowIn(Schema):
    kind: str = Field(description="visit, job_offer, training, placement or note")
    on: IsoDate | None = None
    note: str = ""


@router.post("/zero-employment/{uuid:public_id}/follow-ups", response={200: ZeroCaseOut, **ERRORS})
def zero_follow_up(request, public_id: UUID, payload: FollowIn):
    case = zero_case_get(actor=request.actor, public_id=public_id)
    return _case(zero_follow(actor=request.actor, case=case, kind=payload.kind, on=payload.on, note=payload.note))


class ZeroCloseIn(Schema):
    how: str = Field(description="post, job or household_changed")
    reason: str


@router.post("/zero-employment/{uuid:public_id}/close", response={200: ZeroCaseOut, **ERRORS})
def zero_case_close(request, public_id: UUID, payload: ZeroCloseIn):
    case = zero_case_get(actor=request.actor, public_id=public_id)
    return _case(zero_close(actor=request.actor, case=case, how=payload.how, reason=payload.reason))


class JobNeedIn(Schema):
    person: str
    kind: str = Field(description="job or training")
    wish: str


class JobNeedOut(Schema):
    id: UUID
    kind: str
    state: str
    person_name: str
    wish: str


@router.post("/job-needs", response={201: JobNeedOut, **ERRORS})
def job_need_create(request, payload: JobNeedIn):
    """Record a resident's job or training need. Accepts an `Idempotency-Key` header."""

    def create():
        need = job_need_record(actor=request.actor, person=payload.person, kind=payload.kind, wish=payload.wish)
        out = JobNeedOut(
            id=need.public_id, kind=need.kind, state=need.state, person_name=need.person_name, wish=need.wish
        )
        return 201, out.model_dump(mode="json")

    return Status(*idempotent(request, create))


class UnitOut(Schema):
    path: str
    name: str
    found: int
    followed: int
    resolved: int
    open_now: int


class ZeroFiguresOut(Schema):
    under: str
    name: str
    total: UnitOut
    units: list[UnitOut]
    placements_open: int


@router.get("/figures/zero-employment", response={200: ZeroFiguresOut, **ERRORS})
def figures(request, under: str = ""):
    """Zero-employment households per unit under `under` (your area by default): counts only."""
    data = zero_figures(actor=request.actor, under=under)
    return {
        "under": data.under,
        "name": data.under_name,
        "total": data.total.__dict__,
        "units": [u.__dict__ for u in data.units],
        "placements_open": data.placements_open,
    }
