"""Safe community over JSON, stage safety (`/api/v1/mediation/…`): the four-zero statuses of a
month (one row per community, computed, never written here), police beats (the managers link an
officer; ending needs a reason), police cases (the officer, their beat), safety incidents and
emergency drills. Parse → actor → one service or selector → schema. Creating endpoints accept an
`Idempotency-Key`. No person is named on any of these rows."""

import datetime as dt
from decimal import Decimal
from uuid import UUID

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from linli.core.apitools import ErrorOut, IsoDate, MappedRows, Page
from linli.core.errors import field_error, validation_failed
from linli.core.idempotency import idempotent
from linli.mediation.domain.four_zero import month_parse, month_start
from linli.mediation.selectors import safety as sel
from linli.mediation.services import safety as svc

router = Router()
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
STATE = "met, missed or no_data (nothing could be counted: e.g. no police officer served the community)"


def _month(text: str) -> dt.date:
    if not text:
        return month_start(timezone.localdate())
    month = month_parse(text)
    if month is None:
        raise validation_failed([field_error("month", "月份应写作 年-月（如 2026-11）", "a month is written YYYY-MM")])
    return month


# ---- four-zero ---------------------------------------------------------------------------------


class MediationFourZeroOut(Schema):
    community: str = Field(description="the community's division code")
    month: str = Field(description="YYYY-MM")
    petitions: int = Field(description="disputes escalated beyond the street, registered in the month")
    accidents: int = Field(description="safety incidents and safety-category grid events in the month")
    cases: int = Field(description="criminal cases the community police officer recorded in the month")
    drills: int = Field(description="emergency drills this year up to the month's end")
    shelter_m2_per_resident: Decimal | None = Field(description="null: no shelter area known")
    petitions_state: str = Field(description=STATE)
    accidents_state: str = Field(description=STATE)
    cases_state: str = Field(description=STATE)
    readiness_state: str = Field(description=STATE)
    four_zero: bool
    computed_at: dt.datetime


class MediationSafetyMonthIn(Schema):
    month: str = Field("", description="YYYY-MM; the current month when empty")


def _status(s) -> dict:
    return {
        "community": s.path,
        "month": f"{s.month:%Y-%m}",
        **{k: getattr(s, k) for k in ("petitions", "accidents", "cases", "drills", "shelter_m2_per_resident")},
        **{k: getattr(s, k) for k in ("petitions_state", "accidents_state", "cases_state", "readiness_state")},
        "four_zero": s.four_zero,
        "computed_at": s.computed_at,
    }


@router.get("/four-zero", response={200: list[MediationFourZeroOut], **ERRORS})
@paginate(Page)
def four_zero(request, filters: Query[MediationSafetyMonthIn]):
    """The four-zero statuses of your area's communities for a month (SAFETY_FIGURES or
    MEDIATION_VIEW). The open month is recomputed when older than ten minutes."""
    month = _month(filters.month)
    svc.four_zero_refresh(actor=request.actor, month=month)
    return MappedRows(sel.four_zero_list(actor=request.actor, month=month), _status)


# ---- beats -------------------------------------------------------------------------------------


class MediationBeatOut(Schema):
    id: int
    community: str
    officer: str
    since: dt.date
    until: dt.date | None


class MediationBeatIn(Schema):
    community: str = Field(description="the community's division code (12 digits)")
    officer_id: int = Field(description="the user id of a police officer posted at the district's police department")
    since: IsoDate


class MediationBeatEndIn(Schema):
    until: IsoDate
    reason: str = Field(description="why the beat ends (at least 4 characters)")


class MediationBeatFilter(Schema):
    include_ended: bool = False


def _beat(b) -> dict:
    return {"id": b.pk, "community": b.path, "officer": b.officer_name, "since": b.since, "until": b.until}


@router.get("/beats", response=list[MediationBeatOut])
@paginate(Page)
def beats(request, filters: Query[MediationBeatFilter]):
    """Police beats of your area (一社区一警): active ones, or all with `include_ended`."""
    return MappedRows(sel.beat_list(actor=request.actor, include_ended=filters.include_ended), _beat)


