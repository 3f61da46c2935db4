"""Safe community over JSON, stage reasoning (`/api/v1/mediation/reasoning…`): my cases, starting
one (Idempotency-Key; the answer carries the invitation code), joining by code, one case with its
posts (the sides and the community's reasoners and mediators), posting, proposals, accepting,
closing, turning formal, publish consent and publishing; the area's summaries for staff; the
published examples for anyone. Parse → actor → one service or selector → schema."""

import datetime as dt
from uuid import UUID

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from linli.core.apitools import ErrorOut, Page
from linli.core.errors import field_error, not_found, validation_failed
from linli.core.idempotency import idempotent
from linli.mediation.selectors import reasoning as sel
from linli.mediation.services import reasoning as svc

router = Router()
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class MediationReasoningOut(Schema):
    id: UUID
    title: str
    kind: str = Field(description="the dispute kind's code")
    state: str = Field(description="invited, open, settled, formal, lapsed or closed")
    created_at: dt.datetime
    updated_at: dt.datetime


class MediationReasoningPostOut(Schema):
    id: int
    role: str = Field(description="starter, other, reasoner or mediator")
    author: str
    text: str
    proposal: bool
    accepted_by: list[str] = Field(description="the sides that accepted this proposal: starter, other")
    at: dt.datetime


class MediationReasoningDetailOut(MediationReasoningOut):
    my_side: str = Field(description="starter, other or empty")
    my_role: str = Field(description="reasoner, mediator or empty")
    code: str = Field(description="the invitation code: only for the starter while the invitation is open")
    invite_until: dt.date | None
    starter_publishes: bool
    other_publishes: bool
    published: bool
    dispute: str = Field(description="the formal dispute's number, or empty")
    posts: list[MediationReasoningPostOut]


def _case(c) -> dict:
    return {
        "id": c.public_id,
        "title": c.title,
        "kind": c.kind.code,
        "state": c.state,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
    }


def _detail(actor, c) -> dict:
    rights = sel.case_rights(actor, c)
    if not rights.reads_posts:  # area staff read posts with a reason, on the staff page
        raise not_found("评理案例", "Reasoning case")
    inviting = rights.side == "starter" and c.state == "invited"
    posts = [
        {
            "id": p.pk,
            "role": p.role,
            "author": p.author_name,
            "text": p.text,
            "proposal": p.is_proposal,
            "accepted_by": list(p.accepted_by),
            "at": p.at,
        }
        for p in sel.case_posts(c)
    ]
    return _case(c) | {
        "my_side": rights.side,
        "my_role": rights.commenter,
        "code": c.code if inviting else "",
        "invite_until": c.invite_until if inviting else None,
        "starter_publishes": c.starter_publishes,
        "other_publishes": c.other_publishes,
        "published": bool(c.public_text),
        "dispute": c.dispute.number if c.dispute_id else "",
        "posts": posts,
    }


def _get(request, public_id):
    return sel.reasoning_case_get(actor=request.actor, public_id=public_id)


@router.get("/reasoning", response=list[MediationReasoningOut])
@paginate(Page)
def reasoning_mine(request):
    """My cases (started or joined), newest first."""
    return [_case(c) for c in sel.my_reasoning_cases(actor=request.actor)]


@router.get("/reasoning/open", response=list[MediationReasoningOut])
@paginate(Page)
def reasoning_open(request):
    """Open cases of the communities I comment in (reasoners, mediators)."""
    return [_case(c) for c in sel.reasoning_for_commenter(actor=request.actor)]


class MediationReasoningFilter(Schema):
    state: str = ""


@router.get("/reasoning/area", response=list[MediationReasoningOut])
@paginate(Page)
def reasoning_area(request, filters: Query[MediationReasoningFilter]):
    """The area's cases for MEDIATION_VIEW staff: summaries only."""
    return [_case(c) for c in sel.reasoning_staff_list(actor=request.actor, state=filters.state)]


class MediationReasoningExampleOut(Schema):
    id: UUID
    title: str
    kind: str
    state: str
    text: str = Field(description="names replaced by 甲方/乙方, personal numbers masked")


@router.get("/reasoning/examples", auth=None, response=list[MediationReasoningExampleOut])
@paginate(Page)
def reasoning_examples(request):
    """Published examples (both sides consented); no log-in needed."""
    return [
        {"id": c.public_id, "title": c.title, "kind": c.kind.code, "state": c.state, "text": c.public_text}
        for c in sel.reasoning_examples()
    ]


class MediationReasoningStartIn(Schema):
    kind: str = Field(description="an active dispute kind's code")
    title: str = Field(max_length=60, description="one line others may read: no names, no numbers")
    statement: str = Field(description="your side; sealed at rest")


