"""The roll, its reviews and the monthly payroll over JSON: the roll of your area (head masked),
one household with its changes, the reviews' recompute (Idempotency-Key) and confirmation, the
payrolls (generate with an Idempotency-Key, approve, the bank file masked unless revealed with a
reason). Parse → actor → one service or selector → schema."""

import datetime as dt
from decimal import Decimal
from uuid import UUID

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from linli.core.apitools import ErrorOut, IsoDate, MappedRows, Page
from linli.core.crypto import mask_name
from linli.core.idempotency import idempotent
from linli.welfare.selectors.roll import (
    open_reviews,
    payroll_get,
    payroll_list,
    payroll_totals,
    recipient_changes,
    recipient_get,
    recipient_list,
    review_get,
)
from linli.welfare.services import roll as services

router = Router(tags=["welfare roll"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class RecipientOut(Schema):
    id: UUID
    head: str = Field(description="the head's surname with the given name masked (张*明)")
    path: str
    assistance_class: str
    monthly_amount: Decimal
    members: int
    state: str
    paid_from: dt.date
    phase_out_until: dt.date | None
    stopped_on: dt.date | None
    next_review_on: dt.date
    account: str = Field(description="masked account number")


class RollChangeOut(Schema):
    id: UUID
    kind: str
    from_class: str
    to_class: str
    from_amount: Decimal
    to_amount: Decimal
    to_state: str
    effective_from: dt.date
    reason: str
    notice_number: str
    by: str
    at: dt.datetime


class RecipientDetailOut(RecipientOut):
    changes: list[RollChangeOut]


def _recipient(r) -> dict:
    return {
        "id": r.public_id,
        "head": mask_name(r.head_name),
        "path": r.path,
        "assistance_class": r.assistance_class,
        "monthly_amount": r.monthly_amount,
        "members": r.members,
        "state": r.state,
        "paid_from": r.paid_from,
        "phase_out_until": r.phase_out_until,
        "stopped_on": r.stopped_on,
        "next_review_on": r.next_review_on,
        "account": r.account_masked,
    }


def _change(c) -> dict:
    return {
        "id": c.public_id,
        "kind": c.kind,
        "from_class": c.from_class,
        "to_class": c.to_class,
        "from_amount": c.from_amount,
        "to_amount": c.to_amount,
        "to_state": c.to_state,
        "effective_from": c.effective_from,
        "reason": c.reason,
        "notice_number": c.notice_number,
        "by": c.actor_name,
        "at": c.at,
    }


class RollFilter(Schema):
    state: str = Field("", description="active, phasing_out, stopped; empty: on the roll (not stopped)")
    assistance_class: str = Field("", description="tekun, dibao, edge, rigid")
    under: str = Field("", description="an area's path within yours")


@router.get("", response=list[RecipientOut])
@paginate(Page)
def roll(request, filters: Query[RollFilter]):
    """Households on the roll in your area (workers, street officers, the county)."""
    return MappedRows(recipient_list(actor=request.actor, **filters.dict()), _recipient)


@router.get("/{uuid:public_id}", response={200: RecipientDetailOut, **ERRORS})
def recipient(request, public_id: UUID):
    found = recipient_get(actor=request.actor, public_id=public_id)
    return {**_recipient(found), "changes": [_change(c) for c in recipient_changes(found)]}


class StopIn(Schema):
    reason: str
    confirm: bool = Field(False, description="stopping cannot be undone: must be true")


@router.post("/{uuid:public_id}/stop", response={200: RecipientOut, **ERRORS})
def recipient_stop(request, public_id: UUID, payload: StopIn):
    """Stop a household's assistance from next month (the county): a reason and `confirm`."""
    found = recipient_get(actor=request.actor, public_id=public_id)
    return _recipient(
        services.recipient_stop(actor=request.actor, recipient=found, reason=payload.reason, confirm=payload.confirm)
    )


class RollReviewOut(Schema):
    id: UUID
    household: UUID
    head: str
    path: str
    on: dt.date
    current_class: str
    current_amount: Decimal
    proposed_class: str
    proposed_amount: Decimal
    outcome: str
    state: str


def _review(v) -> dict:
    return {
        "id": v.public_id,
        "household": v.recipient.public_id,
        "head": mask_name(v.recipient.head_name),
        "path": v.path,
        "on": v.on,
        "current_class": v.current_class,
        "current_amount": v.current_amount,
        "proposed_class": v.proposed_class,
        "proposed_amount": v.proposed_amount,
        "outcome": v.outcome,
        "state": v.state,
    }


@router.get("/reviews", response=list[RollReviewOut])
@paginate(Page)
def reviews(request, under: str = "", outcome: str = ""):
    """Proposals waiting for confirmation in your area."""
    return MappedRows(open_reviews(actor=request.actor, under=under, outcome=outcome), _review)


class RecomputeIn(Schema):
    scope: str = Field(description="an area's path within yours (a community, street, district or the city)")
    on: IsoDate = Field(description="the rules of this date")


class ReviewRunOut(Schema):
    id: UUID
    scope: str
    on: dt.date
    households: int
    differences: int
    seconds: float


@router.post("/reviews/compute", response={201: ReviewRunOut, **ERRORS})
def reviews_compute(request, payload: RecomputeIn):
    """Determine every household on the roll in the area again with the rules of the date and
    list the differences; nothing changes until confirmed. Accepts an `Idempotency-Key` header."""

    def create():
        run = services.review_recompute(actor=request.actor, scope=payload.scope, on=payload.on)
        body = ReviewRunOut(
            id=run.public_id,
            scope=run.scope_path,
            on=run.on,
            households=run.households,
            differences=run.differences,
            seconds=run.seconds,
        )
        return 201, body.model_dump(mode="json")

    return Status(*idempotent(request, create))


class ConfirmIn(Schema):
    reason: str
    confirm: bool = Field(False, description="needed when the outcome is a stop")


@router.post("/reviews/{uuid:public_id}/confirm", response={200: RollChangeOut, **ERRORS})
def review_confirm(request, public_id: UUID, payload: ConfirmIn):
    """Confirm a proposal with a reason: the roll changes from next month, the household is told."""
    found = review_get(actor=request.actor, public_id=public_id)
    return _change(
        services.review_confirm(actor=request.actor, review=found, reason=payload.reason, confirm=payload.confirm)
    )


class PayrollOut(Schema):
    id: UUID
    number: str
    district: str
    month: dt.date
    kind: str
    state: str
    households: int
    total: Decimal


class UnitTotalOut(Schema):
    street: str
    households: int
    members: int
    amount: Decimal


class PayrollDetailOut(PayrollOut):
    streets: list[UnitTotalOut]


def _payroll(p) -> dict:
    return {
        "id": p.public_id,
        "number": p.number,
        "district": p.district_path,
        "month": p.month,
        "kind": p.kind,
        "state": p.state,
        "households": p.households,
        "total": p.total,
    }


@router.get("/payrolls", response=list[PayrollOut])
@paginate(Page)
def payrolls(request):
    return MappedRows(payroll_list(actor=request.actor), _payroll)


@router.get("/payrolls/{uuid:public_id}", response={200: PayrollDetailOut, **ERRORS})
def payroll(request, public_id: UUID):
    """A payroll with its totals per street within your area."""
    found = payroll_get(actor=request.actor, public_id=public_id)
    totals = payroll_totals(actor=request.actor, payroll=found)
    return {
        **_payroll(found),
        "streets": [
            {"street": t.path, "households": t.households, "members": t.members, "amount": t.amount} for t in totals
        ],
    }


class GenerateIn(Schema):
    district: str = Field(description="a district's 6-digit path")
    month: IsoDate = Field(description="any day of the month")


@router.post("/payrolls", response={201: PayrollOut, **ERRORS})
def payroll_generate(request, payload: GenerateIn):
    """Generate (or generate again, while a draft) a district's payroll for a month from the roll
    (the county). Accepts an `Idempotency-Key` header."""

    def create():
        found = services.payroll_generate(actor=request.actor, district_path=payload.district, month=payload.month)
        return 201, PayrollOut(**_payroll(found)).model_dump(mode="json")

    return Status(*idempotent(request, create))


class ApproveIn(Schema):
    note: str = ""
    confirm: bool = Field(False, description="an approved payroll is frozen: must be true")


@router.post("/payrolls/{uuid:public_id}/approve", response={200: PayrollOut, **ERRORS})
def payroll_approve(request, public_id: UUID, payload: ApproveIn):
    found = payroll_get(actor=request.actor, public_id=public_id)
    return _payroll(
        services.payroll_approve(actor=request.actor, payroll=found, note=payload.note, confirm=payload.confirm)
    )


class ExportIn(Schema):
    format: str = Field("xlsx", description="xlsx or csv")
    reveal: bool = Field(False, description="full account numbers (WELFARE_REVEAL and a reason)")
    reason: str = ""


@router.post("/payrolls/{uuid:public_id}/export", response={200: None, **ERRORS})
def payroll_export(request, public_id: UUID, payload: ExportIn):
    """The bank file (layout in docs/assistance.md): masked account numbers unless `reveal` with a
    reason; every export is audited."""
    found = payroll_get(actor=request.actor, public_id=public_id)
    content, filename, content_type = services.payroll_export(
        actor=request.actor, payroll=found, file_format=payload.format, reveal=payload.reveal, reason=payload.reason
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
