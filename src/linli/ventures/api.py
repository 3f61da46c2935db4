"""Venture projects over JSON: calls (list, create, read, steps, ranking), applications (list,
create, read, submit, withdraw), a panel member's conflict declaration and scores, funding
decisions, projects with their milestones and spending. Parse → actor → one service or selector
→ schema; outside your scope an object is a 404. Creating endpoints accept an `Idempotency-Key`."""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from linli.core.apitools import ErrorOut, IsoDate, MappedRows, Page
from linli.core.errors import not_found
from linli.core.idempotency import idempotent
from linli.ventures.selectors import (
    application_get,
    application_list,
    call_get,
    call_list,
    call_ranking,
    is_panel_member,
    may_manage,
    project_get,
    project_list,
    project_milestones,
    project_spending,
)
from linli.ventures.services import (
    ApplicationInput,
    BudgetLineInput,
    CallInput,
    CriterionInput,
    application_decide,
    application_save,
    application_submit,
    application_withdraw,
    call_create,
    call_transition,
    conflict_declare,
    milestone_accept,
    milestone_add,
    milestone_report,
    review_score,
    spending_record,
)

router = Router(tags=["ventures"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# ---- calls ---------------------------------------------------------------------------------------


class CriterionIn(Schema):
    name: str
    name_en: str = ""
    weight: int = Field(description="percent; a call's weights add up to 100")
    max_score: int


class CallIn(Schema):
    kind: str = Field(description="venture (公益创投) or purchase (政府购买服务)")
    title: str
    unit: str = Field(description="path of the district or street running the call (in your area)")
    themes: list[str]
    total_budget: Decimal
    project_cap: Decimal
    opens_on: IsoDate
    deadline: IsoDate = Field(description="last day to apply (calendar days, Asia/Shanghai)")
    eligibility: str = ""
    criteria: list[CriterionIn]
    panel: list[str] = Field(description="usernames of the reviewers")


class CriterionOut(Schema):
    position: int
    name: str
    name_en: str
    weight: int
    max_score: int


class CallOut(Schema):
    id: UUID
    kind: str
    title: str
    unit: str
    themes: list[str]
    total_budget: Decimal
    project_cap: Decimal
    opens_on: date
    deadline: date
    eligibility: str
    state: str


class CallDetailOut(CallOut):
    criteria: list[CriterionOut]
    panel: list[str]


def _call(call) -> dict:
    return {
        "id": call.public_id,
        "unit": call.unit_path,
        **{name: getattr(call, name) for name in CallOut.model_fields if name not in ("id", "unit")},
    }


def _call_detail(call) -> dict:
    return _call(call) | {
        "criteria": list(call.criteria.values("position", "name", "name_en", "weight", "max_score")),
        "panel": list(call.panel.values_list("user__username", flat=True)),
    }


@router.get("/calls", response=list[CallOut])
@paginate(Page)
def calls(request, state: str = ""):
    """Calls you may see: a manager's area, the panels you sit on, or every published call for
    an organisation's account."""
    return MappedRows(call_list(actor=request.actor, state=state), _call)


@router.post("/calls", response={201: CallDetailOut, **ERRORS})
def call_new(request, payload: CallIn):
    """A new call in draft. Accepts an `Idempotency-Key` header."""

    def create():
        data = CallInput(
            kind=payload.kind,
            title=payload.title,
            unit_path=payload.unit,
            opens_on=payload.opens_on,
            deadline=payload.deadline,
            total_budget=payload.total_budget,
            project_cap=payload.project_cap,
            themes=payload.themes,
            eligibility=payload.eligibility,
            criteria=[CriterionInput(c.name, c.weight, c.max_score, c.name_en) for c in payload.criteria],
            panel=payload.panel,
        )
        call = call_create(actor=request.actor, data=data)
        return 201, CallDetailOut(**_call_detail(call)).model_dump(mode="json")

    return Status(*idempotent(request, create))


@router.get("/calls/{uuid:public_id}", response={200: CallDetailOut, **ERRORS})
def call(request, public_id: UUID):
    return _call_detail(call_get(actor=request.actor, public_id=public_id))


class CallStepIn(Schema):
    note: str = ""


@router.post("/calls/{uuid:public_id}/steps/{action}", response={200: CallOut, **ERRORS})
def call_step(request, public_id: UUID, action: str, payload: CallStepIn):
    """open, review (before the deadline: with a note), decide, close, cancel (with a note)."""
    found = call_get(actor=request.actor, public_id=public_id)
    return _call(call_transition(actor=request.actor, call=found, action=action, note=payload.note))


class RankOut(Schema):
    rank: int | None
    application: UUID
    title: str
    organisation: str
    mean: Decimal | None
    reviews: int
    conflicts: int
    requested: Decimal
    granted: Decimal | None
    state: str


@router.get("/calls/{uuid:public_id}/ranking", response={200: list[RankOut], **ERRORS})
def ranking(request, public_id: UUID):
    """Reviewed applications by their reviewers' mean weighted total (out of 100)."""
    found = call_get(actor=request.actor, public_id=public_id)
    if not (may_manage(request.actor, found) or is_panel_member(request.actor, found)):
        return []
    return [
        {
            "rank": r.rank or None,
            "application": r.application.public_id,
            "title": r.application.title,
            "organisation": r.application.org_name,
            "mean": r.mean,
            "reviews": r.reviews,
            "conflicts": r.conflicts,
            "requested": r.application.requested,
            "granted": r.application.granted,
            "state": r.application.state,
        }
        for r in call_ranking(found)
    ]


# ---- applications --------------------------------------------------------------------------------


class BudgetLineIn(Schema):
    item: str
    amount: Decimal


class ApplicationIn(Schema):
    call: UUID
    organisation: UUID = Field(description="public id of your organisation (partners)")
    title: str
    summary: str
    themes: list[str] = []
    beneficiaries_count: int
    beneficiaries_who: str
    outputs: str
    budget: list[BudgetLineIn]


class BudgetLineOut(Schema):
    item: str
    amount: Decimal


class ApplicationOut(Schema):
    id: UUID
    call: UUID
    organisation: UUID
    organisation_name: str
    title: str
    summary: str
    themes: list[str]
    beneficiaries_count: int
    beneficiaries_who: str
    outputs: str
    requested: Decimal
    state: str
    submitted_at: datetime | None
    granted: Decimal | None
    decision_reason: str
    budget: list[BudgetLineOut]


def _application(a) -> dict:
    return {
        "id": a.public_id,
        "call": a.call.public_id,
        "organisation": a.org_id,
        "organisation_name": a.org_name,
        "budget": [{"item": line.item, "amount": line.amount} for line in a.budget_lines.all()],
        **{
            name: getattr(a, name)
            for name in ApplicationOut.model_fields
            if name not in ("id", "call", "organisation", "organisation_name", "budget")
        },
    }


@router.get("/applications", response=list[ApplicationOut])
@paginate(Page)
def applications(request):
    """Your organisation's applications; a manager's area's submitted ones; your panels'."""
    return MappedRows(application_list(actor=request.actor).prefetch_related("budget_lines"), _application)


@router.post("/applications", response={201: ApplicationOut, **ERRORS})
def application_new(request, payload: ApplicationIn):
    """A draft application of your organisation to an open call, before its deadline. Accepts an
    `Idempotency-Key` header."""

    def create():
        found = call_get(actor=request.actor, public_id=payload.call)
        data = ApplicationInput(
            org_id=payload.organisation,
            title=payload.title,
            summary=payload.summary,
            themes=payload.themes,
            beneficiaries_count=payload.beneficiaries_count,
            beneficiaries_who=payload.beneficiaries_who,
            outputs=payload.outputs,
            budget=[BudgetLineInput(line.item, line.amount) for line in payload.budget],
        )
        saved = application_save(actor=request.actor, call=found, data=data)
        return 201, ApplicationOut(**_application(saved)).model_dump(mode="json")

    return Status(*idempotent(request, create))


@router.get("/applications/{uuid:public_id}", response={200: ApplicationOut, **ERRORS})
def application(request, public_id: UUID):
    return _application(application_get(actor=request.actor, public_id=public_id))


@router.post("/applications/{uuid:public_id}/submit", response={200: ApplicationOut, **ERRORS})
def application_submit_endpoint(request, public_id: UUID):
    found = application_get(actor=request.actor, public_id=public_id)
    return _application(application_submit(actor=request.actor, application=found))


class ReasonIn(Schema):
    reason: str


@router.post("/applications/{uuid:public_id}/withdraw", response={200: ApplicationOut, **ERRORS})
def application_withdraw_endpoint(request, public_id: UUID, payload: ReasonIn):
    found = application_get(actor=request.actor, public_id=public_id)
    return _application(application_withdraw(actor=request.actor, application=found, reason=payload.reason))


class ConflictIn(Schema):
    note: str = Field(description="what the conflict of interest is")


class ScoresIn(Schema):
    scores: dict[int, int] = Field(description="score per criterion position, 0 to its maximum")
    comment: str = ""


class ReviewOut(Schema):
    reviewer: str
    conflict: bool
    total: Decimal | None
    comment: str


def _review(r) -> dict:
    return {"reviewer": r.reviewer_name, "conflict": r.conflict, "total": r.total, "comment": r.comment}


@router.post("/applications/{uuid:public_id}/conflict", response={201: ReviewOut, **ERRORS})
def conflict(request, public_id: UUID, payload: ConflictIn):
    """A panel member declares a conflict of interest and is left out of scoring it."""
    found = application_get(actor=request.actor, public_id=public_id)
    return 201, _review(conflict_declare(actor=request.actor, application=found, note=payload.note))


@router.put("/applications/{uuid:public_id}/scores", response={200: ReviewOut, **ERRORS})
def scores(request, public_id: UUID, payload: ScoresIn):
    """Your scores on it (replacing earlier ones until the decisions are published); a score out
    of range is a 422 naming the criterion."""
    found = application_get(actor=request.actor, public_id=public_id)
    review = review_score(actor=request.actor, application=found, scores=dict(payload.scores), comment=payload.comment)
    return _review(review)


class FundingDecisionIn(Schema):
    fund: bool
    amount: Decimal | None = None
    reason: str = Field("", description="required when not funded")


@router.put("/applications/{uuid:public_id}/decision", response={200: ApplicationOut, **ERRORS})
def decision(request, public_id: UUID, payload: FundingDecisionIn):
    """Fund (up to the amount requested, the call's grants within its budget) or turn down."""
    found = application_get(actor=request.actor, public_id=public_id)
    decided = application_decide(
        actor=request.actor, application=found, fund=payload.fund, amount=payload.amount, reason=payload.reason
    )
    return _application(decided)


# ---- projects ------------------------------------------------------------------------------------


class ProjectOut(Schema):
    id: UUID
    call: UUID
    kind: str
    organisation: UUID
    organisation_name: str
    title: str
    grant: Decimal
    spent: Decimal
    beneficiaries_served: int
    year: int
    state: str
    evaluation_score: int | None
    grade: str


class MilestoneOut(Schema):
    id: int
    title: str
    due_on: date
    state: str
    report: str
    beneficiaries: int


class SpendingOut(Schema):
    amount: Decimal
    spent_on: date
    what: str
    receipt: bool


class ProjectDetailOut(ProjectOut):
    milestones: list[MilestoneOut]
    spending: list[SpendingOut]


def _project(p) -> dict:
    return {
        "id": p.public_id,
        "call": p.call.public_id,
        "kind": p.call.kind,
        "organisation": p.org_id,
        "organisation_name": p.org_name,
        **{
            name: getattr(p, name)
            for name in ProjectOut.model_fields
            if name not in ("id", "call", "kind", "organisation", "organisation_name")
        },
    }


def _project_detail(p) -> dict:
    return _project(p) | {
        "milestones": [
            {
                "id": m.pk,
                "title": m.title,
                "due_on": m.due_on,
                "state": m.state,
                "report": m.report,
                "beneficiaries": m.beneficiaries,
            }
            for m in project_milestones(p)
        ],
        "spending": [
            {"amount": s.amount, "spent_on": s.spent_on, "what": s.what, "receipt": s.receipt_id is not None}
            for s in project_spending(p)
        ],
    }


@router.get("/projects", response=list[ProjectOut])
@paginate(Page)
def projects(request, year: int | None = None):
    """Funded projects of your area, or your organisation's."""
    return MappedRows(project_list(actor=request.actor, year=year), _project)


@router.get("/projects/{uuid:public_id}", response={200: ProjectDetailOut, **ERRORS})
def project(request, public_id: UUID):
    return _project_detail(project_get(actor=request.actor, public_id=public_id))


class MilestoneIn(Schema):
    title: str
    due_on: IsoDate


@router.post("/projects/{uuid:public_id}/milestones", response={201: MilestoneOut, **ERRORS})
def milestone_new(request, public_id: UUID, payload: MilestoneIn):
    found = project_get(actor=request.actor, public_id=public_id)
    m = milestone_add(actor=request.actor, project=found, title=payload.title, due_on=payload.due_on)
    return 201, {"id": m.pk, "title": m.title, "due_on": m.due_on, "state": m.state, "report": "", "beneficiaries": 0}


def _milestone(found, milestone_id: int):
    match = next((m for m in project_milestones(found) if m.pk == milestone_id), None)
    if match is None:
        raise not_found("节点", "Milestone")
    return match


class ReportIn(Schema):
    report: str
    beneficiaries: int = Field(0, ge=0)


@router.post("/projects/{uuid:public_id}/milestones/{int:milestone_id}/report", response={200: MilestoneOut, **ERRORS})
def milestone_report_endpoint(request, public_id: UUID, milestone_id: int, payload: ReportIn):
    """The organisation reports a milestone done, with the people served."""
    found = project_get(actor=request.actor, public_id=public_id)
    m = milestone_report(
        actor=request.actor,
        milestone=_milestone(found, milestone_id),
        report=payload.report,
        beneficiaries=payload.beneficiaries,
    )
    return {k: getattr(m, k) for k in ("title", "due_on", "state", "report", "beneficiaries")} | {"id": m.pk}


class AcceptIn(Schema):
    accept: bool = True
    note: str = Field("", description="required to send it back")


@router.post("/projects/{uuid:public_id}/milestones/{int:milestone_id}/accept", response={200: MilestoneOut, **ERRORS})
def milestone_accept_endpoint(request, public_id: UUID, milestone_id: int, payload: AcceptIn):
    found = project_get(actor=request.actor, public_id=public_id)
    m = milestone_accept(
        actor=request.actor, milestone=_milestone(found, milestone_id), accept=payload.accept, note=payload.note
    )
    return {k: getattr(m, k) for k in ("title", "due_on", "state", "report", "beneficiaries")} | {"id": m.pk}


class SpendingIn(Schema):
    amount: Decimal
    spent_on: IsoDate
    what: str


@router.post("/projects/{uuid:public_id}/spending", response={201: SpendingOut, **ERRORS})
def spending_new(request, public_id: UUID, payload: SpendingIn):
    """One payment out of the grant (never more than the grant in total). Accepts an
    `Idempotency-Key` header."""

    def create():
        found = project_get(actor=request.actor, public_id=public_id)
        s = spending_record(
            actor=request.actor, project=found, amount=payload.amount, spent_on=payload.spent_on, what=payload.what
        )
        return 201, SpendingOut(amount=s.amount, spent_on=s.spent_on, what=s.what, receipt=False).model_dump(
            mode="json"
        )

    return Status(*idempotent(request, create))
