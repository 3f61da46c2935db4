"""Reads of grid events, always through the actor's scope: staff see the events of their area
(a grid worker their grid), a department the events ever sent to it, a resident their own."""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from time import monotonic

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, Substr, TruncMonth
from django.utils import timezone

from linli.accounts.domain import GRID_REGISTER, GRID_VIEW, is_department_only
from linli.areas.selectors import (
    child_path_length,
    department_by_id,
    department_for,
    department_names,
    departments_at,
    district_units,
    org_unit_by_path,
    unit_names,
)
from linli.core.actor import Actor
from linli.core.errors import DomainError, FieldError, Msg, not_found
from linli.core.memo import memo
from linli.core.paths import under_path
from linli.core.selectors import count_each
from linli.grid_events.domain import (
    ENDED_STATES,
    GOOD_RATING_MIN,
    OPEN_STATES,
    AssignmentRole,
    AssignmentState,
    EventState,
    PhotoStage,
    Transition,
    degree_box,
    distance_m,
    rate,
    related_codes,
    step_label,
    transitions_from,
    warning_for,
)
from linli.grid_events.models import (
    Assignment,
    CategoryRoute,
    EventCategory,
    EventPhoto,
    EventStep,
    GridEvent,
    Open311Key,
    Response,
    Supervision,
    Whistle,
)
from linli.workdays.selectors import work_calendar

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------- categories


@memo(60)
def categories_by_code() -> dict[str, EventCategory]:
    """Every category, memoised per process for a minute: each report and step reads them."""
    return {c.code: c for c in EventCategory.objects.all()}


def category_list(*, include_inactive: bool = False, q: str = "") -> list[EventCategory]:
    rows = [c for c in categories_by_code().values() if include_inactive or c.is_active]
    if q:
        rows = [c for c in rows if q in c.name or q in c.major_name or c.code.startswith(q.upper())]
    return sorted(rows, key=lambda c: c.code)


def category_get(code: str) -> EventCategory | None:
    return categories_by_code().get((code or "").strip().upper())


def category_route_department(category: EventCategory, district_path: str):
    """The department answering for a category in a district: the district's own route if it set
    one, else its department of the category's kind."""
    route = _routes().get((category.pk, district_path))
    if route:
        return department_by_id(route)
    return department_for(unit_path=district_path, kind=category.department_kind)


@memo(60)
def _routes() -> dict[tuple[int, str], int]:
    return {
        (category_id, path): department_id
        for category_id, path, department_id in CategoryRoute.objects.values_list(
            "category_id", "district__path", "department_id"
        )
    }


def category_routes_forget() -> None:
    _routes.forget()


def districts_for(*, actor: Actor):
    """The districts (and counties) whose routes the actor may set: those their scope covers."""
    return [u for u in district_units() if actor.sees_path(u.path)]


def districts_paths(actor: Actor) -> list[str]:
    return [u.path for u in districts_for(actor=actor)]


def category_routes(category: EventCategory) -> QuerySet[CategoryRoute]:
    return category.routes.select_related("district", "department").order_by("district__path")


# ---------------------------------------------------------------- scope


def event_scope_q(actor: Actor) -> Q:
    query = Q(reporter_id=actor.user_id) if actor.user_id is not None else Q(pk__in=[])
    if not actor.has_perm(GRID_VIEW):
        return query
    if actor.department_ids:
        sent_to_us = Assignment.objects.filter(event_id=OuterRef("pk"), department_id__in=actor.department_ids)
        query |= Q(Exists(sent_to_us))
    if not is_department_only(actor):
        query |= actor.scope_q("path")
    return query


def event_list(*, actor: Actor) -> QuerySet[GridEvent]:
    if not actor.is_authenticated:
        return GridEvent.objects.none()
    return GridEvent.objects.filter(event_scope_q(actor)).select_related("category", "holder_department")


