"""Care services over JSON, stage children: the lists (scoped), a visit (Idempotency-Key), the
coverage figures, a harm report (Idempotency-Key; the answer is the receipt only) and the
restricted cases (CARE_PROTECT holders of the area; for anyone else they do not exist, 404).
Parse → actor → one service or selector → schema. Sealed texts leave only through a case read
with a reason."""

import datetime as dt
from uuid import UUID

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from linli.care.domain.children import CHILD_KINDS
from linli.care.selectors import children as sel
from linli.care.services import children as svc
from linli.core.apitools import ErrorOut, IsoDate, MappedRows, Page
from linli.core.idempotency import idempotent

router = Router(tags=["care"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class CareChildOut(Schema):
    id: str
    name: str
    groups: list[str] = Field(description="left_behind_child, child_in_difficulty, orphan_dispersed")
    community: str
    guardian_recorded: bool
    director: str
    last_visit: dt.date | None
    next_due: dt.date
    visit_status: str = Field(description="never, overdue, due_soon or on_time")
    flagged: bool = Field(description="no guardian or no children's director recorded")


def _child(row) -> dict:
    return {
        "id": row.public_id,
        "name": row.person.name,
        "groups": [k for k in row.person.care_kinds if k in CHILD_KINDS],
        "community": row.community_name,
        "guardian_recorded": row.has_guardian,
        "director": row.director.name if row.director else "",
        "last_visit": row.last_visit,
        "next_due": row.due,
        "visit_status": row.status,
        "flagged": row.flagged,
    }


class CareChildFilter(Schema):
    under: str = Field("", description="a community path inside your area")
    status: str = Field("", description="overdue (incl. never visited), due_soon or on_time")
    flagged: bool = False


@router.get("/children", response=list[CareChildOut])
@paginate(Page)
def children(request, filters: Query[CareChildFilter]):
    """The children on the lists in your area (CARE_CHILDREN)."""
    rows = sel.children_rows(actor=request.actor, today=timezone.localdate(), **filters.dict())
    return [_child(r) for r in rows]


class CareChildVisitIn(Schema):
    visited_on: IsoDate
    saw_child: bool
    guardian_present: bool
    school: str = Field(description="good, concern or serious")
    health: str = Field(description="good, concern or serious")
    safety: str = Field(description="good, concern or serious")
    needs: str = ""
    follow_up: str = ""
    notes: str = Field("", description="sealed; never in any answer")


class CareChildVisitOut(Schema):
    id: UUID
    visited_on: dt.date
    saw_child: bool
    guardian_present: bool
    school: str
    health: str
    safety: str


@router.post("/children/{uuid:public_id}/visits", response={201: CareChildVisitOut, **ERRORS})
def child_visit_create(request, public_id: UUID, payload: CareChildVisitIn):
    """Record a visit to a child on the lists. Accepts an `Idempotency-Key` header."""

    def create():
        visit = svc.child_visit_record(actor=request.actor, child_ref=public_id, data=svc.VisitInput(**payload.dict()))
        fields = {k: getattr(visit, k) for k in CareChildVisitOut.model_fields if k != "id"}
        out = CareChildVisitOut(id=visit.public_id, **fields)
        return 201, out.model_dump(mode="json")

    return Status(*idempotent(request, create))


class CareChildUnitOut(Schema):
    path: str
    name: str
    children: int
    visited: int


class CareChildCoverageOut(Schema):
    children: int
    visited: int
    rate: float
    communities: list[CareChildUnitOut]
    streets: list[CareChildUnitOut]


@router.get("/children/coverage", response={200: CareChildCoverageOut, **ERRORS})
def children_coverage(request, under: str = ""):
    """Children visited within their interval / all on the lists, per community and street."""
    found = sel.coverage(actor=request.actor, today=timezone.localdate(), under=under)
    return {
        "children": found.children,
        "visited": found.visited,
        "rate": round(found.rate, 4),
        "communities": [vars(r) for r in found.communities],
        "streets": [vars(r) for r in found.streets],
    }


class CareHarmReportIn(Schema):
    child: UUID = Field(description="the child's public id in the pool")
    seen: str = Field(description="what was seen or heard; sealed")


class CareHarmReceiptOut(Schema):
    receipt: str
    filed_at: dt.datetime
    received: bool = True


@router.post("/children/harm-reports", response={201: CareHarmReceiptOut, **ERRORS})
def harm_report_create(request, payload: CareHarmReportIn):
    """File a report of suspected harm (强制报告); the answer is the receipt only. Accepts an
    `Idempotency-Key` header."""

    def create():
        report = svc.harm_report_file(actor=request.actor, child_ref=payload.child, seen=payload.seen)
        return 201, CareHarmReceiptOut(receipt=report.receipt, filed_at=report.filed_at).model_dump(mode="json")

    return Status(*idempotent(request, create))


class CareHarmCaseOut(Schema):
    id: UUID
    receipt: str
    state: str
    filed_at: dt.datetime
    closed_at: dt.datetime | None


class CareHarmStateIn(Schema):
    state: str = Field("open", description="open or closed")


@router.get("/children/harm-cases", response=list[CareHarmCaseOut])
@paginate(Page)
def harm_cases(request, filters: Query[CareHarmStateIn]):
    """Restricted cases of your area (CARE_PROTECT); nothing of their content."""
    return MappedRows(sel.harm_case_list(actor=request.actor, state=filters.state), _case)


def _case(case) -> dict:
    return {
        "id": case.public_id,
        "receipt": case.receipt,
        "state": case.state,
        "filed_at": case.filed_at,
        "closed_at": case.closed_at,
    }


class CareHarmReasonIn(Schema):
    reason: str = Field(description="why you read the case; logged")


class CareHarmActionOut(Schema):
    kind: str
    note: str
    by: str
    at: dt.datetime


class CareHarmCaseReadOut(CareHarmCaseOut):
    child_name: str
    reporter: str
    seen: str
    actions: list[CareHarmActionOut]


@router.post("/children/harm-cases/{uuid:public_id}/read", response={200: CareHarmCaseReadOut, **ERRORS})
def harm_case_read(request, public_id: UUID, payload: CareHarmReasonIn):
    """Read a restricted case in clear (CARE_PROTECT; logged with the reason)."""
    view = svc.harm_case_open(actor=request.actor, public_id=public_id, reason=payload.reason)
    actions = [{"kind": a.kind, "note": note, "by": a.by_name, "at": a.at} for a, note in view.actions]
    return _case(view.case) | {
        "child_name": view.child_name,
        "reporter": view.case.reporter_name,
        "seen": view.seen,
        "actions": actions,
    }


class CareHarmActionIn(Schema):
    kind: str = Field(description="police, protection, referral or other")
    note: str


@router.post("/children/harm-cases/{uuid:public_id}/actions", response={201: CareHarmCaseOut, **ERRORS})
def harm_action_create(request, public_id: UUID, payload: CareHarmActionIn):
    """Record an action on a case. Accepts an `Idempotency-Key` header."""

    def create():
        action = svc.harm_action_record(actor=request.actor, public_id=public_id, kind=payload.kind, note=payload.note)
        return 201, CareHarmCaseOut(**_case(action.report)).model_dump(mode="json")

    return Status(*idempotent(request, create))


@router.post("/children/harm-cases/{uuid:public_id}/close", response={200: CareHarmCaseOut, **ERRORS})
def harm_case_close(request, public_id: UUID, payload: CareHarmReasonIn):
    """Close a case with the reason (sealed)."""
    return _case(svc.harm_case_close(actor=request.actor, public_id=public_id, reason=payload.reason))