@router.post("/beats", response={201: MediationBeatOut, **ERRORS})
def beat_create(request, payload: MediationBeatIn):
    """Link a police officer to a community (MEDIATION_MANAGE or ACCOUNTS_MANAGE in its area);
    one active officer per community (409 otherwise). Accepts an `Idempotency-Key`."""

    def create():
        beat = svc.beat_set(
            actor=request.actor, community_path=payload.community, user_id=payload.officer_id, since=payload.since
        )
        return 201, MediationBeatOut(**_beat(beat)).model_dump(mode="json")

    return Status(*idempotent(request, create))


@router.post("/beats/{int:beat_id}/end", response={200: MediationBeatOut, **ERRORS})
def beat_end(request, beat_id: int, payload: MediationBeatEndIn):
    """End a beat on a day, with the reason."""
    beat = svc.beat_end(actor=request.actor, beat_id=beat_id, until=payload.until, reason=payload.reason)
    return _beat(beat)


# ---- police cases ------------------------------------------------------------------------------


class MediationPoliceCaseOut(Schema):
    id: UUID
    community: str
    kind: str = Field(description="criminal or public_order")
    occurred_on: dt.date
    note: str
    grid_event_number: str


class MediationPoliceCaseIn(Schema):
    community: str
    kind: str = Field(description="criminal or public_order")
    occurred_on: IsoDate
    note: str = Field("", description="at most 200 characters; no names, phones or ID numbers")
    grid_event_number: str = ""


def _case(c) -> dict:
    return {
        "id": c.public_id,
        "community": c.path,
        "kind": c.kind,
        "occurred_on": c.occurred_on,
        "note": c.note,
        "grid_event_number": c.grid_event_number,
    }


@router.get("/police-cases", response={200: list[MediationPoliceCaseOut], **ERRORS})
@paginate(Page)
def police_cases(request, filters: Query[MediationSafetyMonthIn]):
    """Police cases of your area (a police officer: their beat), of a month or all."""
    month = _month(filters.month) if filters.month else None
    return MappedRows(sel.police_case_list(actor=request.actor, month=month), _case)


@router.post("/police-cases", response={201: MediationPoliceCaseOut, **ERRORS})
def police_case_create(request, payload: MediationPoliceCaseIn):
    """Record a case for the four-zero figure (SAFETY_POLICE, a community of your beat).
    Accepts an `Idempotency-Key`."""

    def create():
        data = svc.PoliceCaseInput(
            payload.community, payload.kind, payload.occurred_on, payload.note, payload.grid_event_number
        )
        case = svc.police_case_record(actor=request.actor, data=data)
        return 201, MediationPoliceCaseOut(**_case(case)).model_dump(mode="json")

    return Status(*idempotent(request, create))


# ---- incidents ---------------------------------------------------------------------------------


class MediationIncidentOut(Schema):
    id: UUID
    community: str
    kind: str = Field(description="fire, gas, traffic, building, electricity, drowning or other")
    severity: str = Field(description="minor, injury or death")
    occurred_on: dt.date
    description: str
    grid_event_number: str


class MediationIncidentIn(Schema):
    community: str
    kind: str = Field(description="fire, gas, traffic, building, electricity, drowning or other")
    severity: str = Field(description="minor, injury or death")
    occurred_on: IsoDate
    description: str = Field(description="at most 300 characters; no names, phones or ID numbers")
    grid_event_number: str = ""


def _incident(i) -> dict:
    return {
        "id": i.public_id,
        "community": i.path,
        "kind": i.kind,
        "severity": i.severity,
        "occurred_on": i.occurred_on,
        "description": i.description,
        "grid_event_number": i.grid_event_number,
    }


@router.get("/incidents", response={200: list[MediationIncidentOut], **ERRORS})
@paginate(Page)
def incidents(request, filters: Query[MediationSafetyMonthIn]):
    """Safety incidents of your area, of a month or all."""
    month = _month(filters.month) if filters.month else None
    return MappedRows(sel.incident_list(actor=request.actor, month=month), _incident)