def event_get(*, actor: Actor, key) -> GridEvent:
    """An event by public id or number, if the actor may see it (else the same 404)."""
    key = str(key).strip()
    lookup = Q(number=key.upper())
    if len(key) == 36:
        lookup |= Q(public_id=key)
    event = event_list(actor=actor).filter(lookup).first()
    if event is None:
        raise not_found("事件", "Event")
    return event


def open311_event(number: str) -> GridEvent | None:
    """A public event by number, unscoped: for Open311 (see `open311_events`)."""
    return open311_events().filter(number=number.strip().upper()).first()


def event_by_token(token) -> GridEvent | None:
    return GridEvent.objects.filter(open311_token=token).first()


def open311_events() -> QuerySet[GridEvent]:
    """The events meant for the public, unscoped: residents' reports unless staff hid them, staff's
    own events once published (decision 0014). Open311 shows their public fields (never the
    reporter's contact or photos; numbers of persons masked) to anyone."""
    return GridEvent.objects.filter(is_public=True).select_related(
        "category", "building", "duplicate_of", "holder_department"
    )


def open311_key_client(api_key: str) -> str | None:
    """The client an active Open311 api_key was given to (only its SHA-256 is stored)."""
    if not api_key or len(api_key) > 200:
        return None
    digest = hashlib.sha256(api_key.encode("utf-8", "replace")).hexdigest()
    return Open311Key.objects.filter(key_hash=digest, is_active=True).values_list("name", flat=True).first()


def is_reporter(actor: Actor, event: GridEvent) -> bool:
    return actor.user_id is not None and event.reporter_id == actor.user_id


# ---------------------------------------------------------------- who may act


def holds(actor: Actor, event: GridEvent) -> bool:
    """Is the actor on the side of the unit or department holding the event now? The grid
    worker of the event's grid stands for its community (they verify on site)."""
    if event.holder_department_id:
        return event.holder_department_id in actor.department_ids
    if is_department_only(actor):
        return False
    if actor.sees_path(event.holder_path):
        return True
    return event.holder_path == event.community_path and actor.sees_path(event.path)


def owns(actor: Actor, event: GridEvent) -> bool:
    """Staff of the event's place (its community or an ancestor), whoever holds it now."""
    return not is_department_only(actor) and actor.sees_path(event.community_path)


def may_publish(actor: Actor, event: GridEvent) -> bool:
    """Who decides whether the public sees an event: staff of its place who register events."""
    return actor.has_perm(GRID_REGISTER) and owns(actor, event)


def may_act(actor: Actor, event: GridEvent, transition: Transition) -> bool:
    if not actor.has_perm(transition.permission):
        return False
    if transition.side == "reporter":
        return is_reporter(actor, event)
    if transition.side == "owner":
        return owns(actor, event)
    return holds(actor, event)


def event_actions(*, actor: Actor, event: GridEvent) -> list[str]:
    return [t.action for t in transitions_from(event.state) if may_act(actor, event, t)]


# ---------------------------------------------------------------- duplicates


def duplicates_near(
    *,
    lat: float,
    lng: float,
    category_code: str = "",
    text: str = "",
    likely_category: str = "",
    at: datetime | None = None,
    exclude_id: int | None = None,
) -> list[GridEvent]:
    """Open or recent events of the same or a related category (same major class) within the
    configured radius and time window, the likeliest first (`_rank_similar`). Unscoped on purpose:
    a grid worker must see that the neighbouring grid already reported the burst pipe; callers
    show number, category, state and distance only. `likely_category` (the router's guess when
    none was chosen) ranks without filtering: the guess may be wrong."""
    at = at or timezone.now()
    radius = settings.LINLI_DUPLICATE_RADIUS_M
    south, north, west, east = degree_box(lat, lng, radius)
    since = at - timedelta(hours=settings.LINLI_DUPLICATE_WINDOW_HOURS)
    candidates = GridEvent.objects.filter(
        lat__range=(south, north), lng__range=(west, east), reported_at__gte=since, reported_at__lte=at
    ).exclude(state__in=[EventState.REJECTED, EventState.MERGED])
    if exclude_id:
        candidates = candidates.exclude(pk=exclude_id)
    if category_code:
        code, major = related_codes(category_code)
        candidates = candidates.filter(Q(category__code=code) | Q(category__major_code=major) | Q(category=None))
    found = []
    for event in candidates.select_related("category").order_by("-reported_at")[:50]:
        event.distance = distance_m(lat, lng, event.lat, event.lng)
        if event.distance <= radius:
            found.append(event)
    return _rank_similar(found, text=text, category_code=category_code or likely_category)


