"""API of stage voting, under `/api/v1/consultation/`: a resident's vote (Idempotency-Key: a
retry gets the first answer again), the tally (staff of the area at any time; the community's
residents their own receipt, and the counts once counted), opening and closing the vote. No
answer says who voted for what."""

import datetime as dt

from ninja import Field, Router, Schema, Status

from linli.consultation.domain.consultations import ConsultationState
from linli.consultation.selectors import voting as sel
from linli.consultation.services import voting as svc
from linli.core.apitools import ErrorOut
from linli.core.idempotency import idempotent

router = Router(tags=["consultation"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class ConsultVoteIn(Schema):
    option: str = Field(description="the option's key")


class ConsultVoteOut(Schema):
    voted_at: dt.datetime
    channel: str = Field(description="online or meeting")


class ConsultTallyOut(Schema):
    state: str
    vote_unit: str = Field(description="household or adult")
    quorum_percent: int
    majority: str = Field(description="half, two_thirds or plurality")
    roll_size: int
    cast: int
    turnout_percent: float
    counted: bool
    counts: dict[str, int] = Field(description="votes per option key; for residents only once counted")
    quorum_met: bool | None
    winner: str | None = Field(description="the option key that carried, null when none did")
    you_voted_at: dt.datetime | None = Field(None, description="when your vote (or household's) was cast")


class ConsultVotingOpenIn(Schema):
    voting_until: dt.datetime | None = Field(None, description="the closing time, if not already set")


class ConsultVotingCloseIn(Schema):
    reason: str = Field("", max_length=300, description="needed when closing before the set time")


def _tally(consultation, *, staff: bool, voted_at=None) -> dict:
    """Staff see the counts live; residents the turnout while voting, the counts once counted."""
    counted = consultation.state not in (ConsultationState.DISCUSSING, ConsultationState.VOTING)
    if counted:
        stored = consultation.result or {}
        counts, cast = stored.get("counts", {}), stored.get("cast", 0)
        quorum_met, winner = stored.get("quorum_met"), stored.get("winner")
    else:
        live = sel.live_tally(consultation)
        counts, cast, quorum_met, winner = live.counts, live.cast, live.quorum_met, live.winner
    shown = staff or counted
    return {
        "state": consultation.state,
        "vote_unit": consultation.vote_unit,
        "quorum_percent": consultation.quorum_percent,
        "majority": consultation.majority,
        "roll_size": consultation.roll_size,
        "cast": cast,
        "turnout_percent": round(cast * 100 / consultation.roll_size, 1) if consultation.roll_size else 0.0,
        "counted": counted,
        "counts": counts if shown else {},
        "quorum_met": quorum_met if shown else None,
        "winner": winner if shown else None,
        "you_voted_at": voted_at,
    }


@router.post("/consultations/{number}/votes", response={201: ConsultVoteOut, **ERRORS})
def vote_create(request, number: str, payload: ConsultVoteIn):
    """Vote (a resident of the community on the frozen roll). A second vote is 409
    `already_voted` naming when; after the close 409 `voting_closed`. Accepts an `Idempotency-Key`."""

    def cast():
        consultation = sel.resident_consultation_get(actor=request.actor, number=number)
        vote = svc.vote_cast(actor=request.actor, consultation=consultation, option_key=payload.option)
        return 201, {"voted_at": vote.cast_at, "channel": vote.channel}

    return Status(*idempotent(request, cast))


@router.get("/consultations/{number}/tally", response={200: ConsultTallyOut, **ERRORS})
def tally_get(request, number: str):
    """Turnout and counts: live for staff of the area; for the community's residents the turnout
    and their own receipt while voting, the counts once counted."""
    if sel.may_view(request.actor):
        return _tally(sel.voting_consultation_get(actor=request.actor, number=number), staff=True)
    consultation = sel.resident_consultation_get(actor=request.actor, number=number)
    receipt = sel.vote_receipt(actor=request.actor, consultation=consultation)
    return _tally(consultation, staff=False, voted_at=receipt.voted_at)


@router.post("/consultations/{number}/voting/open", response={200: ConsultTallyOut, **ERRORS})
def voting_open(request, number: str, payload: ConsultVotingOpenIn):
    """Open the vote and freeze the roll (manage; the consultation open for comments)."""
    consultation = sel.voting_consultation_get(actor=request.actor, number=number)
    opened = svc.voting_open(actor=request.actor, consultation=consultation, voting_until=payload.voting_until)
    return _tally(opened, staff=True)


@router.post("/consultations/{number}/voting/close", response={200: ConsultTallyOut, **ERRORS})
def voting_close(request, number: str, payload: ConsultVotingCloseIn):
    """Close the vote and count it (manage); before the set time with a reason."""
    consultation = sel.voting_consultation_get(actor=request.actor, number=number)
    return _tally(svc.voting_close(actor=request.actor, consultation=consultation, reason=payload.reason), staff=True)
