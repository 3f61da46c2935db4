"""Safe community over JSON, stage screening (`/api/v1/mediation/screenings…`): the reports of your
area, the suggestion that pre-fills a report, filing (Idempotency-Key), correcting with the
reason, and the monthly summary of a street or district. Parse → actor → one service or selector
→ schema."""

import datetime as dt
from uuid import UUID

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from linli.core.apitools import ErrorOut, IsoDate, Page
from linli.core.idempotency import idempotent
from linli.mediation.domain.screening import month_start, previous_month
from linli.mediation.selectors import screening as sel
from linli.mediation.services import screening as svc

router = Router()
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class MediationRiskIO(Schema):
    level: str = Field(description="low, medium or high")
    description: str = Field(description="what the risk is: no names, no ID numbers")
    measure: str = ""


class MediationScreeningOut(Schema):
    id: UUID
    path: str = Field(description="the community's division code")
    month: dt.date = Field(description="the month's first day")
    found: int
    in_mediation: int
    resolved: int
    escalated_risks: int
    note: str
    risks: list[MediationRiskIO]
    filed_by: str
    filed_at: dt.datetime


def _screening(s) -> dict:
    return {
        "id": s.public_id,
        "path": s.path,
        "month": s.month,
        "found": s.found,
        "in_mediation": s.in_mediation,
        "resolved": s.resolved,
        "escalated_risks": s.escalated_risks,
        "note": s.note,
        "risks": [{"level": r.level, "description": r.description, "measure": r.measure} for r in s.risks.all()],
        "filed_by": s.filed_by_name,
        "filed_at": s.filed_at,
    }


class MediationScreeningFilter(Schema):
    month: IsoDate | None = Field(None, description="any day of the month")
    path: str = Field("", description="a division code prefix inside your area")


@router.get("/screenings", response=list[MediationScreeningOut])
@paginate(Page)
def screenings(request, filters: Query[MediationScreeningFilter]):
    """The screening reports of your area, newest month first."""
    rows = sel.screening_list(actor=request.actor)
    if filters.month:
        rows = rows.filter(month=month_start(filters.month))
    if filters.path.isdigit():
        rows = rows.filter(path__startswith=filters.path)
    return [_screening(s) for s in rows.order_by("-month", "path")]


class MediationScreeningCountsOut(Schema):
    found: int
    in_mediation: int
    resolved: int
    escalated_risks: int


@router.get("/screenings/suggestion", response={200: MediationScreeningCountsOut, **ERRORS})
def suggestion(request, path: str, month: IsoDate):
    """The counts a community's report would say from the disputes registered there that month."""
    counts = sel.suggestion_for(actor=request.actor, path=path, month=month)
    return counts.__dict__


class MediationScreeningIn(Schema):
    path: str = Field(description="the community's division code")
    month: IsoDate = Field(description="any day of the month reported on")
    found: int
    in_mediation: int = Field(description="of those found, still in mediation at the month's end")
    resolved: int = Field(description="of those found, resolved")
    escalated_risks: int
    note: str = ""
    risks: list[MediationRiskIO] = Field(default_factory=list)


def _input(payload) -> svc.ScreeningInput:
    return svc.ScreeningInput(
        found=payload.found,
        in_mediation=payload.in_mediation,
        resolved=payload.resolved,
        escalated_risks=payload.escalated_risks,
        note=payload.note,
        risks=[svc.RiskInput(r.level, r.description, r.measure) for r in payload.risks],
    )


@router.post("/screenings", response={201: MediationScreeningOut, **ERRORS})
def screening_create(request, payload: MediationScreeningIn):
    """File a community's monthly report (MEDIATION_SCREEN). Refused for a month to come, for the
    current month before its last 5 days, and when the month is filed already (409: correct it).
    Accepts an `Idempotency-Key`."""

    def create():
        filed = svc.screening_file(actor=request.actor, path=payload.path, month=payload.month, data=_input(payload))
        return 201, MediationScreeningOut(**_screening(filed)).model_dump(mode="json")

    return Status(*idempotent(request, create))


class MediationScreeningCorrectIn(MediationScreeningIn):
    reason: str
    path: str = ""
    month: IsoDate | None = None  # type: ignore[assignment]


@router.post("/screenings/{uuid:public_id}/correction", response={200: MediationScreeningOut, **ERRORS})
def screening_correct(request, public_id: UUID, payload: MediationScreeningCorrectIn):
    """Rewrite a filed report's counts and risks with the reason (the old counts are audited)."""
    found = sel.screening_get(actor=request.actor, public_id=public_id)
    corrected = svc.screening_correct(actor=request.actor, screening=found, data=_input(payload), reason=payload.reason)
    return _screening(corrected)


class MediationSummaryLineOut(Schema):
    path: str
    name: str
    status: str = Field(description="filed, due or overdue")
    found: int | None
    in_mediation: int | None
    resolved: int | None
    escalated_risks: int | None


class MediationTrendOut(Schema):
    month: dt.date
    filed: int
    found: int
    in_mediation: int
    resolved: int
    escalated_risks: int


class MediationSummaryOut(Schema):
    path: str
    name: str
    month: dt.date
    due: dt.date
    filed: int
    overdue: int
    totals: MediationScreeningCountsOut
    communities: list[MediationSummaryLineOut]
    trend: list[MediationTrendOut]


def _summary_line(line) -> dict:
    s = line.screening
    counts = {k: getattr(s, k) if s else None for k in ("found", "in_mediation", "resolved", "escalated_risks")}
    return {"path": line.path, "name": line.name, "status": line.status, **counts}


@router.get("/screenings/summary", response={200: MediationSummaryOut, **ERRORS})
def summary(request, path: str = "", month: IsoDate | None = None):
    """Each community of a street or district for a month (default: last month): filed, due or
    overdue, the counts, the totals and the 12 months' trend."""
    today = timezone.localdate()
    found = sel.screening_summary(
        actor=request.actor, path=path, month=month or previous_month(today.replace(day=1)), today=today
    )
    return {
        "path": found.path,
        "name": found.name,
        "month": found.month,
        "due": found.due,
        "filed": found.filed,
        "overdue": found.overdue,
        "totals": found.totals.__dict__,
        "communities": [_summary_line(line) for line in found.lines],
        "trend": [p.__dict__ for p in found.trend],
    }
