"""Safe community over JSON, stage sessions (`/api/v1/mediation/…`): a dispute's sessions,
agreement and follow-ups; scheduling (Idempotency-Key) and recording a session, cancelling it,
the one extension, the agreement (Idempotency-Key) or failure, judicial confirmation and its
ruling, a follow-up (Idempotency-Key), closing; the mediator's own queue. Parse → actor → one
service or selector → schema. Minutes, terms and follow-up notes never leave here (they are read
with a reason on the dispute's page)."""

import datetime as dt
from uuid import UUID

from django.utils import timezone
from ninja import Field, Router, Schema, Status

from linli.core.apitools import ErrorOut, IsoDate
from linli.core.idempotency import idempotent
from linli.mediation.domain.disputes import is_overdue
from linli.mediation.selectors import sessions as sel
from linli.mediation.selectors.disputes import dispute_get
from linli.mediation.services import sessions as svc

router = Router()
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
QUEUE_MAX = 200


class MediationSessionOut(Schema):
    id: UUID
    starts_at: dt.datetime
    place: str
    state: str = Field(description="scheduled, held or cancelled")
    attended: list[int] = Field(description="the ids of the parties present")
    minutes_recorded: bool = Field(description="the minutes themselves are sealed")
    mediator: str


class MediationAgreementOut(Schema):
    kind: str = Field(description="written or oral")
    signed_on: dt.date
    perform_by: dt.date | None
    confirmation: str = Field(description="empty, pending, confirmed or rejected")
    confirmation_court: str
    confirmation_applied_on: dt.date | None
    confirmation_decided_on: dt.date | None


class MediationFollowUpOut(Schema):
    on: dt.date
    performance: str = Field(description="full, partial, not_yet or broken")
    by: str


class MediationSessionsOut(Schema):
    number: str
    state: str
    due_on: dt.date | None
    extended: bool
    overdue: bool
    outcome: str = Field(description="written, oral, failed or empty")
    onward_route: str
    sessions: list[MediationSessionOut]
    agreement: MediationAgreementOut | None
    follow_ups: list[MediationFollowUpOut]


def _session(s) -> dict:
    return {
        "id": s.public_id,
        "starts_at": s.starts_at,
        "place": s.place,
        "state": s.state,
        "attended": s.attended,
        "minutes_recorded": bool(s.minutes_sealed),
        "mediator": s.mediator_name,
    }


def _agreement(a) -> dict | None:
    if a is None:
        return None
    return {
        "kind": a.kind,
        "signed_on": a.signed_on,
        "perform_by": a.perform_by,
        "confirmation": a.confirmation_result,
        "confirmation_court": a.confirmation_court,
        "confirmation_applied_on": a.confirmation_applied_on,
        "confirmation_decided_on": a.confirmation_decided_on,
    }


def _all(request, number: str) -> dict:
    d = dispute_get(actor=request.actor, number=number)
    return {
        "number": d.number,
        "state": d.state,
        "due_on": d.due_on,
        "extended": d.extended,
        "overdue": is_overdue(d.state, d.due_on, timezone.localdate()),
        "outcome": d.outcome,
        "onward_route": d.onward_route,
        "sessions": [_session(s) for s in sel.dispute_sessions(d)],
        "agreement": _agreement(sel.dispute_agreement(d)),
        "follow_ups": [{"on": f.on, "performance": f.performance, "by": f.by_name} for f in sel.dispute_follow_ups(d)],
    }


@router.get("/disputes/{number}/sessions", response={200: MediationSessionsOut, **ERRORS})
def dispute_sessions(request, number: str):
    """A dispute's sessions, agreement, confirmation and follow-ups (staff of its area, its mediator)."""
    return _all(request, number)


class MediationSessionIn(Schema):
    starts_at: dt.datetime
    place: str = Field("", description="required unless a mediation room is given")
    room: UUID | None = Field(None, description="a mediation room of the facility registry")


@router.post("/disputes/{number}/sessions", response={201: MediationSessionOut, **ERRORS})
def session_create(request, number: str, payload: MediationSessionIn):
    """Schedule a session (the assigned mediator or the area's intake staff). Accepts an
    `Idempotency-Key` header."""

    def create():
        d = dispute_get(actor=request.actor, number=number)
        session = svc.session_schedule(
            actor=request.actor, dispute=d, starts_at=payload.starts_at, place=payload.place, facility_ref=payload.room
        )
        return 201, _session(session)

    return Status(*idempotent(request, create))


class MediationSessionRecordIn(Schema):
    attended: list[int] = Field(description="the ids of the parties present (at least one)")
    minutes: str = Field(description="sealed; never in any answer")


@router.post("/disputes/{number}/sessions/{session_id}/record", response={200: MediationSessionOut, **ERRORS})
def session_record(request, number: str, session_id: UUID, payload: MediationSessionRecordIn):
    d = dispute_get(actor=request.actor, number=number)
    session = sel.session_of(d, session_id)
    return _session(
        svc.session_record(
            actor=request.actor, session=session, attended_party_ids=payload.attended, minutes=payload.minutes
        )
    )


class MediationSessionCancelIn(Schema):
    reason: str