def _rank_similar(events: list[GridEvent], *, text: str, category_code: str) -> list[GridEvent]:
    """Same category first, then the same major class, then the rest; within each, the description
    that says most nearly the same (the router's words, in steps of 0.1 so that a near tie goes to
    the nearer), then the nearer. Distance alone put a different problem next door first."""
    if text.strip() and events:
        from linli.grid_events import routing  # jieba: loaded with the router at worker start

        for event, score in zip(events, routing.similarities(text, [e.description for e in events]), strict=True):
            event.similarity = score
    code, major = related_codes(category_code) if category_code else ("", "")

    def relation(event: GridEvent) -> int:
        if not code or event.category is None:
            return 2 if code else 0
        return 0 if event.category.code == code else 1 if event.category.major_code == major else 2

    return sorted(events, key=lambda e: (relation(e), -round(getattr(e, "similarity", 0.0), 1), e.distance))


# ---------------------------------------------------------------- queues


QUEUES = (
    "mine",
    "to_register",
    "to_dispatch",
    "returned",
    "to_verify",
    "in_progress",
    "overdue",
    "supervised",
    "closed",
    "all",
)
DEPARTMENT_QUEUES = ("pending", "handling", "overdue", "supervised", "done")


def _held_by_q(actor: Actor) -> Q:
    query = Q(holder_department_id__in=actor.department_ids)
    if not is_department_only(actor):
        for prefix in actor.scope_paths:
            query |= under_path("holder_path", prefix[:12])
    return query


def _supervised_q(actor: Actor) -> Q:
    """Events with an unanswered supervision notice addressed to the actor's unit or department."""
    target = Q(target_department_id__in=actor.department_ids)
    if not is_department_only(actor):
        for prefix in actor.scope_paths:
            target |= under_path("target_path", prefix[:12])
    return Q(pk__in=Supervision.objects.filter(target, answered_at__isnull=True).values("event"))


def _event_queue_q(actor: Actor, queue: str, now: datetime) -> Q:
    """The one rule for what each queue holds, shared by the board, its tab counts and the workbench."""
    if queue == "mine":
        return Q(reporter_id=actor.user_id)
    if queue == "to_register":
        return Q(state=EventState.REPORTED)
    if queue == "to_dispatch":
        return Q(state=EventState.REGISTERED)
    if queue == "returned":  # a department sent it back as not theirs: to dispatch again
        returned = Assignment.objects.filter(state=AssignmentState.RETURNED).values("event")
        return Q(state=EventState.REGISTERED, pk__in=returned)
    if queue == "to_verify":
        return Q(state=EventState.HANDLED)
    if queue == "in_progress":
        return Q(state__in=[EventState.DISPATCHED, EventState.HANDLING])
    if queue == "overdue":
        overdue = Q(state__in=OPEN_STATES, stage_due_at__lt=now)
        return overdue & _held_by_q(actor) if is_department_only(actor) else overdue
    if queue == "closed":
        return Q(state__in=ENDED_STATES)
    if queue == "supervised":
        return _supervised_q(actor) & Q(state__in=OPEN_STATES)
    # a department's own queues
    if queue == "pending":
        return Q(state=EventState.DISPATCHED) & _held_by_q(actor)
    if queue == "handling":
        return Q(state=EventState.HANDLING) & _held_by_q(actor)
    if queue == "done":
        return Q(pk__in=Assignment.objects.filter(department_id__in=actor.department_ids, solved=True).values("event"))
    return Q()


