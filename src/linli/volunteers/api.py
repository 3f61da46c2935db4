"""Volunteers over JSON: volunteers (list, register, read, summary), activities (list, create,
read, shifts, sign-ups), sign-ups and their decisions, a check-in endpoint for scanners and
phones, and service hours (list, report, approve or reject). Parse → actor → one service or
selector → schema; outside your scope an object is a 404. Creates accept `Idempotency-Key`."""

from datetime import datetime
from uuid import UUID

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from linli.accounts.domain import VOLUNTEER_MANAGE
from linli.core.apitools import ErrorOut, MappedRows, Page
from linli.core.errors import DomainError, Msg, not_found
from linli.core.idempotency import idempotent
from linli.volunteers import selectors, services
from linli.volunteers.domain import hours_label, next_star_minutes

router = Router(tags=["volunteers"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _invalid(zh: str, en: str) -> DomainError:
    return DomainError(Msg(zh, en), code="validation_failed", status=422)


# ---- volunteers ----------------------------------------------------------------------------------


class VolunteerIn(Schema):
    name: str
    id_number: str = Field(description="GB 11643 citizen ID number (18 characters); stored sealed")
    phone: str = ""
    registered_path: str = Field(description="12-digit path of the home community or village")
    skills: list[str] = []
    availability: str = ""
    guardian_name: str = ""
    guardian_phone: str = ""
    guardian_consent: bool = False


class VolunteerOut(Schema):
    id: UUID
    name: str
    id_number_masked: str
    phone_masked: str
    gender: str
    birth_date: str
    registered_path: str
    skills: list[str]
    availability: str
    status: str
    registered_at: datetime
    has_account: bool


def _volunteer(v) -> dict:
    return {
        "id": v.public_id,
        "name": v.name,
        "id_number_masked": v.id_number_masked,
        "phone_masked": v.phone_masked,
        "gender": v.gender,
        "birth_date": v.birth_date.isoformat(),
        "registered_path": v.registered_path,
        "skills": v.skills,
        "availability": v.availability,
        "status": v.status,
        "registered_at": v.registered_at,
        "has_account": v.user_id is not None,
    }


class SummaryOut(Schema):
    id: UUID
    display_name: str
    registered_path: str
    unit_name: str
    total_minutes: int
    total_hours: str
    star_level: int
    minutes_to_next_star: int | None
    active: bool


def _summary(brief) -> dict:
    return {
        "id": brief.public_id,
        "display_name": brief.display_name,
        "registered_path": brief.registered_path,
        "unit_name": brief.unit_name,
        "total_minutes": brief.total_minutes,
        "total_hours": hours_label(brief.total_minutes),
        "star_level": brief.star_level,
        "minutes_to_next_star": next_star_minutes(brief.total_minutes),
        "active": brief.active,
    }


@router.get("/volunteers", response=list[VolunteerOut])
@paginate(Page)
def volunteers(request, q: str = ""):
    """Volunteers registered in your area (masked), by name or exact ID number."""
    return MappedRows(selectors.volunteer_search(actor=request.actor, q=q), _volunteer)


@router.post("/volunteers", response={201: VolunteerOut, **ERRORS})
def volunteer_create(request, payload: VolunteerIn):
    """Register a volunteer: staff record one in their area (no account needed); a resident
    registers themself. Accepts an `Idempotency-Key` header."""
    for_self = not request.actor.has_perm(VOLUNTEER_MANAGE)

    def create():
        volunteer = services.volunteer_register(
            actor=request.actor, data=services.VolunteerInput(**payload.dict()), for_self=for_self
        )
        return 201, VolunteerOut(**_volunteer(volunteer)).model_dump(mode="json")

    return Status(*idempotent(request, create))


@router.get("/volunteers/me", response={200: SummaryOut, **ERRORS})
def me(request):
    """Your own hours and star level (a resident's token)."""
    brief = selectors.volunteer_for_user(request.actor.user_id)
    if brief is None:
        raise not_found("志愿者", "Volunteer")
    return _summary(brief)


@router.get("/volunteers/{uuid:public_id}", response={200: VolunteerOut, **ERRORS})
def volunteer(request, public_id: UUID):
    return _volunteer(selectors.volunteer_get(actor=request.actor, public_id=public_id))


@router.get("/volunteers/{uuid:public_id}/summary", response={200: SummaryOut, **ERRORS})
def volunteer_summary(request, public_id: UUID):
    """A volunteer's approved hours and star level (name masked unless it is you)."""
    return _summary(selectors.volunteer_brief(actor=request.actor, public_id=public_id))


# ---- activities ----------------------------------------------------------------------------------


class ShiftIn(Schema):
    starts_at: datetime
    ends_at: datetime
    needed: int


class ActivityIn(Schema):
    title: str
    description: str = ""
    organiser_path: str
    organisation_id: str = ""
    place: str
    lat: float | None = None
    lng: float | None = None
    radius_m: int = 300
    starts_at: datetime
    ends_at: datetime
    recurring: bool = False
    recurrence: str = ""
    signup_mode: str = Field("open", description="open, or confirm (the organiser confirms each sign-up)")
    required_skills: list[str] = []
    shifts: list[ShiftIn] = []
    needed: int = Field(10, description="when no shifts are given: one shift over the activity")
    publish: bool = True


class ShiftOut(Schema):
    id: UUID
    starts_at: datetime
    ends_at: datetime
    needed: int
    taken: int


class ActivityOut(Schema):
    id: UUID
    title: str
    description: str
    organiser_path: str
    organisation_id: UUID | None
    place: str
    lat: float | None
    lng: float | None
    radius_m: int
    starts_at: datetime
    ends_at: datetime
    recurring: bool
    recurrence: str
    signup_mode: str
    required_skills: list[str]
    status: str


def _activity(a) -> dict:
    return {"id": a.public_id, **{k: getattr(a, k) for k in ActivityOut.model_fields if k != "id"}}


@router.get("/activities", response=list[ActivityOut])
@paginate(Page)
def activities(request, status: str = ""):
    """Activities you organise or oversee (your area; an organiser: their organisations')."""
    rows = selectors.activity_list(actor=request.actor).order_by("-starts_at", "pk")
    if status:
        rows = rows.filter(status=status)
    return MappedRows(rows, _activity)


@router.post("/activities", response={201: ActivityOut, **ERRORS})
def activity_create(request, payload: ActivityIn):
    """Publish an activity or a recurring service with its shifts. Accepts an `Idempotency-Key`."""

    def create():
        data = payload.dict()
        data["shifts"] = [services.ShiftInput(**s) for s in data["shifts"]]
        activity = services.activity_create(actor=request.actor, data=services.ActivityInput(**data))
        return 201, ActivityOut(**_activity(activity)).model_dump(mode="json")

    return Status(*idempotent(request, create))


@router.get("/activities/{uuid:public_id}", response={200: ActivityOut, **ERRORS})
def activity(request, public_id: UUID):
    return _activity(selectors.activity_get(actor=request.actor, public_id=public_id))


@router.get("/activities/{uuid:public_id}/shifts", response={200: list[ShiftOut], **ERRORS})
def activity_shifts(request, public_id: UUID):
    """Shifts of a published activity with places taken (public: no personal data)."""
    item = selectors.public_activity(public_id)
    return [
        {
            "id": r.shift.public_id,
            "starts_at": r.shift.starts_at,
            "ends_at": r.shift.ends_at,
            "needed": r.shift.needed,
            "taken": r.taken,
        }
        for r in selectors.shift_rows(item)
    ]


# ---- sign-ups ------------------------------------------------------------------------------------


class SignUpIn(Schema):
    shift_id: UUID


class SignUpOut(Schema):
    id: UUID
    shift_id: UUID
    activity_id: UUID
    volunteer_id: UUID
    volunteer_name: str
    state: str
    rating: int | None


def _signup(s) -> dict:
    return {
        "id": s.public_id,
        "shift_id": s.shift.public_id,
        "activity_id": s.shift.activity.public_id,
        "volunteer_id": s.volunteer.public_id,
        "volunteer_name": s.volunteer.name,
        "state": s.state,
        "rating": s.rating,
    }


@router.get("/activities/{uuid:public_id}/signups", response={200: list[SignUpOut], **ERRORS})
def activity_signups(request, public_id: UUID):
    """The roster of an activity you organise or oversee."""
    return [_signup(s) for s in selectors.roster(selectors.activity_get(actor=request.actor, public_id=public_id))]


@router.post("/signups", response={201: SignUpOut, **ERRORS})
def signup_create(request, payload: SignUpIn):
    """Sign yourself up for a shift (a registered volunteer). Accepts an `Idempotency-Key`."""

    def create():
        signup = services.signup_create(actor=request.actor, shift_id=payload.shift_id)
        signup = selectors.own_signup(request.actor, signup.public_id)
        return 201, SignUpOut(**_signup(signup)).model_dump(mode="json")

    return Status(*idempotent(request, create))


class DecisionIn(Schema):
    action: str = Field(
        description="confirm, decline or rate (sign-ups); approve or reject (hours); cancel (own sign-up)"
    )
    reason: str = ""
    rating: int | None = None


@router.post("/signups/{uuid:public_id}/decision", response={200: SignUpOut, **ERRORS})
def signup_decision(request, public_id: UUID, payload: DecisionIn):
    if payload.action == "cancel":
        signup = selectors.own_signup(request.actor, public_id)
        services.signup_cancel(actor=request.actor, signup=signup)
        return _signup(selectors.own_signup(request.actor, public_id))
    signup = selectors.signup_get(actor=request.actor, public_id=public_id)
    if payload.action == "rate":
        services.signup_rate(actor=request.actor, signup=signup, rating=payload.rating or 0)
    elif payload.action in ("confirm", "decline"):
        services.signup_decide(
            actor=request.actor, signup=signup, confirm=payload.action == "confirm", reason=payload.reason
        )
    else:
        raise _invalid("未知的操作", "Unknown action")
    return _signup(selectors.signup_get(actor=request.actor, public_id=public_id))


# ---- check-in ------------------------------------------------------------------------------------


class CheckIn(Schema):
    token: str = Field("", description="the token of the organiser's QR link (…/volunteer/check/<token>/)")
    activity_id: UUID | None = Field(None, description="without a token: check in by position at this activity")
    volunteer_id: UUID | None = Field(None, description="a scanner checks in this volunteer; empty: yourself")
    lat: float | None = None
    lng: float | None = None


class CheckOut(Schema):
    hours_id: UUID
    volunteer_id: UUID
    activity_id: UUID
    checked_out: bool
    repeated: bool
    checked_in_at: datetime | None
    checked_out_at: datetime | None
    minutes: int


@router.post("/checkins", response={200: CheckOut, **ERRORS})
def check_in(request, payload: CheckIn):
    """Check in (first call) or out (a later call) at an activity: with its QR token, or by
    position within its radius. A scanner (staff of the activity) names the volunteer; a
    volunteer's own token checks in themself. A repeat within two minutes changes nothing;
    with an `Idempotency-Key` a retried request gets the same answer."""

    def run():
        if payload.token:
            activity = services.activity_from_token(payload.token)
        elif payload.activity_id:
            activity = selectors.public_activity(payload.activity_id)
        else:
            raise DomainError(
                Msg("请提供签到二维码或活动", "Give the QR token or the activity"), code="validation_failed", status=422
            )
        volunteer = None
        if payload.volunteer_id:
            volunteer = selectors.volunteer_by_public_id(payload.volunteer_id)
            if volunteer is None:
                raise not_found("志愿者", "Volunteer")
        result = services.check_in_or_out(
            actor=request.actor,
            activity=activity,
            volunteer=volunteer,
            by_token=bool(payload.token),
            lat=payload.lat,
            lng=payload.lng,
        )
        row = result.hours
        body = {
            "hours_id": row.public_id,
            "volunteer_id": row.volunteer.public_id,
            "activity_id": activity.public_id,
            "checked_out": result.checked_out,
            "repeated": result.repeated,
            "checked_in_at": row.checked_in_at,
            "checked_out_at": row.checked_out_at,
            "minutes": row.minutes,
        }
        return 200, CheckOut(**body).model_dump(mode="json")

    return Status(*idempotent(request, run))


# ---- hours ---------------------------------------------------------------------------------------


class HoursIn(Schema):
    description: str
    started_at: datetime
    minutes: int
    beneficiary: str = ""
    served_path: str = ""


class HoursOut(Schema):
    id: UUID
    volunteer_id: UUID
    activity_id: UUID | None
    kind: str
    minutes: int
    served_path: str
    registered_path: str
    served_on: str
    started_at: datetime | None
    ended_at: datetime | None
    description: str
    state: str
    corrects: UUID | None


def _hours(r) -> dict:
    return {
        "id": r.public_id,
        "volunteer_id": r.volunteer.public_id,
        "activity_id": r.activity.public_id if r.activity_id else None,
        "kind": r.kind,
        "minutes": r.minutes,
        "served_path": r.served_path,
        "registered_path": r.registered_path,
        "served_on": r.served_on.isoformat(),
        "started_at": r.checked_in_at,
        "ended_at": r.checked_out_at,
        "description": r.description,
        "state": r.state,
        "corrects": r.corrects.public_id if r.corrects_id else None,
    }


@router.get("/hours", response=list[HoursOut])
@paginate(Page)
def hours(request, state: str = ""):
    """Hours served in your area or by volunteers registered there; `state=pending` to approve."""
    rows = selectors.hours_list(actor=request.actor).select_related("volunteer", "activity", "corrects")
    if state:
        rows = rows.filter(state=state)
    return MappedRows(rows.order_by("-created_at", "pk"), _hours)


@router.post("/hours", response={201: HoursOut, **ERRORS})
def hours_report(request, payload: HoursIn):
    """Report unplanned neighbourly help for approval (a volunteer). Accepts an `Idempotency-Key`."""

    def create():
        row = services.hours_report(actor=request.actor, data=services.HoursInput(**payload.dict()))
        return 201, HoursOut(**_hours(row)).model_dump(mode="json")

    return Status(*idempotent(request, create))


@router.post("/hours/{uuid:public_id}/decision", response={200: HoursOut, **ERRORS})
def hours_decision(request, public_id: UUID, payload: DecisionIn):
    """Approve or reject reported hours (a reason is needed to reject)."""
    if payload.action not in ("approve", "reject"):
        raise DomainError(
            Msg("操作应为 approve 或 reject", "action must be approve or reject"), code="validation_failed", status=422
        )
    row = selectors.hours_get(actor=request.actor, public_id=public_id)
    services.hours_decide(actor=request.actor, row=row, approve=payload.action == "approve", reason=payload.reason)
    return _hours(selectors.hours_get(actor=request.actor, public_id=public_id))
