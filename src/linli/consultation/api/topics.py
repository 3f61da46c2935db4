"""API of stage topics, under `/api/v1/consultation/`: staff of the area list and read topics and
decide them; the community's residents list and read their community's topics, propose one
(Idempotency-Key: a retry gets the first answer again) and support one. Supporters are a count:
no answer says who supported what."""

import datetime as dt
from uuid import UUID

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from linli.consultation.selectors import topics as sel
from linli.consultation.services import topics as svc
from linli.core.apitools import ErrorOut, Page
from linli.core.idempotency import idempotent

router = Router(tags=["consultation"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class ConsultTopicOut(Schema):
    public_id: UUID
    number: str
    title: str
    body: str
    source: str = Field(description="resident, committee, party, grid_event, department or micro_fund")
    state: str = Field(
        description="gathering, submitted, accepted, declined, consulting, concluded, lapsed or withdrawn"
    )
    proposer_shown: str = Field(description="a resident's masked name, or the body that put it")
    supporter_count: int
    supporters_needed: int
    gathering_until: dt.date | None
    decision_reason: str = Field(description="the committees' reason, made public")
    created_at: dt.datetime


class ConsultTopicIn(Schema):
    title: str
    body: str
    concerns: str = Field("community", description="building, grid or community (around where you live)")


class ConsultTopicDecideIn(Schema):
    accept: bool
    reason: str = Field(description="made public either way")


def _get(request, public_id: UUID):
    """Staff of the area, else the community's resident (the same 404 otherwise)."""
    if sel.may_view(request.actor):
        return sel.topic_get(actor=request.actor, public_id=public_id)
    return sel.resident_topic_get(actor=request.actor, public_id=public_id)


@router.get("/topics", response=list[ConsultTopicOut])
@paginate(Page)
def topics_list(request, state: str = "", source: str = ""):
    """The area's topics for staff; the community's topics for its residents (gathering first)."""
    if sel.may_view(request.actor):
        return sel.topic_list(actor=request.actor, state=state, source=source)
    return sel.resident_topics(actor=request.actor)


@router.get("/topics/{public_id}", response={200: ConsultTopicOut, **ERRORS})
def topic_get(request, public_id: UUID):
    return _get(request, public_id)


@router.post("/topics", response={201: ConsultTopicOut, **ERRORS})
def topic_propose(request, payload: ConsultTopicIn):
    """A resident proposes a topic for their own community. Accepts an `Idempotency-Key`."""

    def create():
        data = svc.TopicInput(title=payload.title, body=payload.body, concerns=payload.concerns)
        topic = svc.topic_propose(actor=request.actor, data=data)
        return 201, ConsultTopicOut.from_orm(topic).model_dump(mode="json")

    return Status(*idempotent(request, create))


@router.post("/topics/{public_id}/support", response={200: ConsultTopicOut, **ERRORS})
def topic_support(request, public_id: UUID):
    """Support a proposal of your community, once (409 the second time or for your own)."""
    return svc.topic_support(actor=request.actor, public_id=public_id)


@router.post("/topics/{public_id}/decide", response={200: ConsultTopicOut, **ERRORS})
def topic_decide(request, public_id: UUID, payload: ConsultTopicDecideIn):
    """The committees (manage) accept or decline a submitted topic with a public reason."""
    return svc.topic_decide(actor=request.actor, public_id=public_id, accept=payload.accept, reason=payload.reason)