def event_queue(*, actor: Actor, queue: str, q: str = "") -> QuerySet[GridEvent]:
    events = event_list(actor=actor).filter(_event_queue_q(actor, queue, timezone.now()))
    if q:
        events = events.filter(Q(number__icontains=q) | Q(description__icontains=q) | Q(address__icontains=q))
    order = (
        "stage_due_at"
        if queue in {"overdue", "pending", "handling", "to_register", "to_dispatch", "returned", "supervised"}
        else "-reported_at"
    )
    return events.order_by(order, "pk")


def event_queue_counts(*, actor: Actor, queues: tuple[str, ...], now: datetime | None = None) -> dict[str, int]:
    """How many events each queue holds, in one conditional aggregate (board tabs, workbench)."""
    now = now or timezone.now()
    return count_each(event_list(actor=actor), {queue: _event_queue_q(actor, queue, now) for queue in queues})


def events_to_do(*, actor: Actor, queues: tuple[str, ...], limit: int = 5) -> list[GridEvent]:
    """The first open events of the actor's working queues, the earliest stage deadline first."""
    now = timezone.now()
    rule = Q(pk__in=[])
    for queue in queues:
        rule |= _event_queue_q(actor, queue, now)
    events = event_list(actor=actor).filter(rule, state__in=OPEN_STATES).select_related("category")
    return list(events.order_by(F("stage_due_at").asc(nulls_last=True), "pk")[:limit])


def event_search(*, actor: Actor, text: str, limit: int) -> list[GridEvent]:
    """Events in scope by number (from six characters with a digit), else by words of the address,
    newest first (the header search)."""
    events = event_list(actor=actor).select_related("category")
    if len(text) >= 6 and any(c.isdigit() for c in text):
        by_number = events.filter(number__icontains=text.upper())
        if by_number.exists():
            return list(by_number.order_by("-reported_at")[:limit])
    return list(events.filter(address__icontains=text).order_by("-reported_at")[:limit])


def events_reported_by(*, actor: Actor, user_id: int, limit: int) -> list[GridEvent]:
    """What one resident account reported (随手拍), as far as the actor sees, newest first."""
    events = event_list(actor=actor).filter(reporter_id=user_id).select_related("category")
    return list(events.order_by("-reported_at")[:limit])


def check_ins_due(*, actor: Actor) -> int:
    """Summons (吹哨) to the actor's departments not yet checked in (报到) on open events."""
    if not actor.department_ids:
        return 0
    return Response.objects.filter(
        department_id__in=actor.department_ids, checked_in_at__isnull=True, whistle__event__state__in=OPEN_STATES
    ).count()


def is_overdue(event: GridEvent, now: datetime | None = None) -> bool:
    return (
        event.state in OPEN_STATES and event.stage_due_at is not None and event.stage_due_at < (now or timezone.now())
    )


# ---------------------------------------------------------------- one event


@dataclass(frozen=True)
class TimelineRow:
    at: datetime
    action: str
    label: str
    actor_name: str
    note: str
    from_holder: str
    to_holder: str
    details: dict


def holder_name(holder: str, names: dict[str, str] | None = None) -> str:
    """A readable name for "unit:<path>" or "dept:<id>"."""
    kind, _, key = holder.partition(":")
    if kind == "dept":
        department = department_by_id(int(key)) if key.isdigit() else None
        return department.name if department else key
    if kind == "unit":
        return (names or unit_names([key])).get(key, key)
    return holder


def event_timeline(event: GridEvent) -> list[TimelineRow]:
    return timeline_rows(list(EventStep.objects.filter(event=event).order_by("at", "pk")))


