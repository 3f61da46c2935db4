"""Safe community over JSON, stage disputes (`/api/v1/mediation/disputes…`): the queue (scoped),
one dispute with its parties and timeline, registration (Idempotency-Key), a party's consent,
assignment and recusal. Parse → actor → one service or selector → schema. Facts and claims never
leave here (they are read with a reason on the dispute's page); phones and ID numbers masked."""

import datetime as dt

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from linli.core.apitools import ErrorOut, IsoDate, Page
from linli.core.idempotency import idempotent
from linli.mediation.selectors import disputes as sel
from linli.mediation.services import intake as svc

router = Router()
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class MediationDisputeOut(Schema):
    number: str
    title: str
    kind: str = Field(description="the dispute kind's code")
    level: str = Field(description="community, street or expert")
    source: str
    state: str = Field(description="consent, accepted, mediating, agreed, closed, failed, refused or withdrawn")
    path: str = Field(description="the community's division code")
    mediator: str = Field(description="the assigned mediator's name, or empty")
    registered_on: dt.date
    accepted_on: dt.date | None
    due_on: dt.date | None
    escalated: bool


class MediationPartyOut(Schema):
    id: int
    side: str = Field(description="applicant or respondent")
    name: str
    resident: bool = Field(description="a resident of the pool")
    phone: str = Field(description="masked")
    id_number: str = Field(description="masked")
    consent: str = Field(description="pending, agreed, refused or withdrawn")
    consent_on: dt.date | None


class MediationStepOut(Schema):
    at: dt.datetime
    action: str
    state: str
    by: str


class MediationDisputeDetailOut(MediationDisputeOut):
    parties: list[MediationPartyOut]
    steps: list[MediationStepOut]


def _dispute(d) -> dict:
    return {
        "number": d.number,
        "title": d.title,
        "kind": d.kind.code,
        "level": d.level,
        "source": d.source,
        "state": d.state,
        "path": d.path,
        "mediator": d.mediator.name if d.mediator_id else "",
        "registered_on": d.registered_on,
        "accepted_on": d.accepted_on,
        "due_on": d.due_on,
        "escalated": d.escalated,
    }


def _detail(d) -> dict:
    parties = [
        {
            "id": p.pk,
            "side": p.side,
            "name": p.name,
            "resident": p.person_ref is not None,
            "phone": p.phone_masked,
            "id_number": p.id_number_masked,
            "consent": p.consent,
            "consent_on": p.consent_on,
        }
        for p in sel.dispute_parties(d)
    ]
    steps = [
        {"at": s.at, "action": s.action, "state": s.to_state, "by": s.by_name} for s in d.steps.order_by("at", "pk")
    ]
    return _dispute(d) | {"parties": parties, "steps": steps}


class MediationDisputeFilter(Schema):
    state: str = ""
    kind: str = Field("", description="a dispute kind's code")
    level: str = ""
    overdue: bool = False


@router.get("/disputes", response=list[MediationDisputeOut])
@paginate(Page)
def disputes(request, filters: Query[MediationDisputeFilter]):
    """The disputes of your area (MEDIATION_VIEW), or those assigned to you as mediator."""
    return [_dispute(d) for d in sel.dispute_queue(actor=request.actor, **filters.dict()).prefetch_related(None)]


@router.get("/disputes/{number}", response={200: MediationDisputeDetailOut, **ERRORS})
def dispute(request, number: str):
    return _detail(sel.dispute_get(actor=request.actor, number=number))


class MediationPartyIn(Schema):
    side: str = Field(description="applicant or respondent")
    person: str = Field("", description="a pool resident's public id; else name the outsider")
    name: str = ""
    phone: str = Field("", description="sealed; shown masked")
    id_number: str = Field("", description="sealed; shown masked")
    address: str = ""


