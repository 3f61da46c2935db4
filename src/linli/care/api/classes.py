"""Care services over JSON, stage classes (幸福教育), under `/api/v1/care/`: for a resident the
classes near them and their enrolments, enrol (Idempotency-Key), cancel, rate, their community's
requests, request (Idempotency-Key) and support; for staff the area's classes and the opening
figures per community. Parse → actor → one service or selector → schema."""

import datetime as dt
from uuid import UUID

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from linli.care.selectors.classes import class_list, community_rows, resident_classes, waiting_position
from linli.care.services.classes import (
    class_cancel,
    class_enrol,
    class_rate,
    request_create,
    request_unvote,
    request_vote,
)
from linli.core.apitools import ErrorOut, MappedRows, Page
from linli.core.idempotency import idempotent

router = Router(tags=["care"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class CareClassOut(Schema):
    id: UUID
    title: str
    path: str
    classroom: str
    audience: str
    state: str
    capacity: int
    enrolled: int
    waiting: int
    lecturer: str
    rating: float | None


def _class(item) -> dict:
    return {
        "id": item.public_id,
        "title": item.title,
        "path": item.path,
        "classroom": item.classroom,
        "audience": item.audience,
        "state": item.state,
        "capacity": item.capacity,
        "enrolled": item.enrolled,
        "waiting": item.waiting,
        "lecturer": item.lecturer.name if item.lecturer else "",
        "rating": round(item.rating_sum / item.rating_count, 1) if item.rating_count else None,
    }


class CareEnrolmentOut(Schema):
    id: UUID
    class_id: UUID
    class_title: str
    state: str = Field(description="enrolled, waiting or cancelled")
    waiting_position: int | None = Field(None, description="1 = the next to get a place")
    rating: int | None
    created_at: dt.datetime


def _enrolment(e) -> dict:
    return {
        "id": e.public_id,
        "class_id": e.happy_class.public_id,
        "class_title": e.happy_class.title,
        "state": e.state,
        "waiting_position": getattr(e, "position", None),
        "rating": e.rating,
        "created_at": e.created_at,
    }


class CareClassRequestOut(Schema):
    id: UUID
    title: str
    why: str
    preferred_times: str
    votes: int
    state: str = Field(description="open, planned or declined")
    decline_reason: str
    supported_by_me: bool


def _request(r, mine: bool | None = None) -> dict:
    return {
        "id": r.public_id,
        "title": r.title,
        "why": r.why,
        "preferred_times": r.preferred_times,
        "votes": r.votes,
        "state": r.state,
        "decline_reason": r.decline_reason,
        "supported_by_me": getattr(r, "mine", False) if mine is None else mine,
    }


class CareMyClassesOut(Schema):
    open_classes: list[CareClassOut]
    enrolments: list[CareEnrolmentOut]
    requests: list[CareClassRequestOut]


@router.get("/classes/mine", response=CareMyClassesOut)
def classes_mine(request):
    """A resident's classes page: open classes of their street, their enrolments (waiting
    positions), their community's requests."""
    data = resident_classes(actor=request.actor)
    return {
        "open_classes": [_class(c) for c in data.open_classes],
        "enrolments": [_enrolment(e) for e in data.mine],
        "requests": [_request(r) for r in data.requests],
    }


@router.post("/classes/{uuid:public_id}/enrol", response={201: CareEnrolmentOut, **ERRORS})
def classes_enrol(request, public_id: UUID):
    """Enrol in a class: a place while there are places, else the waiting list (the answer's
    state and position say which). Accepts an `Idempotency-Key` header."""

    def create():
        enrolment = class_enrol(actor=request.actor, public_id=public_id)
        enrolment.position = waiting_position(enrolment)
        return 201, CareEnrolmentOut(**_enrolment(enrolment)).model_dump(mode="json")

    return Status(*idempotent(request, create))


@router.post("/classes/enrolments/{uuid:public_id}/cancel", response={200: CareEnrolmentOut, **ERRORS})
def classes_cancel(request, public_id: UUID):
    """Cancel one's place (the first waiting gets it) or leave the waiting list."""
    return _enrolment(class_cancel(actor=request.actor, public_id=public_id))


class CareClassRateIn(Schema):
    stars: int = Field(description="1–5")
    comment: str = ""


@router.post("/classes/enrolments/{uuid:public_id}/rate", response={200: CareEnrolmentOut, **ERRORS})
def classes_rate(request, public_id: UUID, payload: CareClassRateIn):
    """Rate a class after attending a session; once."""
    return _enrolment(
        class_rate(actor=request.actor, public_id=public_id, stars=payload.stars, comment=payload.comment)
    )


class CareClassRequestIn(Schema):
    title: str
    why: str
    preferred_times: str = ""


@router.post("/classes/requests", response={201: CareClassRequestOut, **ERRORS})
def classes_request(request, payload: CareClassRequestIn):
    """Ask one's community for a class topic (居民点单). Accepts an `Idempotency-Key` header."""

    def create():
        item = request_create(actor=request.actor, **payload.dict())
        return 201, CareClassRequestOut(**_request(item, True)).model_dump(mode="json")

    return Status(*idempotent(request, create))


@router.post("/classes/requests/{uuid:public_id}/vote", response={200: CareClassRequestOut, **ERRORS})
def classes_vote(request, public_id: UUID):
    """Support a request of one's community (once)."""
    return _request(request_vote(actor=request.actor, public_id=public_id), True)


@router.delete("/classes/requests/{uuid:public_id}/vote", response={200: CareClassRequestOut, **ERRORS})
def classes_unvote(request, public_id: UUID):
    """Withdraw one's support while the community has not answered."""
    return _request(request_unvote(actor=request.actor, public_id=public_id), False)


class CareClassFilter(Schema):
    state: str = Field("", description="draft, open or closed; empty for all")


@router.get("/classes", response=list[CareClassOut])
@paginate(Page)
def classes(request, filters: Query[CareClassFilter]):
    """The classes of your area (staff)."""
    return MappedRows(class_list(actor=request.actor, state=filters.state), _class)


class CareClassCommunityOut(Schema):
    path: str
    name: str
    opened: bool
    classes: int
    sessions_held: int
    attendances: int
    rating: float | None
    model_site: bool


@router.get("/classes/figures", response=list[CareClassCommunityOut])
def classes_figures(request, year: int | None = Query(None, ge=2000, le=2100), under: str = ""):
    """Per community of your area: held a class this year (a session with attendance), sessions,
    attendances, mean rating, model site."""
    rows = community_rows(actor=request.actor, year=year or timezone.localdate().year, under=under)
    return [{**vars(r), "opened": r.opened} for r in rows]