def timeline_rows(steps: list[EventStep]) -> list[TimelineRow]:
    unit_paths = {h.partition(":")[2] for s in steps for h in (s.from_holder, s.to_holder) if h.startswith("unit:")}
    names = {path: unit.name for path in unit_paths if (unit := org_unit_by_path(path))}
    return [
        TimelineRow(
            s.at,
            s.action,
            str(step_label(s.action)),
            s.actor_name,
            s.note,
            holder_name(s.from_holder, names) if s.from_holder else "",
            holder_name(s.to_holder, names) if s.to_holder else "",
            s.details,
        )
        for s in steps
    ]


def event_holder_name(event: GridEvent) -> str:
    if event.holder_department:
        return event.holder_department.name
    unit = org_unit_by_path(event.holder_path)  # memoised: a unit's name changes by import only
    return unit.name if unit else event.holder_path


def event_photos(event: GridEvent, stage: str = "") -> QuerySet[EventPhoto]:
    photos = EventPhoto.objects.filter(event=event)
    return photos.filter(stage=stage) if stage else photos


def photo_get(event: GridEvent, public_id) -> EventPhoto:
    photo = EventPhoto.objects.filter(event=event, public_id=public_id).first()
    if photo is None:
        raise not_found("照片", "Photo")
    return photo


def event_assignments(event: GridEvent) -> QuerySet[Assignment]:
    return Assignment.objects.filter(event=event).select_related("department").order_by("assigned_at", "pk")


def lead_assignment(event: GridEvent) -> Assignment | None:
    """The lead department's live task (not returned or withdrawn), if any."""
    return (
        Assignment.objects.filter(event=event, role=AssignmentRole.LEAD)
        .exclude(state__in=[AssignmentState.RETURNED, AssignmentState.CANCELLED])
        .order_by("-assigned_at", "-pk")
        .first()
    )


def dispatch_departments(event: GridEvent):
    """The district's departments first, then the city's."""
    return departments_at([event.community_path[:6], event.community_path[:4]])


def event_whistles(event: GridEvent) -> QuerySet[Whistle]:
    return Whistle.objects.filter(event=event).prefetch_related("responses__department")


def event_supervisions(event: GridEvent) -> QuerySet[Supervision]:
    return Supervision.objects.filter(event=event).select_related("target_department")


def response_get(*, actor: Actor, public_id, department_id: int | None = None) -> Response:
    """The actor's department's summons on a whistle."""
    responses = Response.objects.select_related("whistle__event", "department").filter(
        whistle__public_id=public_id, department_id__in=actor.department_ids
    )
    if department_id:
        responses = responses.filter(department_id=department_id)
    response = responses.first()
    if response is None:
        raise not_found("吹哨报到", "Whistle summons")
    return response


def supervision_get(*, actor: Actor, pk: int) -> Supervision:
    supervision = Supervision.objects.select_related("event").filter(pk=pk).first()
    if supervision is None or not event_list(actor=actor).filter(pk=supervision.event_id).exists():
        raise not_found("督办", "Supervision")
    return supervision


# ---------------------------------------------------------------- boards


def whistle_board(*, actor: Actor, open_only: bool = True) -> QuerySet[Whistle]:
    """Whistles on the events the actor sees, newest first, with each summons' check-in."""
    whistles = Whistle.objects.filter(event__in=event_list(actor=actor)).select_related("event")
    if open_only:
        whistles = whistles.filter(event__state__in=OPEN_STATES)
    return whistles.prefetch_related("responses__department").order_by("-created_at")


def supervision_list(*, actor: Actor, open_only: bool = True) -> QuerySet[Supervision]:
    supervisions = Supervision.objects.filter(event__in=event_list(actor=actor)).select_related(
        "event", "target_department"
    )
    if open_only:
        supervisions = supervisions.filter(answered_at__isnull=True)
    return supervisions.order_by("-level", "due_at")


# ---------------------------------------------------------------- rates


