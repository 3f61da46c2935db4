"""Grid events over JSON: categories and their routes, the duplicate check and the router's
suggestion before a report, reporting (multipart, with photos), queues, one event with its
timeline and the steps open to you, every workflow step, whistle check-ins, supervision, the
rates and the map's points. Parse → actor → one service or selector → schema; outside your
scope an event is a 404, as if it did not exist."""

from datetime import date, datetime
from uuid import UUID

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from linli.core.apitools import ErrorOut, IsoDate, MappedRows, Page
from linli.core.errors import FieldError, Msg, validation_failed
from linli.core.idempotency import idempotent
from linli.grid_events.domain import PHOTO_MAX_BYTES, PHOTOS_PER_STEP
from linli.grid_events.selectors import (
    DEPARTMENT_QUEUES,
    QUEUES,
    category_get,
    category_list,
    department_rates,
    duplicates_near,
    event_actions,
    event_assignments,
    event_get,
    event_holder_name,
    event_photos,
    event_points,
    event_queue,
    event_supervisions,
    event_timeline,
    event_whistles,
    is_overdue,
    period_bounds,
    photo_get,
    rates_allowed,
    response_get,
    router_suggestion,
    supervision_get,
    supervision_list,
    timeline_rows,
    unit_rates,
    whistle_board,
)
from linli.grid_events.services import (
    CategoryInput,
    PhotoUpload,
    ReportInput,
    StepInput,
    category_route_set,
    category_save,
    event_report,
    event_transition,
    photo_read,
    supervision_answer,
    supervision_issue,
    whistle_check_in,
)

