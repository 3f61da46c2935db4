"""Reads of the service desk: the catalogue, the work calendar, cases (scoped), queues,
timelines, the one-time notice, rectifications and figures.

Who sees a case: the applicant; staff whose scope holds the accepting community (the front desk
and its owner, 一办到底), the deciding unit (the back office) or the applicant's home (their own
community and grid worker, who follow up at the door); a department officer sees only the cases
routed to their department; supervisors above either see them through their wider scope.
Everyone else gets the same 404 as for a case that does not exist.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, F, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.domain import DESK_ACCEPT, DESK_SUPERVISE, DESK_VIEW, is_department_only
from linli.areas.selectors import org_unit_children, unit_names
from linli.core.actor import Actor
from linli.core.errors import not_found
from linli.core.memo import memo
from linli.core.models import Heartbeat
from linli.core.paths import under_path
from linli.service_desk.domain import (
    APPLICANT_ACTIONS,
    DUE_SOON_WORKING_DAYS,
    HANDOFF_NEXT,
    OPEN_STATES,
    RUNNING_STATES,
    CaseState,
    Material,
    MaterialStatus,
    Transition,
    WorkCalendar,
    action_label,
    actions_from,
    parse_office_hours,
    transition_for,
)
from linli.service_desk.models import (
    CaseEvent,
    CaseMaterial,
    CaseRating,
    DeskDayFigures,
    FileHandoff,
    Rectification,
    ServiceCase,
    ServiceItem,
    ServiceItemVersion,
    WorkCalendarDay,
    WorkCalendarYear,
)

# ---------------------------------------------------------------- work calendar


@memo(60)
def work_calendar() -> WorkCalendar:
    """The calendar of all known exceptions, memoised for a minute per process (an admin's edit
    clears this process's copy at once; other processes follow within the minute)."""
    return WorkCalendar(
        exceptions=dict(WorkCalendarDay.objects.values_list("day", "is_workday")),
        known_years=frozenset(WorkCalendarYear.objects.values_list("year", flat=True)),
        office_hours=parse_office_hours(settings.LINLI_OFFICE_HOURS),
    )


def work_calendar_forget() -> None:
    work_calendar.forget()


def calendar_days(year: int) -> QuerySet[WorkCalendarDay]:
    return WorkCalendarDay.objects.filter(day__year=year)


def calendar_years() -> QuerySet[WorkCalendarYear]:
    return WorkCalendarYear.objects.all()


def calendar_known_years() -> set[int]:
    return set(WorkCalendarYear.objects.values_list("year", flat=True))


# ---------------------------------------------------------------- catalogue


def item_list(*, q: str = "", include_inactive: bool = False) -> QuerySet[ServiceItem]:
    """The catalogue (public): current versions, searchable by name or code."""
    items = ServiceItem.objects.select_related("current").filter(current__isnull=False)
    if not include_inactive:
        items = items.filter(is_active=True)
    q = q.strip()
    if q:
        items = items.filter(Q(current__name__icontains=q) | Q(code__iexact=q))
    return items.order_by("code")


@memo(60)
def current_version(code: str) -> ServiceItemVersion | None:
    """The version new cases of an item start with, memoised for a minute per process (every
    intake reads it; catalogue edits clear this process's copy)."""
    item = ServiceItem.objects.select_related("current").filter(code=code, is_active=True).first()
    if item is None or item.current is None:
        return None
    version = item.current
    version.item = item  # the item is loaded already: spare the query when it is read
    return version


def item_get(*, code: str, include_inactive: bool = False) -> ServiceItem:
    item = item_list(include_inactive=include_inactive).filter(code=code).first()
    if item is None:
        raise not_found("服务事项", "Service item")
    return item


def item_versions(item: ServiceItem) -> QuerySet[ServiceItemVersion]:
    return item.versions.order_by("-version")


def version_materials(version: ServiceItemVersion) -> list[Material]:
    return [Material(**m) for m in version.materials]


# ---------------------------------------------------------------- cases: scope


def case_scope_q(actor: Actor) -> Q:
    query = Q(applicant_user_id=actor.user_id) if actor.user_id is not None else Q(pk__in=[])
    if not actor.has_perm(DESK_VIEW):
        return query
    query |= _handled_by_q(actor)
    if not is_department_only(actor):
        for prefix in actor.scope_paths:
            query |= under_path("accepted_path", prefix) | under_path("home_path", prefix)
    return query


def case_list(*, actor: Actor) -> QuerySet[ServiceCase]:
    if not actor.is_authenticated:
        return ServiceCase.objects.none()
    return ServiceCase.objects.filter(case_scope_q(actor)).select_related("item_version")


def case_get(*, actor: Actor, key) -> ServiceCase:
    """A case by public id or case number, if the actor may see it."""
    cases = case_list(actor=actor)
    key = str(key).strip()
    case = cases.filter(number=key).first() if "-" in key and len(key) < 30 else None
    if case is None:
        try:
            case = cases.filter(public_id=key).first()
        except ValidationError:  # not a UUID: simply no such case
            case = None
    if case is None:
        raise not_found("办件", "Case")
    return case


def is_applicant(actor: Actor, case: ServiceCase) -> bool:
    return actor.user_id is not None and case.applicant_user_id == actor.user_id


def is_overdue(case: ServiceCase, today: date) -> bool:
    return case.state in RUNNING_STATES and case.due_on is not None and case.due_on < today


def case_path_for(case: ServiceCase, where: str) -> str:
    return case.handling_path if where == "handling" else case.accepted_path


def may_act(actor: Actor, case: ServiceCase, transition: Transition) -> bool:
    """Whether the actor may take this transition on this case (state aside)."""
    if transition.action in APPLICANT_ACTIONS and is_applicant(actor, case):
        return True
    if transition.where == "applicant":
        # on the applicant's behalf at the window that accepted the case (e.g. the rating
        # tablet): only staff posted at that community, not every supervisor above it
        at_window = any(path.startswith(case.accepted_path) for path in actor.scope_paths)
        return actor.has_perm(DESK_ACCEPT) and at_window
    if not actor.has_perm(transition.permission):
        return False
    if transition.where == "handling" and case.handling_department_id in actor.department_ids:
        return True
    if is_department_only(actor):
        return False
    return actor.sees_path(case_path_for(case, transition.where))


def case_actions(*, actor: Actor, case: ServiceCase) -> list[str]:
    """The actions this actor can take on the case now, in workflow order."""
    return [a for a in actions_from(case.state) if may_act(actor, case, transition_for(a))]


def case_timeline(case: ServiceCase) -> QuerySet[CaseEvent]:
    return case.events.order_by("at", "id")


@dataclass(frozen=True)
class TimelineRow:
    at: datetime
    label: str
    state: str
    actor_name: str
    note: str


def timeline_rows(case: ServiceCase) -> list[TimelineRow]:
    """The timeline as a page shows it: each step's name and the state it led to, in the
    reader's language."""
    return [
        TimelineRow(
            at=event.at,
            label=str(action_label(event.action)),
            state=str(CaseState(event.to_state).label) if event.to_state else "",
            actor_name=event.actor_name,
            note=event.note,
        )
        for event in case_timeline(case)
    ]


# ---------------------------------------------------------------- queues

QUEUES = ("mine", "intake", "unit", "home", "due_soon", "overdue", "finished", "all")


def case_queue(*, actor: Actor, queue: str, today: date | None = None, q: str = "") -> QuerySet[ServiceCase]:
    """Staff queues: mine (owned or assigned and open), intake (online applications waiting at
    my windows), unit (open cases my unit decides), home (visits to make for 上门办), due soon,
    overdue, finished, all."""
    today = today or timezone.localdate()
    cases = case_list(actor=actor)
    if queue == "mine":
        cases = cases.filter(Q(owner_id=actor.user_id) | Q(assignee_id=actor.user_id), state__in=OPEN_STATES)
    elif queue == "intake":
        cases = cases.filter(state=CaseState.SUBMITTED)
    elif queue == "unit":
        cases = cases.filter(_handled_by_q(actor), state__in=OPEN_STATES - {CaseState.SUBMITTED})
    elif queue == "home":  # 上门办: the visits to make, soonest first
        cases = cases.filter(channel="home", state__in=OPEN_STATES)
    elif queue == "due_soon":
        horizon = work_calendar().add_working_days(today, DUE_SOON_WORKING_DAYS)
        cases = cases.filter(state__in=RUNNING_STATES, due_on__gte=today, due_on__lte=horizon)
    elif queue == "overdue":
        cases = cases.filter(state__in=RUNNING_STATES, due_on__lt=today)
    elif queue == "finished":
        cases = cases.filter(state__in=[CaseState.DELIVERED, CaseState.CLOSED, CaseState.RATED])
    q = q.strip()
    if q:
        cases = cases.filter(Q(number__icontains=q) | Q(applicant_name=q) | Q(item_version__name__icontains=q))
    if queue == "home":
        return cases.order_by(F("home_visit_at").asc(nulls_last=True), "id")
    if queue in {"due_soon", "overdue", "unit", "mine"}:
        return cases.order_by("due_on", "id")
    return cases.order_by("-submitted_at", "-id")


def _handled_by_q(actor: Actor) -> Q:
    query = Q(pk__in=[])
    if actor.department_ids:
        query |= Q(handling_department_id__in=actor.department_ids)
    if not is_department_only(actor):
        for prefix in actor.scope_paths:
            query |= under_path("handling_path", prefix)
    return query


def any_case() -> bool:
    return ServiceCase.objects.exists()


def my_cases(*, actor: Actor) -> QuerySet[ServiceCase]:
    """A resident's own applications."""
    if actor.user_id is None:
        return ServiceCase.objects.none()
    return (
        ServiceCase.objects.filter(applicant_user_id=actor.user_id)
        .select_related("item_version")
        .order_by("-submitted_at", "-id")
    )


# ---------------------------------------------------------------- materials


@dataclass(frozen=True)
class ChecklistLine:
    material: Material
    status: str


def checklist_lines(version: ServiceItemVersion, checklist: dict[str, str]) -> list[ChecklistLine]:
    """Each material of the version with its status; 免提交 materials are never missing."""
    lines = []
    for material in version_materials(version):
        default = MaterialStatus.POOL_HELD if material.pool_held else MaterialStatus.MISSING
        lines.append(ChecklistLine(material, checklist.get(material.key, default)))
    return lines


def one_time_notice(version: ServiceItemVersion, checklist: dict[str, str]) -> list[Material]:
    """一次性告知: every required material still missing, all at once."""
    return [
        line.material
        for line in checklist_lines(version, checklist)
        if line.material.required and line.status == MaterialStatus.MISSING
    ]


# ---------------------------------------------------------------- ratings and rectifications


def rectification_list(*, actor: Actor, open_only: bool = True) -> QuerySet[Rectification]:
    if not actor.has_perm(DESK_VIEW):
        return Rectification.objects.none()
    cases = case_list(actor=actor).values("pk")
    items = Rectification.objects.filter(case_id__in=cases).select_related("case", "rating")
    if open_only:
        items = items.filter(state="open")
    return items.order_by("due_on", "id")


def rectification_get(*, actor: Actor, pk: int) -> Rectification:
    found = rectification_list(actor=actor, open_only=False).filter(pk=pk).first()
    if found is None:
        raise not_found("整改", "Rectification")
    return found


# ---------------------------------------------------------------- figures


@dataclass(frozen=True)
class DeskFigures:
    path: str
    name: str
    decided: int
    on_time: int
    open: int
    overdue: int
    rated: int
    bad: int
    satisfaction: float | None  # mean score 1–5

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.decided if self.decided else None


def desk_figures_by_child(
    *, actor: Actor, parent_path: str, child_length: int, since: datetime, until: datetime, names: dict[str, str]
) -> list[DeskFigures]:
    """On-time rate, open and overdue cases and satisfaction for each child unit of
    `parent_path`, by the deciding unit (谁办理谁负责), for cases decided and ratings given in
    [since, until). Whole past days come from the stored day figures (`desk_figures_refresh`);
    the rest of the period (today, a partial first or last day) is counted live."""
    if not actor.has_perm(DESK_SUPERVISE) or not actor.sees_path(parent_path):
        raise not_found("单位", "Unit")
    table: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    stored_from, stored_to = _stored_days(since, until)
    if stored_from < stored_to:
        _add_stored(table, parent_path, child_length, stored_from, stored_to)
    for start, end in _live_spans(since, until, stored_from, stored_to):
        _add_live(table, parent_path, child_length, start, end)
    _add_open(table, parent_path, child_length)
    return [
        DeskFigures(
            path=path,
            name=names.get(path, path),
            decided=int(values["decided"]),
            on_time=int(values["on_time"]),
            open=int(values["open"]),
            overdue=int(values["overdue"]),
            rated=int(values["rated"]),
            bad=int(values["bad"]),
            satisfaction=round(values["score_sum"] / values["rated"], 2) if values["rated"] else None,
        )
        for path, values in sorted(table.items())
    ]


@dataclass(frozen=True)
class UnitFigures:
    rows: list[DeskFigures]
    child_codes: dict[str, str]  # path → code, to link down the tree
    since: datetime
    until: datetime


def desk_figures_of_unit(*, actor: Actor, unit, since: date | None = None, until: date | None = None) -> UnitFigures:
    """`desk_figures_by_child` for the children of `unit` over the days [since, until)
    (default: 1 January to today included); the unit's own departments (a district's or the
    city's cases) are a row of their own."""
    today = timezone.localdate()
    start = _midnight(since or today.replace(month=1, day=1))
    end = _midnight(until or today + timedelta(days=1))
    children = dict(org_unit_children(actor=actor, code=unit.code).values_list("path", "code"))
    names = unit_names(children) | {unit.path: _("%(unit)s (its own departments)") % {"unit": unit.name}}
    rows = desk_figures_by_child(
        actor=actor,
        parent_path=unit.path,
        child_length=len(next(iter(children))) if children else len(unit.path),
        since=start,
        until=end,
        names=names,
    )
    return UnitFigures(rows=rows, child_codes=children, since=start, until=end)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


FIGURES_JOB = "desk_figures_refresh"


def _stored_days(since: datetime, until: datetime) -> tuple[date, date]:
    """The whole days inside [since, until) that the store covers, [first, last) as dates: the
    days before the last refresh's date (none before the first refresh)."""
    first = timezone.localtime(since).date()
    if _midnight(first) < since:
        first += timedelta(days=1)
    refreshed = Heartbeat.objects.filter(name=FIGURES_JOB).values_list("last_run_at", flat=True).first()
    covered = timezone.localtime(refreshed).date() if refreshed else first
    last = min(timezone.localtime(until).date(), covered)
    return first, max(first, last)


def _live_spans(since, until, stored_from: date, stored_to: date) -> list[tuple[datetime, datetime]]:
    if stored_from >= stored_to:
        return [(since, until)]
    spans = [(since, _midnight(stored_from)), (_midnight(stored_to), until)]
    return [(start, end) for start, end in spans if start < end]


STORED_FIGURES = ("decided", "on_time", "rated", "bad", "score_sum")


def _add_stored(table, parent_path: str, child_length: int, first: date, last: date) -> None:
    rows = (
        DeskDayFigures.objects.filter(under_path("handling_path", parent_path), day__gte=first, day__lt=last)
        .annotate(child=Substr("handling_path", 1, child_length))
        .values("child")
        .annotate(**{f"sum_{name}": Sum(name) for name in STORED_FIGURES})
    )
    for row in rows:
        values = table[row["child"]]
        for name in STORED_FIGURES:
            values[name] += row[f"sum_{name}"]


def _add_live(table, parent_path: str, child_length: int, start: datetime, end: datetime) -> None:
    child = Substr("handling_path", 1, child_length)
    decided = (
        ServiceCase.objects.filter(under_path("handling_path", parent_path), decided_at__gte=start, decided_at__lt=end)
        .annotate(child=child)
        .values("child")
        .annotate(n=Count("pk"), on_time=Count("pk", filter=Q(finished_on_time=True)))
    )
    for row in decided:
        table[row["child"]]["decided"] += row["n"]
        table[row["child"]]["on_time"] += row["on_time"]
    ratings = (
        CaseRating.objects.filter(under_path("handling_path", parent_path), rated_at__gte=start, rated_at__lt=end)
        .annotate(child=Substr("handling_path", 1, child_length))
        .values("child")
        .annotate(n=Count("pk"), bad=Count("pk", filter=Q(score__lte=2)), total=Sum("score"))
    )
    for row in ratings:
        values = table[row["child"]]
        values["rated"] += row["n"]
        values["bad"] += row["bad"]
        values["score_sum"] += row["total"]


def _add_open(table, parent_path: str, child_length: int) -> None:
    """Open and overdue cases now, from the partial index of open cases (index-only on PostgreSQL)."""
    today = timezone.localdate()
    rows = (
        ServiceCase.objects.filter(under_path("handling_path", parent_path), state__in=OPEN_STATES)
        .annotate(child=Substr("handling_path", 1, child_length))
        .values("child")
        .annotate(
            n=Count("handling_path"),
            overdue=Count("handling_path", filter=Q(state__in=RUNNING_STATES, due_on__lt=today)),
        )
    )
    for row in rows:
        table[row["child"]]["open"] += row["n"]
        table[row["child"]]["overdue"] += row["overdue"]


def figures_by_item(*, actor: Actor, since: datetime, until: datetime) -> list[dict]:
    """Volumes, on-time rate and satisfaction per catalogue item within the actor's scope."""
    if not actor.has_perm(DESK_SUPERVISE):
        return []
    cases = case_list(actor=actor).filter(submitted_at__gte=since, submitted_at__lt=until)
    rows = (
        cases.values("item__code", "item_version__name")
        .annotate(
            n=Count("pk"),
            decided=Count("pk", filter=Q(decided_at__isnull=False)),
            on_time=Count("pk", filter=Q(finished_on_time=True)),
            mean=Avg("rating__score"),
            bad=Count("pk", filter=Q(rating__score__lte=2)),
        )
        .order_by("-n")
    )
    return list(rows[:100])


# ---------------------------------------------------------------- materials, paper, archive


def case_materials(case: ServiceCase) -> QuerySet[CaseMaterial]:
    return case.materials.filter(purged_at__isnull=True).order_by("uploaded_at", "id")


def case_material_get(case: ServiceCase, public_id) -> CaseMaterial:
    material = case_materials(case).filter(public_id=public_id).first()
    if material is None:
        raise not_found("材料", "Material")
    return material


def case_handoffs(case: ServiceCase) -> QuerySet[FileHandoff]:
    return case.handoffs.order_by("at", "id")


def handoff_next_steps(case: ServiceCase) -> list[str]:
    last = case.handoffs.order_by("-at", "-id").values_list("step", flat=True).first() or ""
    return [str(step) for step in HANDOFF_NEXT.get(last, [])]


def figures_by_owner(*, actor: Actor, since: datetime, until: datetime) -> list[dict]:
    """Ratings per owner (the worker who accepted and followed the case) in the actor's scope:
    how many, the mean score and the bad ones, worst first."""
    if not actor.has_perm(DESK_SUPERVISE):
        return []
    cases = case_list(actor=actor).values("pk")
    rows = (
        CaseRating.objects.filter(case_id__in=cases, rated_at__gte=since, rated_at__lt=until, owner__isnull=False)
        .values("owner__username", "owner__display_name")
        .annotate(n=Count("pk"), mean=Avg("score"), bad=Count("pk", filter=Q(score__lte=2)))
        .order_by("mean", "-n")
    )
    return list(rows[:50])