@dataclass
class Rates:
    key: str
    name: str
    total: int
    response_rate: float | None
    solution_rate: float | None
    on_time_rate: float | None
    satisfaction_rate: float | None
    open_overdue: int = 0

    @property
    def warning(self) -> str:
        return warning_for(self.response_rate, self.solution_rate, self.satisfaction_rate)


def period_bounds(since: date, until: date) -> tuple[datetime, datetime]:
    """Whole local days: [since 00:00, the day after `until` 00:00)."""
    start = timezone.make_aware(datetime.combine(since, time.min))
    return start, timezone.make_aware(datetime.combine(until + timedelta(days=1), time.min))


def rates_allowed(*, actor: Actor, path: str) -> None:
    """Rankings are open to staff of the area they cover (the city's when `path` is empty)."""
    covered = actor.sees_path(path) if path else any(len(p) <= CITY_PATH_LENGTH for p in actor.scope_paths)
    if not (actor.has_perm(GRID_VIEW) and covered):
        raise not_found("单位", "Unit")


CITY_PATH_LENGTH = 4


def _sum_if(condition: Q):
    return Coalesce(Sum(1, filter=condition), 0)


def department_rates(*, since: datetime, until: datetime, district_path: str = "") -> list[Rates]:
    """The three rates (and on-time) of every department over the tasks sent to it in
    [since, until): one grouped query over the task table, whose flags were set by the timeline
    steps (see the formulas in domain)."""
    tasks = Assignment.objects.filter(assigned_at__gte=since, assigned_at__lt=until)
    if district_path:
        tasks = tasks.filter(department__path__startswith=district_path[:6])
    now = timezone.now()
    rows = (
        tasks.values("department_id")
        .annotate(
            total=Count("pk"),
            answer_due=_sum_if(Q(answered_at__isnull=False) | Q(accept_due_at__lt=now)),
            answered_on_time=_sum_if(Q(answered_on_time=True)),
            accepted=_sum_if(~Q(state__in=[AssignmentState.RETURNED, AssignmentState.CANCELLED])),
            solved=_sum_if(Q(solved=True)),
            solved_on_time=_sum_if(Q(solved_on_time=True)),
            rated=_sum_if(Q(rating__isnull=False)),
            good=_sum_if(Q(rating__gte=GOOD_RATING_MIN)),
        )
        .order_by()
    )
    return _rates_rows(rows, "department_id", department_names)


def unit_rates(*, since: datetime, until: datetime, parent_path: str, child_length: int | None = None) -> list[Rates]:
    """The rates of each child unit (streets of a district, communities of a street) over the
    events reported in its area in [since, until)."""
    child_length = child_length or min(child_path_length(parent_path), 12)
    events = GridEvent.objects.filter(
        under_path("community_path", parent_path), reported_at__gte=since, reported_at__lt=until
    )
    registered = ~Q(state__in=[EventState.REPORTED, EventState.REJECTED, EventState.MERGED])
    rows = (
        events.annotate(unit=Substr("community_path", 1, child_length))
        .values("unit")
        .annotate(
            total=Count("pk"),
            answer_due=Count("pk"),
            answered_on_time=_sum_if(Q(registered_at__isnull=False) & Q(registered_at__lte=F("register_due_at"))),
            accepted=_sum_if(registered),
            solved=_sum_if(Q(state__in=[EventState.CLOSED, EventState.EVALUATED])),
            solved_on_time=_sum_if(Q(closed_on_time=True)),
            rated=_sum_if(Q(rating__isnull=False)),
            good=_sum_if(Q(rating__gte=GOOD_RATING_MIN)),
        )
        .order_by()
    )
    return _rates_rows(rows, "unit", unit_names)


def _rates_rows(rows, key: str, names_for) -> list[Rates]:
    rows = list(rows)
    names = names_for([r[key] for r in rows])
    result = [
        Rates(
            key=str(r[key]),
            name=names.get(r[key], str(r[key])),
            total=r["total"],
            response_rate=rate(r["answered_on_time"], r["answer_due"]),
            solution_rate=rate(r["solved"], r["accepted"]),
            on_time_rate=rate(r["solved_on_time"], r["solved"]),
            satisfaction_rate=rate(r["good"], r["rated"]),
        )
        for r in rows
    ]
    return sorted(result, key=_ranking_key)