router = Router(tags=["grid events"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# ---------------------------------------------------------------- categories


class CategoryOut(Schema):
    code: str
    kind: str
    major_code: str
    major_name: str
    name: str
    department_kind: str
    register_minutes: int
    dispatch_minutes: int
    accept_minutes: int
    handle_minutes: int
    handle_urgent_minutes: int
    verify_minutes: int
    is_active: bool


@router.get("/categories", response=list[CategoryOut])
def categories(request, q: str = Query("", max_length=30), include_inactive: bool = False):
    """Event (事件) and component (部件) classes and the city's own, with limits in minutes."""
    return category_list(q=q, include_inactive=include_inactive)


class CategoryIn(Schema):
    name: str = Field("", max_length=60, description="City-defined categories only (code X…)")
    major_name: str = Field("", max_length=40)
    department_kind: str = ""
    register_minutes: int | None = None
    dispatch_minutes: int | None = None
    accept_minutes: int | None = None
    handle_minutes: int | None = None
    handle_urgent_minutes: int | None = None
    verify_minutes: int | None = None
    is_active: bool = True


@router.put("/categories/{code}", response={200: CategoryOut, **ERRORS})
def category_put(request, code: str, payload: CategoryIn):
    """Edit a category's responsible department kind and limits, or create a city one (X…)."""
    return category_save(actor=request.actor, data=CategoryInput(code=code, **payload.model_dump()))


class RouteIn(Schema):
    department_id: int | None = Field(None, description="None: back to the department of the category's kind")


@router.put("/categories/{code}/routes/{district}", response={204: None, **ERRORS})
def category_route(request, code: str, district: str, payload: RouteIn):
    """A district's own responsible department for a category."""
    category_route_set(actor=request.actor, code=code, district_path=district, department_id=payload.department_id)
    return Status(204, None)


# ---------------------------------------------------------------- before reporting


class DuplicateOut(Schema):
    number: str
    category: str
    state: str
    distance_m: int
    reported_at: datetime


@router.get("/duplicates", response=list[DuplicateOut])
def duplicates(
    request,
    lat: float = Query(..., ge=-90, le=90),
    lng: float = Query(..., ge=-180, le=180),
    category: str = Query("", max_length=16),
    text: str = Query("", max_length=4000, description="The new report's description: ranks by what it says"),
):
    """Events of the same or a related category near a point (WGS-84) in the time window, the
    likeliest first: the same category, then the same words, then the nearer."""
    return [
        {
            "number": e.number,
            "category": e.category.name if e.category else "",
            "state": e.state,
            "distance_m": round(e.distance),
            "reported_at": e.reported_at,
        }
        for e in duplicates_near(lat=lat, lng=lng, category_code=category, text=text)
    ]


class SuggestIn(Schema):
    text: str = Field(..., max_length=4000)


class SuggestOut(Schema):
    category: str | None
    name: str | None
    confidence: float | None
    confident: bool = Field(description="At or above LINLI_ROUTER_MIN_CONFIDENCE: taken without asking")


@router.post("/suggest", response=SuggestOut)
def suggest(request, payload: SuggestIn):
    """The router's category for a free-text description, with its confidence."""
    suggestion = router_suggestion(payload.text)
    if suggestion is None:
        return {"category": None, "name": None, "confidence": None, "confident": False}
    code, confidence = suggestion
    category = category_get(code)
    return {
        "category": code,
        "name": category.name if category else None,
        "confidence": round(confidence, 3),
        "confident": confidence >= settings.LINLI_ROUTER_MIN_CONFIDENCE,
    }


# ---------------------------------------------------------------- events


class EventIn(Schema):
    description: str = Field(..., max_length=4000)
    lat: float | None = None
    lng: float | None = None
    coordinates: str = Field("wgs84", description="wgs84, or gcj02 as Chinese map pickers give")
    category: str = Field("", max_length=16, description="Empty: the router suggests one")
    urgency: str = "normal"
    address: str = Field("", max_length=200)
    building: str = Field("", description="A building's public id (instead of, or with, lat/lng)")
    channel: str = Field("grid_patrol", description="grid_patrol, resident_photo, hotline or staff")
    not_duplicate: bool = Field(False, description="Reported anyway after seeing the proposed duplicates")


class PhotoOut(Schema):
    public_id: UUID
    stage: str
    content_type: str
    size: int
    uploaded_at: datetime


class GridEventOut(Schema):
    public_id: UUID
    number: str
    state: str
    category: str | None
    category_name: str | None
    suggested_category: str | None
    suggestion_confidence: float | None
    description: str
    urgency: str
    channel: str
    lat: float
    lng: float
    address: str
    community_path: str
    path: str
    holder: str = Field(description="Name of the unit or department holding the event now")
    reported_at: datetime
    stage_due_at: datetime | None
    handle_due_at: datetime | None
    overdue: bool
    supervision_level: int
    rework_count: int
    rating: int | None


class StepOut(Schema):
    at: datetime
    action: str
    label: str
    actor_name: str
    note: str
    from_holder: str
    to_holder: str
    details: dict


class AssignmentOut(Schema):
    department: str
    department_id: int
    role: str
    state: str
    assigned_at: datetime
    accept_due_at: datetime
    answered_at: datetime | None
    return_reason: str
    due_at: datetime | None
    handled_at: datetime | None
    solved: bool


class ResponseOut(Schema):
    department: str
    department_id: int
    is_lead: bool
    checked_in_at: datetime | None
    checked_in_by_name: str


class WhistleOut(Schema):
    public_id: UUID
    event: str
    blown_by_name: str
    unit_path: str
    reason: str
    created_at: datetime
    check_in_due_at: datetime
    responses: list[ResponseOut]


class SupervisionOut(Schema):
    id: int
    event: str
    level: int
    issued_by_name: str
    note: str
    created_at: datetime
    due_at: datetime
    answered_at: datetime | None
    answer: str


class EventDetailOut(GridEventOut):
    actions: list[str] = Field(description="The workflow steps you may take now")
    timeline: list[StepOut]
    assignments: list[AssignmentOut]
    whistles: list[WhistleOut]
    supervisions: list[SupervisionOut]
    photos: list[PhotoOut]


def _event(event) -> dict:
    return {
        "public_id": event.public_id,
        "number": event.number,
        "state": event.state,
        "category": event.category.code if event.category_id else None,
        "category_name": event.category.name if event.category_id else None,
        "suggested_category": event.suggested_category.code if event.suggested_category_id else None,
        "suggestion_confidence": event.suggestion_confidence,
        "description": event.description,
        "urgency": event.urgency,
        "channel": event.channel,
        "lat": event.lat,
        "lng": event.lng,
        "address": event.address,
        "community_path": event.community_path,
        "path": event.path,
        "holder": event_holder_name(event),
        "reported_at": event.reported_at,
        "stage_due_at": event.stage_due_at,
        "handle_due_at": event.handle_due_at,
        "overdue": is_overdue(event),
        "supervision_level": event.supervision_level,
        "rework_count": event.rework_count,
        "rating": event.rating,
    }


def _whistle(whistle) -> dict:
    return {
        "public_id": whistle.public_id,
        "event": whistle.event.number,
        "blown_by_name": whistle.blown_by_name,
        "unit_path": whistle.unit_path,
        "reason": whistle.reason,
        "created_at": whistle.created_at,
        "check_in_due_at": whistle.check_in_due_at,
        "responses": [
            {
                "department": r.department.name,
                "department_id": r.department_id,
                "is_lead": r.is_lead,
                "checked_in_at": r.checked_in_at,
                "checked_in_by_name": r.checked_in_by_name,
            }
            for r in whistle.responses.all()
        ],
    }


def _supervision(s) -> dict:
    return {
        "id": s.pk,
        "event": s.event.number,
        "level": s.level,
        "issued_by_name": s.issued_by_name,
        "note": s.note,
        "created_at": s.created_at,
        "due_at": s.due_at,
        "answered_at": s.answered_at,
        "answer": s.answer,
    }


def _detail(actor, event, *, new: bool = False) -> dict:
    """The event with everything around it. For a report just created (`new`) the answer is
    built from what `event_report` wrote: its one step and its photos, no tasks, whistles or
    notices — re-reading them was a third of the cost of reporting (see benchmarks)."""
    if new:
        around = {"assignments": [], "whistles": [], "supervisions": []}
    else:
        around = {
            "assignments": [
                {
                    "department": a.department.name,
                    **{f: getattr(a, f) for f in AssignmentOut.model_fields if f != "department"},
                }
                for a in event_assignments(event)
            ],
            "whistles": [_whistle(w) for w in event_whistles(event)],
            "supervisions": [_supervision(s) for s in event_supervisions(event)],
        }
    data = _event(event) | around
    data |= {
        "actions": event_actions(actor=actor, event=event),
        "timeline": [row.__dict__ for row in (timeline_rows(event.new_steps) if new else event_timeline(event))],
        "photos": event.new_photos if new else list(event_photos(event)),
    }
    return EventDetailOut(**data).model_dump(mode="json")


def _photos(files: list[UploadedFile] | None) -> list[PhotoUpload]:
    files = files or []
    if len(files) > PHOTOS_PER_STEP:
        raise validation_failed(
            [FieldError("photos", Msg(f"每次最多 {PHOTOS_PER_STEP} 张照片", f"At most {PHOTOS_PER_STEP} photos"))]
        )
    # read one byte past the limit so the service can say "too large" without reading more
    return [PhotoUpload(f.name or "photo", f.read(PHOTO_MAX_BYTES + 1)) for f in files]


@router.post("/events", response={201: EventDetailOut, **ERRORS})
def event_create(request, payload: Form[EventIn], photos: File[list[UploadedFile]] = None):
    """Report a problem (multipart form; photos as `photos`). Similar events nearby answer 409
    `duplicates_proposed` listing them, unless `not_duplicate` is true. Without a category the
    router suggests one; at or above the confidence threshold it is taken. Accepts an
    `Idempotency-Key` header."""

    def create():
        data = ReportInput(
            description=payload.description,
            lat=payload.lat,
            lng=payload.lng,
            coordinates=payload.coordinates,
            category_code=payload.category,
            urgency=payload.urgency,
            address=payload.address,
            building_id=payload.building,
            channel=payload.channel,
            not_duplicate=payload.not_duplicate,
            photos=_photos(photos),
        )
        return 201, _detail(request.actor, event_report(actor=request.actor, data=data), new=True)

    return Status(*idempotent(request, create))


@router.get("/events", response=list[GridEventOut])
@paginate(Page)
def events(
    request,
    queue: str = Query("all", description=f"One of {', '.join(QUEUES + DEPARTMENT_QUEUES)}"),
    q: str = Query("", max_length=50, description="Number, words of the description or address"),
):
    """Your queues: community (to_register, to_dispatch, to_verify, in_progress, overdue, closed),
    department (pending, handling, overdue, done), mine (reported by you), all."""
    if queue not in QUEUES + DEPARTMENT_QUEUES:
        raise validation_failed([FieldError("queue", Msg("未知的队列", "Unknown queue"))])
    events = event_queue(actor=request.actor, queue=queue, q=q).select_related("suggested_category")
    return MappedRows(events, _event)  # the holder's name is not a column


@router.get("/events/{key}", response={200: EventDetailOut, 404: ErrorOut})
def event_detail(request, key: str):
    """An event by number or public id, with timeline, tasks, whistles, supervision and photos."""
    return _detail(request.actor, event_get(actor=request.actor, key=key))


class EventStepIn(Schema):
    note: str = Field("", max_length=2000, description="Reason (return, reject, whistle, verify_fail) or note")
    category: str = Field("", max_length=16, description="register: the category")
    urgency: str = ""
    department_id: int | None = Field(None, description="dispatch: empty = the category's default")
    duplicate_of: str = Field("", description="merge: the original event's number")
    departments: list[int] = Field([], description="whistle: departments to summon, lead first")
    score: int | None = Field(None, description="rate: 1–5")


@router.post("/events/{key}/actions/{action}", response={200: EventDetailOut, **ERRORS})
def event_step(request, key: str, action: str, payload: Form[EventStepIn], photos: File[list[UploadedFile]] = None):
    """A workflow step: register, reject, merge, self_handle, dispatch, accept, return, whistle,
    report_handled, verify_pass, verify_fail, rate. Not allowed from the state: 409."""
    event = event_get(actor=request.actor, key=key)
    data = StepInput(
        note=payload.note,
        category_code=payload.category,
        urgency=payload.urgency,
        department_id=payload.department_id,
        duplicate_of=payload.duplicate_of,
        departments=payload.departments,
        score=payload.score,
        photos=_photos(photos),
    )
    return _detail(request.actor, event_transition(actor=request.actor, event=event, action=action, data=data))


@router.get("/events/{key}/photos/{uuid:photo_id}", response={404: ErrorOut})
def photo_file(request, key: str, photo_id: UUID):
    """A photo's bytes; every read goes to the audit log."""
    event = event_get(actor=request.actor, key=key)
    photo = photo_get(event, photo_id)
    response = HttpResponse(photo_read(actor=request.actor, event=event, photo=photo), content_type=photo.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------- whistle and supervision


@router.get("/whistles", response=list[WhistleOut])
def whistles(request, open_only: bool = True):
    """The whistle board: who was summoned, who checked in and when."""
    return [_whistle(w) for w in whistle_board(actor=request.actor, open_only=open_only)[:200]]


class CheckInIn(Schema):
    note: str = Field("", max_length=500)
    department_id: int | None = Field(None, description="When you serve several summoned departments")


@router.post("/whistles/{uuid:whistle_id}/check-in", response={200: ResponseOut, **ERRORS})
def check_in(request, whistle_id: UUID, payload: CheckInIn):
    """报到: your department reports for a whistle (the lead's check-in accepts the task)."""
    response = response_get(actor=request.actor, public_id=whistle_id, department_id=payload.department_id)
    response = whistle_check_in(actor=request.actor, response=response, note=payload.note)
    return {
        "department": response.department.name,
        "department_id": response.department_id,
        "is_lead": response.is_lead,
        "checked_in_at": response.checked_in_at,
        "checked_in_by_name": response.checked_in_by_name,
    }


class SupervisionIn(Schema):
    level: int = Field(..., description="1 reminder, 2 supervision notice, 3 listed supervision")
    note: str = Field(..., max_length=2000)
    due_minutes: int = Field(0, description="Working minutes to answer; 0 = the current stage's due time")


@router.post("/events/{key}/supervisions", response={201: SupervisionOut, **ERRORS})
def supervise(request, key: str, payload: SupervisionIn):
    event = event_get(actor=request.actor, key=key)
    supervision = supervision_issue(actor=request.actor, event=event, **payload.model_dump())
    return Status(201, _supervision(supervision))


@router.get("/supervisions", response=list[SupervisionOut])
def supervisions(request, open_only: bool = True):
    return [_supervision(s) for s in supervision_list(actor=request.actor, open_only=open_only)[:200]]


class AnswerIn(Schema):
    answer: str = Field(..., max_length=2000)


@router.post("/supervisions/{int:pk}/answer", response={200: SupervisionOut, **ERRORS})
def supervision_reply(request, pk: int, payload: AnswerIn):
    supervision = supervision_get(actor=request.actor, pk=pk)
    return _supervision(supervision_answer(actor=request.actor, supervision=supervision, answer=payload.answer))


# ---------------------------------------------------------------- rates and map


class EventRatesOut(Schema):
    key: str
    name: str
    total: int
    response_rate: float | None
    solution_rate: float | None
    on_time_rate: float | None
    satisfaction_rate: float | None
    warning: str


def _period(since: date | None, until: date | None) -> tuple[datetime, datetime]:
    today = timezone.localdate()
    since = since or today.replace(day=1)
    until = until or today
    if until < since:
        raise validation_failed([FieldError("until", Msg("结束日期早于开始日期", "until is before since"))])
    return period_bounds(since, until)


@router.get("/rates/departments", response={200: list[EventRatesOut], **ERRORS})
def rates_departments(
    request,
    since: IsoDate | None = None,
    until: IsoDate | None = None,
    district: str = Query("", max_length=6, pattern=r"^(\d{6})?$", description="A district's code (6 digits)"),
):
    """Response, solution, on-time and satisfaction rates per department, ranked, with warnings."""
    rates_allowed(actor=request.actor, path=district)
    start, end = _period(since, until)
    return [
        r.__dict__ | {"warning": r.warning} for r in department_rates(since=start, until=end, district_path=district)
    ]


@router.get("/rates/units", response={200: list[EventRatesOut], **ERRORS})
def rates_units(
    request,
    parent: str = Query(..., min_length=4, max_length=12, pattern=r"^\d+$", description="A unit's path (digits)"),
    since: IsoDate | None = None,
    until: IsoDate | None = None,
):
    """The rates of the child units of `parent` (a district's streets, a street's communities)."""
    rates_allowed(actor=request.actor, path=parent)
    start, end = _period(since, until)
    rows = unit_rates(since=start, until=end, parent_path=parent)
    return [r.__dict__ | {"warning": r.warning} for r in rows]


class PointOut(Schema):
    number: str
    lat: float
    lng: float
    state: str
    state_name: str
    category: str
    overdue: bool


@router.get("/map/points", response={200: list[PointOut], **ERRORS})
def map_points(
    request,
    state: str = Query("", description="Comma-separated states; empty = all"),
    since: IsoDate | None = None,
    until: IsoDate | None = None,
):
    """The newest 2,000 events you may see, as points (WGS-84), with their state's name; `since` and
    `until` (YYYY-MM-DD) keep those reported on those days and between."""
    states = [s for s in state.split(",") if s] or None
    return event_points(actor=request.actor, states=states, since=since, until=until)