@router.post("/incidents", response={201: MediationIncidentOut, **ERRORS})
def incident_create(request, payload: MediationIncidentIn):
    """Record a safety incident (SAFETY_RECORD). Accepts an `Idempotency-Key`."""

    def create():
        data = svc.IncidentInput(
            payload.community,
            payload.kind,
            payload.severity,
            payload.occurred_on,
            payload.description,
            payload.grid_event_number,
        )
        incident = svc.incident_record(actor=request.actor, data=data)
        return 201, MediationIncidentOut(**_incident(incident)).model_dump(mode="json")

    return Status(*idempotent(request, create))


# ---- drills ------------------------------------------------------------------------------------


class MediationDrillOut(Schema):
    id: UUID
    community: str
    held_on: dt.date
    scenario: str
    participants: int
    facility: UUID | None = Field(description="the registry's facility where it was held, if any")
    note: str


class MediationDrillIn(Schema):
    community: str
    held_on: IsoDate
    scenario: str
    participants: int = Field(description="more than 0")
    facility: UUID | None = Field(None, description="a facility in the community's street")
    note: str = ""


class MediationDrillFilter(Schema):
    year: int | None = Field(None, ge=1900, le=2100)


def _drill(d) -> dict:
    return {
        "id": d.public_id,
        "community": d.path,
        "held_on": d.held_on,
        "scenario": d.scenario,
        "participants": d.participants,
        "facility": d.facility_ref,
        "note": d.note,
    }


@router.get("/drills", response={200: list[MediationDrillOut], **ERRORS})
@paginate(Page)
def drills(request, filters: Query[MediationDrillFilter]):
    """Emergency drills of your area, of a year or all."""
    return MappedRows(sel.drill_list(actor=request.actor, year=filters.year), _drill)


@router.post("/drills", response={201: MediationDrillOut, **ERRORS})
def drill_create(request, payload: MediationDrillIn):
    """Record an emergency drill (SAFETY_RECORD). Accepts an `Idempotency-Key`."""

    def create():
        data = svc.DrillInput(
            payload.community,
            payload.held_on,
            payload.scenario,
            payload.participants,
            str(payload.facility or ""),
            payload.note,
        )
        drill = svc.drill_record(actor=request.actor, data=data)
        return 201, MediationDrillOut(**_drill(drill)).model_dump(mode="json")

    return Status(*idempotent(request, create))


# ---- withdrawing a record entered by mistake -----------------------------------------------------


class MediationSafetyWithdrawIn(Schema):
    reason: str = Field(description="why the record is withdrawn (at least 4 characters); audited")


class MediationSafetyWithdrawnOut(Schema):
    withdrawn: bool = True


@router.post("/police-cases/{uuid:public_id}/withdraw", response={200: MediationSafetyWithdrawnOut, **ERRORS})
def police_case_withdraw(request, public_id: UUID, payload: MediationSafetyWithdrawIn):
    """Withdraw a police case entered by mistake (SAFETY_POLICE, your beat); the statuses follow."""
    svc.police_case_withdraw(actor=request.actor, public_id=public_id, reason=payload.reason)
    return {"withdrawn": True}


@router.post("/incidents/{uuid:public_id}/withdraw", response={200: MediationSafetyWithdrawnOut, **ERRORS})
def incident_withdraw(request, public_id: UUID, payload: MediationSafetyWithdrawIn):
    """Withdraw a safety incident entered by mistake (SAFETY_RECORD, your area)."""
    svc.incident_withdraw(actor=request.actor, public_id=public_id, reason=payload.reason)
    return {"withdrawn": True}


@router.post("/drills/{uuid:public_id}/withdraw", response={200: MediationSafetyWithdrawnOut, **ERRORS})
def drill_withdraw(request, public_id: UUID, payload: MediationSafetyWithdrawIn):
    """Withdraw an emergency drill entered by mistake (SAFETY_RECORD, your area)."""
    svc.drill_withdraw(actor=request.actor, public_id=public_id, reason=payload.reason)
    return {"withdrawn": True}