class MediationDisputeIn(Schema):
    kind: str
    facts: str = Field(description="sealed; never in any answer")
    claim: str = Field("", description="sealed; never in any answer")
    title: str = Field("", max_length=60, description="a plain summary, no names")
    level: str = Field("", description="empty: the kind's level")
    source: str = "window"
    source_ref: str = Field("", description="the grid event's number when source is grid_event")
    community: str = Field("", description="the community's code; empty: your own")
    registered_on: IsoDate | None = None
    parties: list[MediationPartyIn]


@router.post("/disputes", response={201: MediationDisputeDetailOut, **ERRORS})
def dispute_create(request, payload: MediationDisputeIn):
    """Register a dispute (MEDIATION_INTAKE): it awaits the parties' consent. Accepts an
    `Idempotency-Key` header."""

    def create():
        parties = [
            svc.PartyInput(
                side=p.side, person_ref=p.person, name=p.name, phone=p.phone, id_number=p.id_number, address=p.address
            )
            for p in payload.parties
        ]
        data = svc.DisputeInput(**(payload.dict(exclude={"parties"}) | {"parties": parties}))
        return 201, _detail(svc.dispute_register(actor=request.actor, data=data))

    return Status(*idempotent(request, create))


class MediationConsentIn(Schema):
    party: int
    consent: str = Field(description="agreed or refused")
    note: str = ""
    on: IsoDate | None = None


@router.post("/disputes/{number}/consent", response={200: MediationDisputeDetailOut, **ERRORS})
def dispute_consent(request, number: str, payload: MediationConsentIn):
    """Record a party's will; every party agreed → accepted, one refused → not mediated."""
    d = sel.dispute_get(actor=request.actor, number=number)
    svc.party_consent(
        actor=request.actor,
        dispute=d,
        party_id=payload.party,
        consent=payload.consent,
        note=payload.note,
        on=payload.on,
    )
    return _detail(sel.dispute_get(actor=request.actor, number=number))


class MediationAssignIn(Schema):
    mediator: str = Field(description="the mediator's public id")
    reason: str = Field("", description="required when another mediator already has it")


@router.post("/disputes/{number}/assign", response={200: MediationDisputeDetailOut, **ERRORS})
def dispute_assign(request, number: str, payload: MediationAssignIn):
    d = sel.dispute_get(actor=request.actor, number=number)
    svc.dispute_assign(actor=request.actor, dispute=d, mediator_id=payload.mediator, reason=payload.reason)
    return _detail(sel.dispute_get(actor=request.actor, number=number))


class MediationRecusalIn(Schema):
    party: int
    reason: str


@router.post("/disputes/{number}/recusal", response={200: MediationDisputeDetailOut, **ERRORS})
def dispute_recusal(request, number: str, payload: MediationRecusalIn):
    """A party asks for another mediator (回避): the mediator is removed and kept out."""
    d = sel.dispute_get(actor=request.actor, number=number)
    svc.dispute_recusal(actor=request.actor, dispute=d, party_id=payload.party, reason=payload.reason)
    return _detail(sel.dispute_get(actor=request.actor, number=number))


class MediationWithdrawIn(Schema):
    party: int | None = Field(None, description="the party who withdrew (staff); a resident party withdraws themself")
    reason: str


@router.post("/disputes/{number}/withdraw", response={200: MediationDisputeDetailOut, **ERRORS})
def dispute_withdraw(request, number: str, payload: MediationWithdrawIn):
    """A party withdraws before an agreement; the dispute ends as withdrawn."""
    d = sel.dispute_get(actor=request.actor, number=number)
    svc.dispute_withdraw(actor=request.actor, dispute=d, party_id=payload.party, reason=payload.reason)
    return _detail(sel.dispute_get(actor=request.actor, number=number))


class MediationEscalateIn(Schema):
    reason: str


@router.post("/disputes/{number}/escalate", response={200: MediationDisputeDetailOut, **ERRORS})
def dispute_escalate(request, number: str, payload: MediationEscalateIn):
    """Mark the dispute taken beyond the street (once)."""
    d = sel.dispute_get(actor=request.actor, number=number)
    svc.dispute_escalate(actor=request.actor, dispute=d, reason=payload.reason)
    return _detail(sel.dispute_get(actor=request.actor, number=number))