@router.post("/disputes/{number}/sessions/{session_id}/cancel", response={200: MediationSessionOut, **ERRORS})
def session_cancel(request, number: str, session_id: UUID, payload: MediationSessionCancelIn):
    d = dispute_get(actor=request.actor, number=number)
    return _session(
        svc.session_cancel(actor=request.actor, session=sel.session_of(d, session_id), reason=payload.reason)
    )


class MediationExtendIn(Schema):
    days: int = Field(description="at most 30; once per dispute")
    reason: str
    parties_agree: bool = Field(description="every party agrees to the extension")


@router.post("/disputes/{number}/extend", response={200: MediationSessionsOut, **ERRORS})
def dispute_extend(request, number: str, payload: MediationExtendIn):
    d = dispute_get(actor=request.actor, number=number)
    svc.dispute_extend(
        actor=request.actor, dispute=d, days=payload.days, reason=payload.reason, parties_agree=payload.parties_agree
    )
    return _all(request, number)


class MediationAgreementIn(Schema):
    kind: str = Field(description="written or oral")
    terms: str = Field(description="sealed; never in any answer")
    signed_on: IsoDate
    perform_by: IsoDate | None = None


@router.post("/disputes/{number}/agreement", response={201: MediationSessionsOut, **ERRORS})
def agreement_create(request, number: str, payload: MediationAgreementIn):
    """Record the agreement (after a session was held; terms required). Accepts an
    `Idempotency-Key` header."""

    def create():
        d = dispute_get(actor=request.actor, number=number)
        svc.agreement_record(actor=request.actor, dispute=d, **payload.dict())
        return 201, _all(request, number)

    return Status(*idempotent(request, create))


class MediationFailIn(Schema):
    onward_route: str = Field(description="litigation, arbitration, administrative, legal_aid or none")
    reason: str


@router.post("/disputes/{number}/fail", response={200: MediationSessionsOut, **ERRORS})
def dispute_fail(request, number: str, payload: MediationFailIn):
    d = dispute_get(actor=request.actor, number=number)
    svc.dispute_fail(actor=request.actor, dispute=d, onward_route=payload.onward_route, reason=payload.reason)
    return _all(request, number)


class MediationConfirmationIn(Schema):
    applied_on: IsoDate = Field(description="within 30 days of the agreement, not in the future")
    court: str


@router.post("/disputes/{number}/confirmation", response={200: MediationSessionsOut, **ERRORS})
def confirmation_create(request, number: str, payload: MediationConfirmationIn):
    """A party applied for judicial confirmation of the written agreement."""
    d = dispute_get(actor=request.actor, number=number)
    svc.confirmation_record(actor=request.actor, dispute=d, applied_on=payload.applied_on, court=payload.court)
    return _all(request, number)


class MediationConfirmationResultIn(Schema):
    result: str = Field(description="confirmed or rejected")
    decided_on: IsoDate


@router.post("/disputes/{number}/confirmation/result", response={200: MediationSessionsOut, **ERRORS})
def confirmation_ruling(request, number: str, payload: MediationConfirmationResultIn):
    d = dispute_get(actor=request.actor, number=number)
    svc.confirmation_result(actor=request.actor, dispute=d, result=payload.result, decided_on=payload.decided_on)
    return _all(request, number)


class MediationFollowUpIn(Schema):
    on: IsoDate
    performance: str = Field(description="full, partial, not_yet or broken")
    note: str = Field("", description="sealed; never in any answer")


@router.post("/disputes/{number}/follow-ups", response={201: MediationSessionsOut, **ERRORS})
def follow_up_create(request, number: str, payload: MediationFollowUpIn):
    """A follow-up of the agreement's performance. Accepts an `Idempotency-Key` header."""

    def create():
        d = dispute_get(actor=request.actor, number=number)
        svc.follow_up_record(actor=request.actor, dispute=d, **payload.dict())
        return 201, _all(request, number)

    return Status(*idempotent(request, create))


class MediationCloseIn(Schema):
    reason: str = Field("", description="required unless a follow-up found the agreement performed in full")


@router.post("/disputes/{number}/close", response={200: MediationSessionsOut, **ERRORS})
def dispute_close(request, number: str, payload: MediationCloseIn):
    d = dispute_get(actor=request.actor, number=number)
    svc.dispute_close(actor=request.actor, dispute=d, reason=payload.reason)
    return _all(request, number)


class MediationQueueOut(Schema):
    number: str
    title: str
    kind: str
    state: str
    due_on: dt.date | None
    overdue: bool
    next_session_at: dt.datetime | None


@router.get("/my/queue", response=list[MediationQueueOut])
def my_queue(request):
    """The signed-in mediator's disputes: in mediation (due soonest first), then agreed ones
    awaiting follow-up (at most 200). One query."""
    today = timezone.localdate()
    return [
        {
            "number": d.number,
            "title": d.title,
            "kind": d.kind.code,
            "state": d.state,
            "due_on": d.due_on,
            "overdue": is_overdue(d.state, d.due_on, today),
            "next_session_at": d.next_session_at,
        }
        for d in sel.mediator_queue(actor=request.actor, today=today)[:QUEUE_MAX]
    ]