@dataclass(frozen=True)
class EventMonth:
    month: date  # the first day of the month
    reported: int
    solved: int
    solved_on_time: int


TREND_MONTHS = 12


def event_monthly_trend(*, actor: Actor, path: str, months: int = TREND_MONTHS) -> list[EventMonth]:
    """Events reported in the area per month, and how many of them are solved (closed or
    evaluated) and closed on time, for the last `months` months including this one, every month
    listed (empty ones as zeros): one grouped query over the reporting-time index."""
    rates_allowed(actor=actor, path=path)
    today = timezone.localdate()
    firsts = [today.replace(day=1)]
    for _ in range(max(1, min(months, 36)) - 1):
        firsts.insert(0, (firsts[0] - timedelta(days=1)).replace(day=1))
    since, until = period_bounds(firsts[0], today)
    rows = (
        GridEvent.objects.filter(under_path("community_path", path), reported_at__gte=since, reported_at__lt=until)
        .annotate(month=TruncMonth("reported_at"))
        .values("month")
        .annotate(
            reported=Count("pk"),
            solved=_sum_if(Q(state__in=[EventState.CLOSED, EventState.EVALUATED])),
            solved_on_time=_sum_if(Q(closed_on_time=True)),
        )
        .order_by()
    )
    by_month = {timezone.localtime(row["month"]).date(): row for row in rows}
    empty = {"reported": 0, "solved": 0, "solved_on_time": 0}
    return [
        EventMonth(first, **{k: by_month.get(first, empty)[k] for k in ("reported", "solved", "solved_on_time")})
        for first in firsts
    ]


def _ranking_key(row: Rates):
    """Rank by the mean of the three rates (missing ones count as 1: no work, no blame), then size."""
    figures = [x if x is not None else 1.0 for x in (row.response_rate, row.solution_rate, row.satisfaction_rate)]
    return (-sum(figures) / 3, -row.total, row.key)


# ---------------------------------------------------------------- map


def event_points(
    *,
    actor: Actor,
    states: list[str] | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = 2000,
) -> list[dict]:
    """The newest events the actor may see as map points, optionally only these states and
    those reported between `since` and `until` (whole local days); each with its state's
    translated name, so a map never shows a raw state code."""
    unknown = sorted(set(states or ()) - set(EventState.values))
    if unknown:
        raise DomainError(
            Msg(
                f"参数 state 有误：没有状态 {', '.join(unknown)}",
                f"The parameter state is invalid: no state {', '.join(unknown)}",
            ),
            fields=[FieldError("state", Msg("未知的状态", "unknown state"))],
        )
    events = event_list(actor=actor)
    if states:
        events = events.filter(state__in=states)
    if since:
        events = events.filter(reported_at__gte=period_bounds(since, since)[0])
    if until:
        events = events.filter(reported_at__lt=period_bounds(until, until)[1])
    now = timezone.now()
    names = dict(EventState.choices)
    return [
        {
            "number": e["number"],
            "lat": round(e["lat"], 6),
            "lng": round(e["lng"], 6),
            "state": e["state"],
            "state_name": str(names.get(e["state"], "")),
            "category": e["category__name"] or "",
            "overdue": e["state"] in OPEN_STATES and e["stage_due_at"] is not None and e["stage_due_at"] < now,
        }
        for e in events.order_by("-reported_at").values(
            "number", "lat", "lng", "state", "category__name", "stage_due_at"
        )[:limit]
    ]


def deadline_after(start: datetime, minutes: int, *, urgent: bool) -> datetime:
    """Urgent limits count clock minutes; normal ones working minutes of the work calendar."""
    if urgent:
        return start + timedelta(minutes=minutes)
    return work_calendar().add_working_minutes(start, minutes)


