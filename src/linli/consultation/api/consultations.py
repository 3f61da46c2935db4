"""API of stage consultations, under `/api/v1/consultation/`: staff of the area list, read and
prepare consultations (Idempotency-Key on create), moderate comments and sign attendees in; the
community's residents read the open ones and comment. Residents see authors only masked."""

import datetime as dt
from uuid import UUID

from ninja import Field, Router, Schema, Status

from linli.consultation.selectors import consultations as sel
from linli.consultation.services import consultations as svc
from linli.core.apitools import ErrorOut
from linli.core.idempotency import idempotent

router = Router(tags=["consultation"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
LIST_MAX = 200


class ConsultOptionOut(Schema):
    key: str
    label: str


class ConsultationOut(Schema):
    public_id: UUID
    number: str
    title: str
    question: str
    state: str = Field(description="draft, discussing, voting, counted, decided, implementing, completed, cancelled")
    form: str = Field(description="meeting, online or council")
    scope_kind: str = Field(description="building, grid or community")
    scope_path: str
    stakeholders: list[str]
    discussion_until: dt.date | None
    voting_until: dt.datetime | None
    vote_unit: str
    quorum_percent: int
    majority: str
    options: list[ConsultOptionOut]


class ConsultationIn(Schema):
    path: str = Field(description="the community's 12-digit code")
    title: str
    question: str
    form: str
    scope_kind: str
    scope_path: str = ""
    stakeholders: list[str] = []
    discussion_until: dt.date | None = None
    voting_until: dt.datetime | None = None
    vote_unit: str = "household"
    quorum_percent: int = 50
    majority: str = "half"
    options: list[str] = Field(description="the choices' labels; keys a, b, c… follow their order")
    topic: str = Field("", description="an accepted topic's public id")


class ConsultCommentOut(Schema):
    public_id: UUID
    author: str = Field(description="masked for residents")
    body: str
    state: str = Field(description="pending, shown or hidden (residents see shown ones only)")
    at: dt.datetime


class ConsultCommentIn(Schema):
    body: str


class ConsultModerateIn(Schema):
    show: bool
    reason: str = ""


class ConsultSignInIn(Schema):
    resident: str = Field("", description="a resident's public id (from the pool's search)")
    stakeholder: str = Field("", description="a stakeholder's unit, with `name`")
    name: str = ""


class ConsultSignInOut(Schema):
    name_shown: str
    stakeholder: str
    signed_at: dt.datetime


def _out(c) -> dict:
    data = {name: getattr(c, name) for name in ConsultationOut.model_fields if name != "options"}
    return data | {"options": [{"key": o.key, "label": o.label} for o in c.options.all()]}


def _get(request, number: str):
    """Staff of the area, else the community's resident (the same 404 otherwise)."""
    if sel.may_view(request.actor):
        return sel.consultation_by_number(actor=request.actor, number=number), True
    return sel.resident_consultation_by_number(actor=request.actor, number=number), False


@router.get("/consultations", response={200: list[ConsultationOut]})
def consultations_list(request, state: str = "", form: str = ""):
    """The area's consultations for staff; a resident's community's open ones for residents."""
    if sel.may_view(request.actor):
        rows = sel.consultation_list(actor=request.actor, state=state, form=form).prefetch_related("options")
        return [_out(c) for c in rows[:LIST_MAX]]
    return [_out(c) for c in sel.resident_consultations(actor=request.actor, prefetch=True)]


@router.get("/consultations/{number}", response={200: ConsultationOut, **ERRORS})
def consultation_get(request, number: str):
    return _out(_get(request, number)[0])


@router.post("/consultations", response={201: ConsultationOut, **ERRORS})
def consultation_create(request, payload: ConsultationIn):
    """Prepare a consultation (CONSULT_MANAGE in the community). Accepts an `Idempotency-Key`."""

    def create():
        data = payload.dict()
        data["topic_id"] = data.pop("topic")
        return 201, _out(svc.consultation_create(actor=request.actor, data=svc.ConsultationInput(**data)))

    return Status(*idempotent(request, create))


@router.get("/consultations/{number}/comments", response={200: list[ConsultCommentOut], **ERRORS})
def comments_list(request, number: str):
    consultation, staff = _get(request, number)
    if staff:
        return [
            {"public_id": m.public_id, "author": m.author_name, "body": m.body, "state": m.state, "at": m.at}
            for m in sel.comments_for_staff(consultation)
        ]
    return [
        {"public_id": m.public_id, "author": m.author_shown, "body": m.body, "state": "shown", "at": m.at}
        for m in sel.comments_shown(consultation)
    ]


@router.post("/consultations/{number}/comments", response={201: ConsultCommentOut, **ERRORS})
def comment_add(request, number: str, payload: ConsultCommentIn):
    """A resident of the scope comments while the consultation is open; pending until moderated."""
    consultation = sel.resident_consultation_by_number(actor=request.actor, number=number)
    m = svc.comment_add(actor=request.actor, consultation=consultation, body=payload.body)
    return Status(
        201, {"public_id": m.public_id, "author": m.author_shown, "body": m.body, "state": m.state, "at": m.at}
    )


@router.post("/consultation-comments/{public_id}/moderation", response={200: ConsultCommentOut, **ERRORS})
def comment_moderate(request, public_id: UUID, payload: ConsultModerateIn):
    m = svc.comment_moderate(actor=request.actor, public_id=public_id, show=payload.show, reason=payload.reason)
    return {"public_id": m.public_id, "author": m.author_name, "body": m.body, "state": m.state, "at": m.at}


@router.post("/consultation-meetings/{public_id}/sign-ins", response={201: ConsultSignInOut, **ERRORS})
def meeting_sign_in(request, public_id: UUID, payload: ConsultSignInIn):
    """A resident of the scope, or a stakeholder's representative; a second sign-in is 409."""
    row = svc.meeting_sign_in(
        actor=request.actor,
        meeting_id=public_id,
        resident_ref=payload.resident,
        stakeholder=payload.stakeholder,
        name=payload.name,
    )
    return Status(201, {"name_shown": row.name_shown, "stakeholder": row.stakeholder, "signed_at": row.signed_at})
