"""API of stage village (四议一审两公开), under `/api/v1/consultation/village/…`: the matters of
your area with their steps, proposing (Idempotency-Key), recording the next step (a failed meeting
is kept and answered 409 with the numbers in words), the town's review, withdrawing, the
major-matter list and the representatives' roll. Parse → actor → one service or selector → schema."""

import datetime as dt
from decimal import Decimal
from uuid import UUID

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from linli.consultation.selectors import village as sel
from linli.consultation.services import village as svc
from linli.core.apitools import ErrorOut, IsoDate, Page
from linli.core.idempotency import idempotent

router = Router(tags=["consultation"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class ConsultVillageStepOut(Schema):
    step: str = Field(description="propose, discuss, deliberate, resolve, review, publish_resolution, publish_result")
    round: int
    result: str = Field(description="done, passed, not_passed, no_quorum, approved, returned")
    held_on: dt.date
    assembly: str = Field(description="villagers or representatives (resolve only)")
    roll_total: int
    roll_households: int
    present: int
    households_present: int
    votes_for: int
    votes_against: int
    abstentions: int
    minutes: str
    adopted_text: str
    note: str = Field(description="the attendance and vote in words, or the town's reasons")
    public_until: dt.date | None


class ConsultVillageMatterOut(Schema):
    id: UUID
    number: str
    village: str = Field(description="the village's division code")
    kind: str = Field(description="the major-matter list's code")
    title: str
    amount: Decimal | None
    state: str = Field(description="open, returned, done, withdrawn")
    stage: str = Field(description="the last step done")
    next_step: str | None
    round: int


class ConsultVillageMatterDetailOut(ConsultVillageMatterOut):
    proposal: str
    steps: list[ConsultVillageStepOut]


def _matter(m) -> dict:
    return {
        "id": m.public_id,
        "number": m.number,
        "village": m.path,
        "kind": m.kind.code,
        "title": m.title,
        "amount": m.amount,
        "state": m.state,
        "stage": m.stage,
        "next_step": sel.upcoming_step(m),
        "round": m.round,
    }


def _detail(m) -> dict:
    return _matter(m) | {"proposal": m.proposal, "steps": sel.matter_steps(m)}


class ConsultVillageFilter(Schema):
    state: str = Field("", description="open, returned, done, withdrawn, live (open or returned); empty: all")


@router.get("/village/matters", response=list[ConsultVillageMatterOut])
@paginate(Page)
def matters(request, filters: Query[ConsultVillageFilter]):
    """The major matters of your area (CONSULT_VIEW, CONSULT_MANAGE or VILLAGE_REVIEW)."""
    return [_matter(m) for m in sel.matter_list(actor=request.actor, state=filters.state)]


@router.get("/village/matters/{uuid:public_id}", response={200: ConsultVillageMatterDetailOut, **ERRORS})
def matter(request, public_id: UUID):
    return _detail(sel.matter_get(actor=request.actor, public_id=public_id))


class ConsultVillageMatterIn(Schema):
    village: str = Field(description="the village's division code")
    kind_id: int = Field(description="a row of the major-matter list (GET /village/kinds)")
    title: str
    proposal: str
    amount: Decimal | None = None
    held_on: IsoDate | None = Field(None, description="the party branch's meeting; today when blank")


@router.post("/village/matters", response={201: ConsultVillageMatterDetailOut, **ERRORS})
def matter_create(request, payload: ConsultVillageMatterIn):
    """The party branch proposes (CONSULT_MANAGE in the village). Accepts an `Idempotency-Key`."""

    def create():
        data = svc.MatterInput(path=payload.village, **payload.dict(exclude={"village"}))
        found = svc.matter_propose(actor=request.actor, data=data)
        return 201, ConsultVillageMatterDetailOut(**_detail(found)).model_dump(mode="json")

    return Status(*idempotent(request, create))


class ConsultVillageStepIn(Schema):
    step: str = Field(
        description="the next step only (discuss, deliberate, resolve, publish_resolution, publish_result)"
    )
    held_on: IsoDate | None = None
    assembly: str = Field("", description="resolve: villagers or representatives")
    roll_total: int = Field(0, ge=0, description="deliberate: party members with a vote")
    present: int = Field(0, ge=0)
    households_present: int = Field(0, ge=0)
    votes_for: int = Field(0, ge=0)
    votes_against: int = Field(0, ge=0)
    abstentions: int = Field(0, ge=0)
    minutes: str = ""
    adopted_text: str = Field("", description="the text as adopted; for publish_result the result")
    public_until: IsoDate | None = None


@router.post("/village/matters/{uuid:public_id}/steps", response={201: ConsultVillageStepOut, **ERRORS})
def step_create(request, public_id: UUID, payload: ConsultVillageStepIn):
    """Record the next step (CONSULT_MANAGE). A meeting without quorum or a vote that fails is kept
    and answered 409 (`no_quorum`, `not_passed`) with the numbers in words; try again."""
    tried = svc.step_record(actor=request.actor, public_id=public_id, data=svc.StepInput(**payload.dict()))
    return 201, tried.step


class ConsultVillageReviewIn(Schema):
    approve: bool
    reasons: str = Field("", description="required when returning")


@router.post("/village/matters/{uuid:public_id}/review", response={200: ConsultVillageMatterDetailOut, **ERRORS})
def review(request, public_id: UUID, payload: ConsultVillageReviewIn):
    """The town approves or returns a resolved matter (VILLAGE_REVIEW over the village)."""
    return _detail(svc.matter_review(actor=request.actor, public_id=public_id, **payload.dict()))


class ConsultVillageWithdrawIn(Schema):
    reason: str
    confirmed: bool = Field(description="must be true: withdrawing cannot be undone")


@router.post("/village/matters/{uuid:public_id}/withdraw", response={200: ConsultVillageMatterOut, **ERRORS})
def withdraw(request, public_id: UUID, payload: ConsultVillageWithdrawIn):
    return _matter(svc.matter_withdraw(actor=request.actor, public_id=public_id, **payload.dict()))


class ConsultMajorKindOut(Schema):
    id: int
    path: str = Field(description="empty: the whole city; else the town's code")
    code: str
    name_zh: str
    name_en: str
    amount_over: Decimal | None
    active: bool


@router.get("/village/kinds", response=list[ConsultMajorKindOut])
def kinds(request):
    """The major-matter list: the city's rows and your towns'."""
    return list(sel.kind_list(actor=request.actor))


class ConsultVillageRepOut(Schema):
    id: int
    name: str
    since: dt.date
    until: dt.date | None


@router.get("/village/{village}/representatives", response={200: list[ConsultVillageRepOut], **ERRORS})
def representatives(request, village: str):
    """The village's representatives, those in office first."""
    reps = sel.representative_list(actor=request.actor, path=village, on=timezone.localdate())
    return [{"id": r.pk, "name": r.name_shown, "since": r.since, "until": r.until} for r in reps]