# ---------------------------------------------------------------- the router's suggestion


@memo(300)
def _router_model_path() -> Path | None:
    """The newest trained model file in LINLI_ROUTER_DIR, looked for again every five minutes, so
    a model trained by `linli router train` is picked up without a restart. Imported here, not at
    the top: scikit-learn takes a second to import and most processes (commands, task workers)
    never route a report."""
    directory = Path(settings.LINLI_ROUTER_DIR)
    if not directory.is_dir() or not any(directory.iterdir()):
        return None
    from linli.grid_events import routing

    return routing.latest_model_path(directory)


_router_lock = threading.Lock()
_router_loaded: dict = {}  # {"path": Path, "model": RouterModel | None}: this process's copy


def _router_model():
    """The model at `_router_model_path()`, loaded once per process and again only when a newer
    file appears (a load takes seconds). One load at a time: a report that arrives while the
    worker's start-up load (`router_warm`) runs waits for it rather than loading a second copy."""
    path = _router_model_path()
    if path is None:
        return None
    with _router_lock:
        if _router_loaded.get("path") != path:
            _router_loaded.clear()
            _router_loaded.update(path=path, model=_router_load(path))
        return _router_loaded["model"]


def _router_load(path: Path):
    from linli.grid_events import routing

    try:
        return routing.load(path)
    except Exception:  # a model from another library version: route by hand until retrained
        logger.warning("router model %s could not be loaded", path.name, exc_info=True)
        return None


def router_warm() -> None:
    """Load the model and route one text (jieba reads its dictionary on first use), so that no
    report waits for either: each web worker runs this on a background thread as it starts
    (`linli.config.wsgi`); tests and management commands never do."""
    started = monotonic()
    router_suggestion("路灯不亮")
    logger.info("router warmed in %.1f s", monotonic() - started)


def router_suggestion(text: str) -> tuple[str, float] | None:
    """(category code, confidence) for a free-text report, or None without a model."""
    model = _router_model()
    if model is None or not text.strip():
        return None
    prediction = model.predict([text])[0]
    return prediction.label, float(prediction.confidence)


def router_forget() -> None:
    _router_model_path.forget()
    with _router_lock:
        _router_loaded.clear()


# ---------------------------------------------------------------- what the reporter is told


@dataclass(frozen=True)
class Outcome:
    """The answer to a report: what was done (or why it was not taken up), with the photos of the
    handling and the on-site check that closed it."""

    result: str
    handled_at: datetime | None
    check_note: str
    closed_at: datetime | None
    rejected: bool
    after_photos: list[EventPhoto]


OUTCOME_ACTIONS = ("report_handled", "verify_pass", "reject")


def event_outcome(event: GridEvent) -> Outcome | None:
    """The outcome of a closed, rated or rejected event (None while it is open). The photos of a
    step carry the step's own time, which is how the last handling's and the final check's
    photos are told from those of an earlier, failed round. Two queries."""
    if event.state not in {EventState.CLOSED, EventState.EVALUATED, EventState.REJECTED}:
        return None
    latest: dict[str, EventStep] = {}
    for step in EventStep.objects.filter(event=event, action__in=OUTCOME_ACTIONS).order_by("at", "pk"):
        latest[step.action] = step
    handled, checked, rejected = (latest.get(a) for a in OUTCOME_ACTIONS)
    times = [s.at for s in (handled, checked) if s is not None]
    after = list(event_photos(event).filter(uploaded_at__in=times).exclude(stage=PhotoStage.REPORT)) if times else []
    return Outcome(
        result=(rejected.note if rejected else handled.note if handled else ""),
        handled_at=handled.at if handled else None,
        check_note=checked.note if checked else "",
        closed_at=event.closed_at,
        rejected=event.state == EventState.REJECTED,
        after_photos=sorted(after, key=lambda p: (p.stage != PhotoStage.HANDLING, p.uploaded_at)),
    )
