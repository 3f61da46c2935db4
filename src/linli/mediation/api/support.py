"""Safe community over JSON, stage support (`/api/v1/mediation/support/…`): the restricted
support cases with the pages' rules. For a client who may not read a case it does not exist (404),
and the list itself is a 404 for a client who holds no kind and is assigned no case — never an
empty count. Lists carry no name; a case's content leaves only through a read with a reason
(logged). A lead's answer is its receipt only. Creating endpoints accept an `Idempotency-Key`."""

import datetime as dt
from uuid import UUID

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from linli.core.apitools import ErrorOut, IsoDate, MappedRows, Page
from linli.core.errors import not_found
from linli.core.idempotency import idempotent
from linli.mediation.selectors import support as sel
from linli.mediation.services import support as svc

router = Router(tags=["mediation"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class MediationSupportCaseOut(Schema):
    id: UUID
    number: str
    kind: str = Field(description="domestic_violence, corrections, drug_rehab, released or counselling")
    community: str = Field(description="the community's path")
    state: str = Field(description="open or closed")
    opened_on: dt.date
    until: dt.date | None
    closed_on: dt.date | None
    assigned: str = Field(description="the assigned worker's name, or empty")


def _case(case) -> dict:
    return {
        "id": case.public_id,
        "number": case.number,
        "kind": case.kind,
        "community": case.path,
        "state": case.state,
        "opened_on": case.opened_on,
        "until": case.until,
        "closed_on": case.closed_on,
        "assigned": case.assigned_name,
    }


class MediationSupportFilter(Schema):
    kind: str = ""
    state: str = Field("", description="open or closed; empty for both")


@router.get("/support/cases", response={200: list[MediationSupportCaseOut], 404: ErrorOut})
@paginate(Page)
def support_cases(request, filters: Query[MediationSupportFilter]):
    """The restricted cases you may read (no names)."""
    if not sel.may_read_any(request.actor):
        raise not_found("个案", "Case")
    return MappedRows(sel.support_case_list(actor=request.actor, kind=filters.kind, state=filters.state), _case)


class MediationSupportCaseIn(Schema):
    kind: str
    person: str = Field("", description="a resident's public id, or give name and community")
    name: str = ""
    community: str = Field("", description="the community's path, when the person is not from the pool")
    plan: str = ""
    opened_on: IsoDate | None = Field(None, description="when support began, if before today (past year)")
    until: IsoDate | None = None
    assigned: str = Field("", description="username of a staff account of the area")


@router.post("/support/cases", response={201: MediationSupportCaseOut, **ERRORS})
def support_case_create(request, payload: MediationSupportCaseIn):
    """Open a restricted case (holders of the kind's permission in their area)."""

    def create():
        data = svc.SupportCaseInput(
            kind=payload.kind,
            path=payload.community,
            person_ref=payload.person,
            name=payload.name,
            plan=payload.plan,
            until=payload.until,
            assigned=payload.assigned,
            opened_on=payload.opened_on,
        )
        case = svc.support_case_open(actor=request.actor, data=data)
        return 201, MediationSupportCaseOut(**_case(case)).model_dump(mode="json")

    return Status(*idempotent(request, create))


class MediationSupportReasonIn(Schema):
    reason: str = Field(description="why you read the case; logged")


class MediationSupportEntryOut(Schema):
    kind: str = Field(description="visit, talk, report, plan or note")
    on: dt.date
    note: str
    by: str


class MediationSupportCaseReadOut(MediationSupportCaseOut):
    person_name: str
    plan: str
    close_reason: str
    entries: list[MediationSupportEntryOut]


@router.post("/support/cases/{uuid:public_id}/read", response={200: MediationSupportCaseReadOut, **ERRORS})
def support_case_read(request, public_id: UUID, payload: MediationSupportReasonIn):
    """Read a case in clear (logged with the reason)."""
    view = svc.support_case_read(actor=request.actor, public_id=public_id, reason=payload.reason)
    entries = [{"kind": e.kind, "on": e.on, "note": note, "by": e.by_name} for e, note in view.entries]
    return _case(view.case) | {
        "person_name": view.person_name,
        "plan": view.plan,
        "close_reason": view.close_reason,
        "entries": entries,
    }


class MediationSupportEntryIn(Schema):
    kind: str = Field(description="visit, talk, report, plan or note")
    on: IsoDate
    note: str


@router.post("/support/cases/{uuid:public_id}/entries", response={201: MediationSupportCaseOut, **ERRORS})
def support_entry_create(request, public_id: UUID, payload: MediationSupportEntryIn):
    """Record a visit, talk, report, plan or note (holders and the assigned worker)."""

    def create():
        entry = svc.support_entry_add(
            actor=request.actor, public_id=public_id, kind=payload.kind, on=payload.on, note=payload.note
        )
        return 201, MediationSupportCaseOut(**_case(entry.case)).model_dump(mode="json")

    return Status(*idempotent(request, create))


class MediationSupportAssignIn(Schema):
    username: str


@router.post("/support/cases/{uuid:public_id}/assign", response={200: MediationSupportCaseOut, **ERRORS})
def support_case_assign(request, public_id: UUID, payload: MediationSupportAssignIn):
    """Assign the staff worker who reads the case besides the holders (holders only)."""
    return _case(svc.support_assign(actor=request.actor, public_id=public_id, username=payload.username))


class MediationSupportCloseIn(Schema):
    reason: str = Field(description="kept sealed")
    confirmed: bool = Field(False, description="must be true: closing cannot be undone")


@router.post("/support/cases/{uuid:public_id}/close", response={200: MediationSupportCaseOut, **ERRORS})
def support_case_close(request, public_id: UUID, payload: MediationSupportCloseIn):
    """Close a case with the reason (holders only)."""
    case = svc.support_case_close(
        actor=request.actor, public_id=public_id, reason=payload.reason, confirmed=payload.confirmed
    )
    return _case(case)


class MediationSupportLeadIn(Schema):
    person: str = Field("", description="a resident's public id, or give name and community")
    name: str = ""
    community: str = ""
    what_was_seen: str


class MediationSupportReceiptOut(Schema):
    number: str
    filed_at: dt.datetime
    received: bool = True


@router.post("/support/leads", response={201: MediationSupportReceiptOut, **ERRORS})
def support_lead_create(request, payload: MediationSupportLeadIn):
    """File a domestic-violence lead (any staff worker of the community); the answer is the
    receipt only."""

    def create():
        case = svc.support_lead_file(
            actor=request.actor,
            path=payload.community,
            person_ref=payload.person,
            name=payload.name,
            what_was_seen=payload.what_was_seen,
        )
        receipt = MediationSupportReceiptOut(number=case.number, filed_at=case.created_at)
        return 201, receipt.model_dump(mode="json")

    return Status(*idempotent(request, create))


@router.get("/support/receipts", response=list[MediationSupportReceiptOut])
def support_receipts(request):
    """Your own leads' receipts: number, when, received — nothing of the case."""
    return [
        {"number": r.number, "filed_at": r.filed_at, "received": True} for r in sel.my_receipts(actor=request.actor)
    ]