@router.post("/reasoning", response={201: MediationReasoningDetailOut, **ERRORS})
def reasoning_start(request, payload: MediationReasoningStartIn):
    """Start a case; the answer's `code` goes to the other side. Accepts an `Idempotency-Key`."""

    def create():
        case = svc.reasoning_start(actor=request.actor, **payload.dict())
        out = MediationReasoningDetailOut(**_detail(request.actor, _get(request, case.public_id)))
        return 201, out.model_dump(mode="json")

    return Status(*idempotent(request, create))


class MediationReasoningJoinIn(Schema):
    code: str
    statement: str
    case: UUID | None = Field(None, description="the case's id when joining by the link")


@router.post("/reasoning/join", response={200: MediationReasoningDetailOut, **ERRORS})
def reasoning_join(request, payload: MediationReasoningJoinIn):
    """Join as the other side. Wrong codes are counted: too many in ten minutes answer 429."""
    case = svc.reasoning_join(
        actor=request.actor, code=payload.code, statement=payload.statement, public_id=payload.case
    )
    return _detail(request.actor, _get(request, case.public_id))


@router.get("/reasoning/{uuid:public_id}", response={200: MediationReasoningDetailOut, **ERRORS})
def reasoning_case(request, public_id: UUID):
    return _detail(request.actor, _get(request, public_id))


class MediationReasoningPostIn(Schema):
    text: str
    proposal: bool = Field(False, description="reasoners and mediators only")


@router.post("/reasoning/{uuid:public_id}/posts", response={200: MediationReasoningDetailOut, **ERRORS})
def reasoning_post(request, public_id: UUID, payload: MediationReasoningPostIn):
    svc.reasoning_post(actor=request.actor, case=_get(request, public_id), **payload.dict())
    return _detail(request.actor, _get(request, public_id))


class MediationReasoningPostRefIn(Schema):
    post: int


@router.post("/reasoning/{uuid:public_id}/propose", response={200: MediationReasoningDetailOut, **ERRORS})
def reasoning_propose(request, public_id: UUID, payload: MediationReasoningPostRefIn):
    """Mark a post as a proposal (a new proposal post with its words)."""
    svc.reasoning_propose(actor=request.actor, case=_get(request, public_id), post_id=payload.post)
    return _detail(request.actor, _get(request, public_id))


@router.post("/reasoning/{uuid:public_id}/accept", response={200: MediationReasoningDetailOut, **ERRORS})
def reasoning_accept(request, public_id: UUID, payload: MediationReasoningPostRefIn):
    """A side accepts a proposal; both the same one → settled."""
    svc.reasoning_accept(actor=request.actor, case=_get(request, public_id), post_id=payload.post)
    return _detail(request.actor, _get(request, public_id))


class MediationReasoningCloseIn(Schema):
    reason: str
    confirm: bool = Field(description="must be true: closing cannot be undone")


def _confirmed(confirm: bool) -> None:
    if not confirm:
        raise validation_failed([field_error("confirm", "请确认此操作", "confirm this action")])


@router.post("/reasoning/{uuid:public_id}/close", response={200: MediationReasoningDetailOut, **ERRORS})
def reasoning_close(request, public_id: UUID, payload: MediationReasoningCloseIn):
    _confirmed(payload.confirm)
    svc.reasoning_close(actor=request.actor, case=_get(request, public_id), reason=payload.reason)
    return _detail(request.actor, _get(request, public_id))


class MediationReasoningFormalIn(Schema):
    reason: str = ""
    confirm: bool = Field(description="must be true: the case ends here and a dispute is registered")


class MediationReasoningFormalOut(Schema):
    dispute: str = Field(description="the dispute's number")


@router.post("/reasoning/{uuid:public_id}/formal", response={201: MediationReasoningFormalOut, **ERRORS})
def reasoning_formal(request, public_id: UUID, payload: MediationReasoningFormalIn):
    """Turn the case into formal people's mediation (a side only)."""
    _confirmed(payload.confirm)
    dispute = svc.reasoning_formal(actor=request.actor, case=_get(request, public_id), reason=payload.reason)
    return Status(201, {"dispute": dispute.number})


class MediationReasoningConsentIn(Schema):
    consent: bool


@router.post("/reasoning/{uuid:public_id}/consent", response={200: MediationReasoningDetailOut, **ERRORS})
def reasoning_consent(request, public_id: UUID, payload: MediationReasoningConsentIn):
    """A side consents to publishing, or withdraws (which takes a published example down)."""
    svc.reasoning_consent(actor=request.actor, case=_get(request, public_id), consent=payload.consent)
    return _detail(request.actor, _get(request, public_id))


class MediationReasoningPublishIn(Schema):
    text: str = Field(description="names become 甲方/乙方 and numbers are masked on publishing")


@router.post("/reasoning/{uuid:public_id}/publish", response={200: MediationReasoningDetailOut, **ERRORS})
def reasoning_publish(request, public_id: UUID, payload: MediationReasoningPublishIn):
    svc.reasoning_publish(actor=request.actor, case=_get(request, public_id), text=payload.text)
    return _detail(request.actor, _get(request, public_id))
