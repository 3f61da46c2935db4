"""Care services over JSON, stage statements (added to `/api/v1/care/` in `api/__init__.py`):
family care beds (list, read, register with an Idempotency-Key, end), provider figures, and the
monthly statements (list, read with lines, generate with an Idempotency-Key, add a visit,
approve, pay, correct). Parse → actor → one service or selector → schema. The bed's plan (care
needs) never leaves here."""

import datetime as dt
from decimal import Decimal
from uuid import UUID

from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from linli.care.selectors.statements import (
    area_provider_figures,
    bed_get,
    bed_list,
    figures_months,
    payable_providers,
    statement_get,
    statement_lines,
    statement_list,
)
from linli.care.services.statements import (
    BedInput,
    bed_end,
    bed_register,
    statement_approve,
    statement_correct,
    statement_generate,
    statement_pay,
    statement_visit_add,
)
from linli.core.apitools import ErrorOut, IsoDate, MappedRows, Page
from linli.core.errors import field_error, not_found, validation_failed
from linli.core.idempotency import idempotent

router = Router(tags=["care"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class CareBedOut(Schema):
    id: UUID
    number: str
    person_name: str
    path: str
    provider: str
    item_code: str
    visits_per_week: int
    started_on: dt.date
    ended_on: dt.date | None
    end_reason: str


def _bed(bed) -> dict:
    return {
        "id": bed.public_id,
        "number": bed.number,
        "person_name": bed.person_name,
        "path": bed.path,
        "provider": bed.provider.name,
        "item_code": bed.item.code,
        "visits_per_week": bed.visits_per_week,
        "started_on": bed.started_on,
        "ended_on": bed.ended_on,
        "end_reason": bed.end_reason,
    }


class CareBedIn(Schema):
    person: str = Field(description="the elder's public id (from the pool's search)")
    provider: str = Field(description="the provider's public id")
    visits_per_week: int | None = None
    plan: str = Field("", description="the service plan (care needs); kept sealed")
    started_on: IsoDate | None = None


class CareBedEndIn(Schema):
    reason: str = ""
    confirm: bool = False


@router.get("/beds", response=list[CareBedOut])
@paginate(Page)
def beds(request, active: bool = True):
    return MappedRows(bed_list(actor=request.actor, active_only=active), _bed)


@router.post("/beds", response={201: CareBedOut, **ERRORS})
def bed_create(request, payload: CareBedIn):
    """Register a family care bed (the entitlement check decides; this week's visits are made)."""

    def create():
        data = BedInput(payload.person, payload.provider, payload.visits_per_week, payload.plan, payload.started_on)
        bed = bed_register(actor=request.actor, data=data)
        return 201, CareBedOut(**_bed(bed_get(actor=request.actor, public_id=bed.public_id))).model_dump(mode="json")

    return Status(*idempotent(request, create))


@router.get("/beds/{uuid:public_id}", response={200: CareBedOut, **ERRORS})
def bed_read(request, public_id: UUID):
    return _bed(bed_get(actor=request.actor, public_id=public_id))


@router.post("/beds/{uuid:public_id}/end", response={200: CareBedOut, **ERRORS})
def bed_end_now(request, public_id: UUID, payload: CareBedEndIn):
    bed = bed_get(actor=request.actor, public_id=public_id)
    bed_end(actor=request.actor, bed=bed, reason=payload.reason, confirmed=payload.confirm)
    return _bed(bed_get(actor=request.actor, public_id=public_id))


class CareProviderMonthOut(Schema):
    provider: str
    month: str
    orders: int
    visits_due: int
    on_time_rate: float | None
    completion_rate: float | None
    missed: int
    rating_average: float | None
    bad_ratings: int
    bad_ratings_unanswered: int


@router.get("/providers/figures", response=list[CareProviderMonthOut])
def provider_figures(request):
    """Per provider per month (the last six) of the visits and orders in the actor's area."""
    rows = area_provider_figures(actor=request.actor, months=figures_months(timezone.localdate()))
    return [
        {
            "provider": r.provider_name,
            "month": f"{r.month:%Y-%m}",
            "orders": r.orders,
            "visits_due": r.due,
            "on_time_rate": r.on_time_rate,
            "completion_rate": r.completion_rate,
            "missed": r.missed,
            "rating_average": r.rating_avg,
            "bad_ratings": r.bad_ratings,
            "bad_ratings_unanswered": r.unanswered,
        }
        for r in rows
    ]


class CareStatementOut(Schema):
    id: UUID
    number: str
    provider: str
    month: str
    kind: str
    state: str
    lines: int
    government_total: Decimal
    resident_total: Decimal
    approved_at: dt.datetime | None
    paid_on: dt.date | None
    payment_ref: str


def _statement(s) -> dict:
    return {
        "id": s.public_id,
        "number": s.number,
        "provider": s.provider.name,
        "month": f"{s.month:%Y-%m}",
        "kind": s.kind,
        "state": s.state,
        "lines": s.line_count,
        "government_total": s.government_total,
        "resident_total": s.resident_total,
        "approved_at": s.approved_at,
        "paid_on": s.paid_on,
        "payment_ref": s.payment_ref,
    }


class CareStatementLineOut(Schema):
    visit: UUID
    date: dt.date
    person_name: str
    item_code: str
    item_name: str
    community: str
    government_pays: Decimal
    resident_pays: Decimal
    correction: bool
    reason: str


class CareStatementDetailOut(CareStatementOut):
    items: list[CareStatementLineOut]


class CareStatementIn(Schema):
    provider: str = Field(description="the provider's public id")
    month: str = Field(description="YYYY-MM", pattern=r"^\d{4}-\d{2}$")


class CareStatementVisitIn(Schema):
    visit: str


class CareStatementApproveIn(Schema):
    reason: str = ""
    confirm: bool = False


class CareStatementPayIn(Schema):
    paid_on: IsoDate | None = None
    reference: str = ""


class CareStatementCorrectIn(Schema):
    visit: str
    government: str = "0"
    resident: str = "0"
    reason: str = ""


@router.get("/statements", response=list[CareStatementOut])
@paginate(Page)
def statements(request, state: str = ""):
    return MappedRows(statement_list(actor=request.actor, state=state), _statement)


@router.post("/statements", response={201: CareStatementOut, **ERRORS})
def statement_create(request, payload: CareStatementIn):
    """Generate (or bring up to date) a provider's statement of a month from its verified visits."""

    def create():
        provider = next(
            (p for p in payable_providers(actor=request.actor) if str(p.public_id) == payload.provider), None
        )
        if provider is None:
            raise not_found("服务机构", "Provider")
        try:
            month = dt.date.fromisoformat(f"{payload.month}-01")
        except ValueError:
            raise validation_failed([field_error("month", "月份无效", "Not a month")]) from None
        statement = statement_generate(actor=request.actor, provider=provider, month=month)
        return 201, CareStatementOut(**_statement(statement)).model_dump(mode="json")

    return Status(*idempotent(request, create))


@router.get("/statements/{uuid:public_id}", response={200: CareStatementDetailOut, **ERRORS})
def statement_read(request, public_id: UUID):
    statement = statement_get(actor=request.actor, public_id=public_id)
    lines = [
        {
            "visit": line.visit_ref,
            "date": line.visit_on,
            "person_name": line.person_name,
            "item_code": line.item_code,
            "item_name": line.item_name,
            "community": line.community_name,
            "government_pays": line.government_pays,
            "resident_pays": line.resident_pays,
            "correction": line.is_correction,
            "reason": line.reason,
        }
        for line in statement_lines(statement)
    ]
    return _statement(statement) | {"items": lines}


@router.post("/statements/{uuid:public_id}/visits", response={200: CareStatementOut, **ERRORS})
def statement_add_visit(request, public_id: UUID, payload: CareStatementVisitIn):
    """Add one visit: refused, naming it, unless it is verified and not already paid."""
    statement = statement_get(actor=request.actor, public_id=public_id)
    statement_visit_add(actor=request.actor, statement=statement, visit_ref=payload.visit)
    return _statement(statement_get(actor=request.actor, public_id=public_id))


@router.post("/statements/{uuid:public_id}/approve", response={200: CareStatementOut, **ERRORS})
def statement_approve_now(request, public_id: UUID, payload: CareStatementApproveIn):
    statement = statement_get(actor=request.actor, public_id=public_id)
    statement_approve(actor=request.actor, statement=statement, reason=payload.reason, confirmed=payload.confirm)
    return _statement(statement_get(actor=request.actor, public_id=public_id))


@router.post("/statements/{uuid:public_id}/pay", response={200: CareStatementOut, **ERRORS})
def statement_pay_now(request, public_id: UUID, payload: CareStatementPayIn):
    statement = statement_get(actor=request.actor, public_id=public_id)
    statement_pay(actor=request.actor, statement=statement, paid_on=payload.paid_on, reference=payload.reference)
    return _statement(statement_get(actor=request.actor, public_id=public_id))


@router.post("/statements/{uuid:public_id}/corrections", response={200: CareStatementOut, **ERRORS})
def statement_correction(request, public_id: UUID, payload: CareStatementCorrectIn):
    """A correction after approval; answers with the supplementary statement it went on."""
    statement = statement_get(actor=request.actor, public_id=public_id)
    line = statement_correct(
        actor=request.actor,
        statement=statement,
        visit_ref=payload.visit,
        government=payload.government,
        resident=payload.resident,
        reason=payload.reason,
    )
    return _statement(statement_get(actor=request.actor, public_id=line.statement.public_id))
