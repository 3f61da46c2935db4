"""Stage burden over JSON, under `/api/v1/consultation/`: a district's lists (no log-in), the
certificates a community issued (masked names) and issuing one, departments' task requests
(their own; the district's to decide) and filing one. Parse → actor → one service or selector."""

import datetime as dt
from decimal import Decimal
from uuid import UUID

from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from linli.consultation.selectors import burden as sel
from linli.consultation.services import burden as svc
from linli.core.apitools import ErrorOut, Page
from linli.core.idempotency import idempotent

router = Router()
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class BurdenKindOut(Schema):
    id: int
    code: str
    name: str
    legal_basis: str
    since: dt.date
    city_row: bool = Field(description="a city row: it applies in every district")


class BurdenTaskOut(Schema):
    name: str
    department: str
    legal_basis: str
    funds_amount: Decimal | None


class BurdenListsOut(Schema):
    district: str
    as_of: dt.date
    certificates: list[BurdenKindOut]
    tasks: list[BurdenTaskOut]


@router.get("/burden-lists/{district}", auth=None, response={200: BurdenListsOut, 404: ErrorOut})
def lists(request, district: str):
    """A district's certificate and community task lists in force today. No log-in."""
    sel.district_public(district)
    today = timezone.localdate()
    kinds = [
        {
            "id": k.pk,
            "code": k.code,
            "name": k.name,
            "legal_basis": k.legal_basis,
            "since": k.since,
            "city_row": not k.path,
        }
        for k in sel.kinds_in_force(district, today)
    ]
    tasks = [
        {"name": t.name, "department": t.department_name, "legal_basis": t.legal_basis, "funds_amount": t.funds_amount}
        for t in sel.tasks_in_force(district, today)
    ]
    return {"district": district, "as_of": today, "certificates": kinds, "tasks": tasks}


class BurdenCertificateOut(Schema):
    id: UUID
    number: str
    path: str
    certificate: str
    subject: str = Field(description="the person, masked (张*国)")
    purpose: str
    issued_on: dt.date
    voided: bool


def _certificate(c) -> dict:
    return {
        "id": c.public_id,
        "number": c.number,
        "path": c.path,
        "certificate": c.kind.name,
        "subject": c.subject_shown,
        "purpose": c.purpose,
        "issued_on": c.issued_on,
        "voided": c.voided_at is not None,
    }


@router.get("/burden-certificates", response=list[BurdenCertificateOut])
@paginate(Page)
def certificates(request):
    """Certificates issued in your area (BURDEN_CERTIFY), newest first."""
    return [_certificate(c) for c in sel.certificate_list(actor=request.actor)]


class BurdenCertificateIn(Schema):
    path: str = Field(description="the community's division code")
    kind_id: int = Field(description="a certificate on the district's list (burden-lists)")
    purpose: str
    subject_ref: str = Field("", description="a resident's id in the pool, or")
    subject_name: str = Field("", description="the name typed (kept masked)")


@router.post("/burden-certificates", response={201: BurdenCertificateOut, **ERRORS})
def certificate_issue(request, payload: BurdenCertificateIn):
    """Issue a certificate of a listed kind (BURDEN_CERTIFY). Accepts an `Idempotency-Key`."""

    def create():
        made = svc.certificate_issue(actor=request.actor, data=svc.CertificateInput(**payload.model_dump()))
        return 201, BurdenCertificateOut(**_certificate(made)).model_dump(mode="json")

    return Status(*idempotent(request, create))


class BurdenRequestOut(Schema):
    id: UUID
    number: str
    district: str
    department: str
    title: str
    legal_basis: str
    funds_amount: Decimal
    funds_source: str
    state: str = Field(description="submitted, approved, refused or withdrawn")
    decision_reason: str


def _request(r) -> dict:
    return {
        "id": r.public_id,
        "number": r.number,
        "district": r.path,
        "department": r.department.name,
        "title": r.title,
        "legal_basis": r.legal_basis,
        "funds_amount": r.funds_amount,
        "funds_source": r.funds_source,
        "state": r.state,
        "decision_reason": r.decision_reason,
    }


@router.get("/burden-requests", response=list[BurdenRequestOut])
@paginate(Page)
def requests(request):
    """Your department's requests (BURDEN_REQUEST) or your district's (BURDEN_MANAGE)."""
    return [_request(r) for r in sel.request_list(actor=request.actor)]


class BurdenRequestIn(Schema):
    department_id: int
    title: str
    legal_basis: str
    work: str
    funds_amount: Decimal | None = Field(description="above zero: no funds, no task")
    funds_source: str


@router.post("/burden-requests", response={201: BurdenRequestOut, **ERRORS})
def request_file(request, payload: BurdenRequestIn):
    """Ask that communities take a task (BURDEN_REQUEST). Accepts an `Idempotency-Key`."""

    def create():
        made = svc.task_request_file(actor=request.actor, data=svc.RequestInput(**payload.model_dump()))
        return 201, BurdenRequestOut(**_request(made)).model_dump(mode="json")

    return Status(*idempotent(request, create))


class BurdenDecisionIn(Schema):
    approve: bool
    reason: str = ""


@router.post("/burden-requests/{uuid:public_id}/decision", response={200: BurdenRequestOut, **ERRORS})
def request_decide(request, public_id: UUID, payload: BurdenDecisionIn):
    """Approve (onto the task list) or refuse with a reason (BURDEN_MANAGE); 409 once decided."""
    entry = sel.request_get(actor=request.actor, public_id=public_id)
    return _request(svc.task_request_decide(actor=request.actor, request=entry, **payload.model_dump()))
