"""Social-assistance applications over JSON: the list of your area (queues), one application, a
new one taken at home (an application at the window comes from the desk's acceptance), the
household's facts, and each step. Creating endpoints accept an `Idempotency-Key`. Parse → actor
→ one service or selector → schema; a refusal is the API's error shape (422 naming the field,
409 for a step not allowed now, 404 outside your area)."""

import datetime as dt
from decimal import Decimal
from uuid import UUID

from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from linli.core.apitools import ErrorOut, IsoDate, Page
from linli.core.idempotency import idempotent
from linli.welfare.selectors.applications import (
    application_actions,
    application_get,
    application_list,
    queue_filter,
    queues_for,
)
from linli.welfare.services.applications import (
    FactsInput,
    IncomeInput,
    MemberInput,
    application_approve,
    application_check_record,
    application_county_return,
    application_create,
    application_record,
    application_refuse,
    application_request_check,
    application_street_pass,
    application_street_refuse,
    application_street_return,
    application_survey_record,
    application_withdraw,
    objection_record,
)

router = Router(tags=["welfare"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class AssistanceApplicationOut(Schema):
    id: UUID
    number: str
    state: str
    applied_class: str
    head_name: str
    applicant_id_masked: str
    community: str
    desk_case: str
    proposed_class: str
    proposed_amount: Decimal | None
    notice_from: dt.date | None
    notice_until: dt.date | None
    decided_on: dt.date | None
    decided_class: str
    decided_amount: Decimal | None
    refusal_notice_due: dt.date | None
    actions: list[str] = Field(description="the steps you may take now")


def _out(app, actor) -> dict:
    determination = app.determination
    return {
        "id": app.public_id,
        "number": app.number,
        "state": app.state,
        "applied_class": app.applied_class,
        "head_name": app.head_name,
        "applicant_id_masked": app.applicant_id_masked,
        "community": app.community_name,
        "desk_case": app.desk_case_number,
        "proposed_class": app.proposed_class,
        "proposed_amount": app.proposed_amount,
        "notice_from": app.notice_from,
        "notice_until": app.notice_until,
        "decided_on": app.decided_on,
        "decided_class": determination.assistance_class if determination else "",
        "decided_amount": determination.monthly_amount if determination else None,
        "refusal_notice_due": app.refusal_notice_due,
        "actions": application_actions(actor=actor, app=app, today=timezone.localdate()),
    }


class ApplicationRow(Schema):
    id: UUID
    number: str
    state: str
    applied_class: str
    head_name: str
    community: str
    created_at: dt.datetime


class ListFilter(Schema):
    queue: str = Field("", description="recording, checking, surveying, street_review, notice or county")
    state: str = ""


@router.get("/applications", response=list[ApplicationRow])
@paginate(Page)
def applications(request, filters: Query[ListFilter]):
    """Applications of households in your area, newest first; a queue of your role's steps."""
    actor = request.actor
    apps = application_list(actor=actor).select_related(None)
    queue = next((q for q in queues_for(actor) if q.key == filters.queue), None)
    if queue is not None:
        apps = queue_filter(apps, queue, timezone.localdate())
    elif filters.state:
        apps = apps.filter(state=filters.state)
    return [
        {
            "id": a.public_id,
            "number": a.number,
            "state": a.state,
            "applied_class": a.applied_class,
            "head_name": a.head_name,
            "community": a.community_name,
            "created_at": a.created_at,
        }
        for a in apps.order_by("-created_at", "-pk")[:500]
    ]


class CreateIn(Schema):
    applicant: UUID = Field(description="the resident's public id (a resident of your community)")
    applied_class: str = Field(description="tekun, dibao, edge or rigid")


@router.post("/applications", response={201: AssistanceApplicationOut, **ERRORS})
def application_new(request, payload: CreateIn):
    """Take an application at home (入户受理). Accepts an `Idempotency-Key` header."""

    def create():
        app = application_create(
            actor=request.actor, applicant_ref=str(payload.applicant), applied_class=payload.applied_class
        )
        return 201, AssistanceApplicationOut(**_out(app, request.actor)).model_dump(mode="json")

    return Status(*idempotent(request, create))


@router.get("/applications/{key}", response={200: AssistanceApplicationOut, **ERRORS})
def application_read(request, key: str):
    """One application by id or number."""
    return _out(application_get(actor=request.actor, key=key), request.actor)


class IncomeIn(Schema):
    source: str
    monthly: str = Field(description="yuan a month, e.g. 1200.50")


class MemberIn(Schema):
    ref: str = Field("", description="the resident's public id; empty for a member not in the pool")
    name: str = ""
    birth_date: IsoDate | None = None
    sex: str = ""
    relation: str = ""
    disability_level: str = ""
    serious_illness: bool = False
    in_school: bool = False
    able_to_work: bool = True
    employed: bool = False
    care_need: str = ""
    incomes: list[IncomeIn] = []


class FactsIn(Schema):
    area: str = "urban"
    members: list[MemberIn]
    head_ref: str = ""
    deposits: str = "0"
    vehicles: int = 0
    vehicle_value: str = "0"
    homes: int = 1
    medical_costs: str = "0"
    education_costs: str = "0"
    disability_costs: str = "0"
    has_able_supporter: bool = False
    materials: dict[str, bool] = {}


@router.put("/applications/{key}/facts", response={200: AssistanceApplicationOut, **ERRORS})
def application_facts_put(request, key: str, payload: FactsIn):
    """Record (or correct) the household's facts; a problem is a 422 naming the member and field."""
    app = application_get(actor=request.actor, key=key)
    data = payload.dict()
    members = [
        MemberInput(**{**m, "incomes": [IncomeInput(**i) for i in m.pop("incomes")]}) for m in data.pop("members")
    ]
    app = application_record(actor=request.actor, application=app, data=FactsInput(members=members, **data))
    return _out(app, request.actor)


class ApplicationStepIn(Schema):
    result: str = Field("", description="record_check: consistent or discrepancy")
    note: str = ""
    reasons: str = Field("", description="street_return, street_refuse, county_return, refuse, withdraw")
    confirm: bool = Field(False, description="withdraw: true to confirm")
    surveyed_on: IsoDate | None = None
    second_worker: str = ""
    conditions: list[str] = []
    findings: str = ""
    text: str = Field("", description="objection: what was raised")
    received_on: IsoDate | None = None


STEPS = {
    "request_check": lambda a, app, p: application_request_check(actor=a, application=app),
    "record_check": lambda a, app, p: application_check_record(actor=a, application=app, result=p.result, note=p.note),
    "record_survey": lambda a, app, p: application_survey_record(
        actor=a,
        application=app,
        surveyed_on=p.surveyed_on,
        second_worker=p.second_worker,
        conditions=p.conditions,
        findings=p.findings,
    ),
    "street_pass": lambda a, app, p: application_street_pass(actor=a, application=app, opinion=p.note),
    "street_return": lambda a, app, p: application_street_return(actor=a, application=app, reasons=p.reasons),
    "street_refuse": lambda a, app, p: application_street_refuse(actor=a, application=app, reasons=p.reasons),
    "county_return": lambda a, app, p: application_county_return(actor=a, application=app, reasons=p.reasons),
    "approve": lambda a, app, p: application_approve(actor=a, application=app, note=p.note),
    "refuse": lambda a, app, p: application_refuse(actor=a, application=app, reasons=p.reasons),
    "withdraw": lambda a, app, p: application_withdraw(actor=a, application=app, reason=p.reasons, confirm=p.confirm),
}


@router.post("/applications/{key}/steps/{action}", response={200: AssistanceApplicationOut, **ERRORS})
def application_step(request, key: str, action: str, payload: ApplicationStepIn):
    """Take one step: request_check, record_check, record_survey, street_pass, street_return,
    street_refuse, county_return, approve (only after the notice ended), refuse, withdraw, or
    objection (records an objection during the notice)."""
    from linli.core.errors import not_found

    app = application_get(actor=request.actor, key=key)
    if action == "objection":
        objection_record(actor=request.actor, application=app, text=payload.text, received_on=payload.received_on)
        app.refresh_from_db()
        return _out(app, request.actor)
    call = STEPS.get(action)
    if call is None:
        raise not_found("操作", "Action")
    return _out(call(request.actor, app, payload), request.actor)
