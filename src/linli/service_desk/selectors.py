"""Reads of the service desk: the catalogue, cases (scoped), queues,
timelines, the one-time notice, rectifications and figures.

Who sees a case: the applicant; staff whose scope holds the accepting community (the front desk
and its owner, 一办到底), the deciding unit (the back office) or the applicant's home (their own
community and grid worker, who follow up at the door); a department officer sees only the cases
routed to their department; supervisors above either see them through their wider scope.
Everyone else gets the same 404 as for a case that does not exist.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Avg, Case, Count, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from linli.accounts.domain import DESK_ACCEPT, DESK_SUPERVISE, DESK_VIEW, is_department_only
from linli.areas.selectors import org_unit_children, unit_names
from linli.core.actor import Actor
from linli.core.errors import Msg, not_found
from linli.core.memo import memo
from linli.core.models import Heartbeat
from linli.core.paths import under_path
from linli.core.selectors import count_each
from linli.service_desk.domain import (
    APPLICANT_ACTIONS,
    DUE_SOON_WORKING_DAYS,
    FORM_TYPES,
    HANDOFF_NEXT,
    OPEN_STATES,
    PROGRESS_STEPS,
    RUNNING_STATES,
    CaseState,
    Category,
    FormFile,
    GuideStep,
    Material,
    MaterialStatus,
    Question,
    Transition,
    action_label,
    progress_position,
    transitions_from,
)
from linli.service_desk.handlers import HANDLED_ACTIONS, HandlerLink, desk_handler_for
from linli.service_desk.models import (
    CaseEvent,
    CaseMaterial,
    CaseRating,
    DeskDayFigures,
    FileHandoff,
    MaterialsNotice,
    Rectification,
    SearchSynonym,
    ServiceCase,
    ServiceItem,
    ServiceItemVersion,
    ServiceWindow,
)
from linli.service_desk.search import Entry, Hit, Tier, index_entry, search
from linli.workdays.selectors import work_calendar

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


# ---------------------------------------------------------------- catalogue search and guides
# The search index of an item is computed once per version (versions never change) and kept in
# this process; a catalogue edit makes a new version, which is indexed on its first search.
_INDEX: dict[int, Entry] = {}
INDEX_MAX = 20_000  # versions kept; past that the cache starts again (old versions are never searched)


def version_in_force(item: ServiceItem) -> ServiceItemVersion:
    """An item's version in force. Every imported item has one: the column may be empty only
    inside the transaction that creates an item and its first version together."""
    version = item.current
    assert version is not None, item.code
    return version


def _index_entry(item: ServiceItem) -> Entry:
    version = version_in_force(item)
    entry = _INDEX.get(version.pk)
    if entry is None:
        if len(_INDEX) >= INDEX_MAX:
            _INDEX.clear()
        entry = index_entry(
            key=item.code,
            name=version.name,
            name_en=version.name_en,
            keywords=version.keywords,
            theme_words=category_words(version.category),
        )
        _INDEX[version.pk] = entry
    return entry


def catalogue_warm() -> None:
    """Load jieba's dictionary and index the catalogue as a web worker starts, so that no
    resident's first search pays for it (seconds, docs/benchmarks.md catalogue-search)."""
    search([_index_entry(item) for item in item_list()], "高龄", search_synonyms())


@memo(3600)
def category_words(category: str) -> tuple[str, ...]:
    """A theme's names in Chinese and English, for searching by theme in either language."""
    if category not in Category.values:
        return ()
    names = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            names.append(str(Category(category).label))
    return tuple(names)


@memo(60)
def search_synonyms() -> dict[str, tuple[str, ...]]:
    """The synonyms table (老人 → 高龄 养老 老年), memoised for a minute per process: an edit in
    the admin reaches every search within the minute."""
    return {term: tuple(words.split()) for term, words in SearchSynonym.objects.values_list("term", "synonyms")}


@dataclass(frozen=True)
class CatalogueRow:
    item: ServiceItem
    hit: Hit | None  # why the search found it (None when listed without a query)

    @property
    def matched_on_name(self) -> bool:
        return self.hit is None or self.hit.tier >= Tier.NAME_SYNONYM


@dataclass(frozen=True)
class CatalogueTheme:
    code: str
    label: str
    count: int


@dataclass(frozen=True)
class CatalogueResult:
    rows: list[CatalogueRow]
    themes: list[CatalogueTheme]  # every theme that has items, with its count
    category: str  # the theme chosen ("" for all)

    @property
    def category_label(self) -> str:
        return next((theme.label for theme in self.themes if theme.code == self.category), "")

    def by_theme(self) -> list[tuple[CatalogueTheme | None, list[CatalogueRow]]]:
        """The rows under their themes, in the themes' order; items without a theme last."""
        rows: dict[str, list[CatalogueRow]] = defaultdict(list)
        for row in self.rows:
            rows[version_in_force(row.item).category].append(row)
        groups: list[tuple[CatalogueTheme | None, list[CatalogueRow]]] = [
            (theme, rows[theme.code]) for theme in self.themes if rows.get(theme.code)
        ]
        known = {theme.code for theme in self.themes}
        rest = [row for code, group in rows.items() if code not in known for row in group]
        return groups + ([(None, rest)] if rest else [])


def catalogue_search(*, q: str = "", category: str = "") -> CatalogueResult:
    """The public catalogue, filtered by theme and searched (names, keywords, synonyms, pinyin),
    best first; without a query, in the catalogue's order. Two queries (plus the synonyms table
    once a minute), whatever the size of the catalogue."""
    category = category if category in Category.values else ""
    items = item_list()
    if category:
        items = items.filter(current__category=category)
    rows = [CatalogueRow(item, None) for item in items]
    if q.strip():
        by_code = {row.item.code: row.item for row in rows}
        hits = search([_index_entry(row.item) for row in rows], q, search_synonyms())
        rows = [CatalogueRow(by_code[hit.key], hit) for hit in hits]
    counts = dict(item_list().order_by().values_list("current__category").annotate(n=Count("id")))
    themes = [CatalogueTheme(c.value, str(c.label), counts[c.value]) for c in Category if counts.get(c.value)]
    return CatalogueResult(rows, themes, category)


@dataclass(frozen=True)
class Guide:
    """What a resident reads about an item, in the page's language where the catalogue has it."""

    item: ServiceItem
    version: ServiceItemVersion
    materials: list[Material]
    steps: list[GuideStep]
    faq: list[Question]
    forms: list[tuple[int, FormFile]]  # (number in the download link, form)
    category_label: str


def guide_get(*, code: str) -> Guide:
    item = item_get(code=code)
    version = version_in_force(item)
    return Guide(
        item=item,
        version=version,
        materials=version_materials(version),
        steps=[GuideStep(**step) for step in version.steps],
        faq=[Question(**question) for question in version.faq],
        forms=[(number, FormFile(**form)) for number, form in enumerate(version.forms, start=1)],
        category_label=str(Category(version.category).label) if version.category else "",
    )


def catalogue_forms_dir() -> Path:
    return Path(settings.DATA_DIR) / "catalogue-forms"


SHIPPED_FORMS_DIR = Path(__file__).resolve().parent / "data" / "forms"
UPLOADED_FORM_PREFIX = "upload/"
FORM_NAME_RE = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,79}$")


def catalogue_form_path(file: str) -> Path | None:
    """Where a form's file is: shipped with the catalogue data, or uploaded by an editor. Only a
    plain name inside one of those two folders (no path may climb out), of an accepted type."""
    uploaded = file.startswith(UPLOADED_FORM_PREFIX)
    name = file.removeprefix(UPLOADED_FORM_PREFIX)
    if not FORM_NAME_RE.match(name) or ".." in name or name.rpartition(".")[2] not in FORM_TYPES:
        return None
    path = (catalogue_forms_dir() if uploaded else SHIPPED_FORMS_DIR) / name
    return path if path.is_file() else None


@dataclass(frozen=True)
class FormDownload:
    path: Path
    content_type: str
    filename: str  # what the resident's browser saves it as: the form's name


def item_form_get(*, code: str, number: int) -> FormDownload:
    """A form of an item in the public catalogue, by its number on the guide; one 404 for a
    missing item, form or file."""
    guide = guide_get(code=code)
    form = dict(guide.forms).get(number)
    path = catalogue_form_path(form.file) if form else None
    if form is None or path is None:
        raise not_found("表格", "Form")
    kind = path.suffix.lstrip(".")
    return FormDownload(path, FORM_TYPES[kind], f"{form.name}.{kind}")


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
    return ServiceCase.objects.filter(case_scope_q(actor)).select_related("item_version", "item")


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
    """The actions this actor can take on the case now, in workflow order. The review and
    decision of an item an app above the desk decides are taken there, not here."""
    handler = desk_handler_for(case.item.code)
    hidden = HANDLED_ACTIONS if handler is not None and handler.decides else frozenset()
    return [t.action for t in transitions_from(case.state) if t.action not in hidden and may_act(actor, case, t)]


@dataclass(frozen=True)
class CaseHandling:
    label: Msg  # 由社会救助办理
    link: HandlerLink | None  # the handling app's record, once it exists


def case_handling(case: ServiceCase) -> CaseHandling | None:
    """Whether an app above the desk handles the case's item, and its record's link."""
    handler = desk_handler_for(case.item.code)
    if handler is None:
        return None
    return CaseHandling(label=handler.label, link=handler.link_for(case.number))


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

QUEUES = ("mine", "intake", "unit", "supplied", "home", "due_soon", "overdue", "finished", "all")


def _queue_q(actor: Actor, queue: str, today: date) -> Q:
    """The one rule for what each queue holds, shared by the queue list, its tab count and the
    workbench: mine (owned or assigned and open), intake (online applications waiting at my
    windows), unit (open cases my unit decides), supplied (a supplement came in; the review goes
    on), home (visits to make for 上门办), due soon, overdue, finished, all."""
    if queue == "mine":
        return (Q(owner_id=actor.user_id) | Q(assignee_id=actor.user_id)) & Q(state__in=OPEN_STATES)
    if queue == "intake":
        return Q(state=CaseState.SUBMITTED)
    if queue == "unit":
        return _handled_by_q(actor) & Q(state__in=OPEN_STATES - {CaseState.SUBMITTED})
    if queue == "supplied":
        return _handled_by_q(actor) & Q(state=CaseState.IN_REVIEW, paused_days__gt=0)
    if queue == "home":
        return Q(channel="home", state__in=OPEN_STATES)
    if queue == "due_soon":
        horizon = work_calendar().add_working_days(today, DUE_SOON_WORKING_DAYS)
        return Q(state__in=RUNNING_STATES, due_on__gte=today, due_on__lte=horizon)
    if queue == "overdue":
        return Q(state__in=RUNNING_STATES, due_on__lt=today)
    if queue == "finished":
        return Q(state__in=[CaseState.DELIVERED, CaseState.CLOSED, CaseState.RATED])
    return Q()


def case_queue(*, actor: Actor, queue: str, today: date | None = None, q: str = "") -> QuerySet[ServiceCase]:
    """The cases of one staff queue (see `_queue_q`), most urgent first."""
    today = today or timezone.localdate()
    cases = case_list(actor=actor).filter(_queue_q(actor, queue, today))
    q = q.strip()
    if q:
        cases = cases.filter(Q(number__icontains=q) | Q(applicant_name=q) | Q(item_version__name__icontains=q))
    if queue == "home":
        return cases.order_by(F("home_visit_at").asc(nulls_last=True), "id")
    if queue in {"due_soon", "overdue", "unit", "mine", "supplied"}:
        return cases.order_by("due_on", "id")
    return cases.order_by("-submitted_at", "-id")


def queue_counts(*, actor: Actor, queues: tuple[str, ...] = QUEUES, today: date | None = None) -> dict[str, int]:
    """How many cases each queue holds, in one conditional aggregate (the tabs and the workbench)."""
    today = today or timezone.localdate()
    return count_each(case_list(actor=actor), {queue: _queue_q(actor, queue, today) for queue in queues})


def cases_to_do(*, actor: Actor, today: date | None = None, limit: int = 5) -> list[ServiceCase]:
    """The first open cases that are the actor's (owned, assigned, or decided by their unit) or,
    for a supervisor, anything overdue in scope: overdue first, then by due date."""
    today = today or timezone.localdate()
    rule = _queue_q(actor, "mine", today) | _queue_q(actor, "unit", today)
    if actor.has_perm(DESK_SUPERVISE):
        rule |= _queue_q(actor, "overdue", today)
    cases = case_list(actor=actor).filter(rule, state__in=OPEN_STATES - {CaseState.SUBMITTED})
    # cases whose clock runs come first (by due date); then those waiting for a supplement or
    # for their result to be delivered, whose due date no longer drives the work
    running_first = Case(When(state__in=RUNNING_STATES, then=Value(0)), default=Value(1))
    return list(cases.order_by(running_first, F("due_on").asc(nulls_last=True), "id")[:limit])


def cases_by_number(*, actor: Actor, text: str, limit: int) -> list[ServiceCase]:
    """Cases in scope whose number contains `text` (the header search), newest first."""
    return list(case_list(actor=actor).filter(number__icontains=text).order_by("-submitted_at")[:limit])


def cases_of_applicant(*, actor: Actor, applicant_ref: str, limit: int) -> list[ServiceCase]:
    """One person's applications that the actor may see (their page), newest first."""
    return list(case_list(actor=actor).filter(applicant_ref=applicant_ref).order_by("-submitted_at")[:limit])


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


def rectification_counts(*, actor: Actor, today: date) -> dict[str, int]:
    """Open rectifications in scope (each owes a follow-up call) and how many are past due."""
    return rectification_list(actor=actor).aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))


def rectification_get(*, actor: Actor, pk: int) -> Rectification:
    found = rectification_list(actor=actor, open_only=False).filter(pk=pk).first()
    if found is None:
        raise not_found("整改", "Rectification")
    return found


# ---------------------------------------------------------------- figures


class DeskRates:
    """The two rates of the desk's figures, from counts a figures row carries (decided, on_time,
    rated, bad): a unit's row and a month's row compute them the same way."""

    decided: int
    on_time: int
    rated: int
    bad: int

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.decided if self.decided else None

    @property
    def satisfaction_rate(self) -> float | None:
        """Ratings of 'basically satisfied' or better (not one of the two lowest levels)."""
        return (self.rated - self.bad) / self.rated if self.rated else None


@dataclass(frozen=True)
class DeskFigures(DeskRates):
    path: str
    name: str
    decided: int
    on_time: int
    open: int
    overdue: int
    rated: int
    bad: int
    satisfaction: float | None  # mean score 1–5


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


@dataclass(frozen=True)
class MonthFigures(DeskRates):
    month: date  # the first day of the month
    decided: int
    on_time: int
    rated: int
    bad: int


TREND_MONTHS = 12


def desk_monthly_trend(*, actor: Actor, path: str, months: int = TREND_MONTHS) -> list[MonthFigures]:
    """Cases decided (and on time) and ratings given per month under `path`, by the deciding
    unit, for the last `months` months including this one (every month, empty ones as zeros).
    Like the unit figures: whole past days from the stored day figures, the rest counted live;
    at most six grouped queries whatever the period."""
    if not actor.has_perm(DESK_SUPERVISE) or not actor.sees_path(path):
        raise not_found("单位", "Unit")
    today = timezone.localdate()
    firsts = _month_starts(today, max(1, min(months, 36)))
    since, until = _midnight(firsts[0]), _midnight(today + timedelta(days=1))
    table: dict[date, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    stored_from, stored_to = _stored_days(since, until)
    if stored_from < stored_to:
        rows = (
            DeskDayFigures.objects.filter(under_path("handling_path", path), day__gte=stored_from, day__lt=stored_to)
            .annotate(month=TruncMonth("day"))
            .values("month")
            .annotate(**{name: Sum(name) for name in ("decided", "on_time", "rated", "bad")})
        )
        sums: list[Mapping[str, Any]] = list(rows)  # the sums are named at run time
        for row in sums:
            for name in ("decided", "on_time", "rated", "bad"):
                table[_as_date(row["month"])][name] += row[name]
    for start, end in _live_spans(since, until, stored_from, stored_to):
        _add_live_months(table, path, start, end)
    return [
        MonthFigures(first, *(int(table[first][name]) for name in ("decided", "on_time", "rated", "bad")))
        for first in firsts
    ]


def _month_starts(today: date, months: int) -> list[date]:
    first = today.replace(day=1)
    starts = [first]
    for _month in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
        starts.append(first)
    return starts[::-1]


def _as_date(value) -> date:
    return timezone.localtime(value).date() if isinstance(value, datetime) else value


def _add_live_months(table, path: str, start: datetime, end: datetime) -> None:
    decided = (
        ServiceCase.objects.filter(under_path("handling_path", path), decided_at__gte=start, decided_at__lt=end)
        .annotate(month=TruncMonth("decided_at"))
        .values("month")
        .annotate(n=Count("pk"), on_time=Count("pk", filter=Q(finished_on_time=True)))
    )
    for row in decided:
        table[_as_date(row["month"])]["decided"] += row["n"]
        table[_as_date(row["month"])]["on_time"] += row["on_time"]
    ratings = (
        CaseRating.objects.filter(under_path("handling_path", path), rated_at__gte=start, rated_at__lt=end)
        .annotate(month=TruncMonth("rated_at"))
        .values("month")
        .annotate(n=Count("pk"), bad=Count("pk", filter=Q(score__lte=2)))
    )
    for rating in ratings:
        table[_as_date(rating["month"])]["rated"] += rating["n"]
        table[_as_date(rating["month"])]["bad"] += rating["bad"]


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
    sums: list[Mapping[str, Any]] = list(rows)  # the sums are named at run time
    for row in sums:
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
    for rating in ratings:
        values = table[rating["child"]]
        values["rated"] += rating["n"]
        values["bad"] += rating["bad"]
        values["score_sum"] += rating["total"]


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
    return [dict(row) for row in rows[:100]]


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
    return [dict(row) for row in rows[:50]]


# ---------------------------------------------------------------- progress, receipts and notices


@dataclass(frozen=True)
class ProgressBarStep:
    key: str
    label: str
    status: str  # done, current, todo or stopped


@dataclass(frozen=True)
class Progress:
    steps: list[ProgressBarStep]
    expected_on: date | None  # when the result is expected (promised, or estimated if accepted today)
    estimated: bool  # True before acceptance: the clock has not started yet
    finished_on: date | None


def case_progress(case: ServiceCase, today: date | None = None) -> Progress:
    """The step bar of an application and its expected completion date. Before acceptance the date
    is an estimate (accepted today plus the promised working days); after, the promised due date
    (moved on by a supplement's pause); once decided, the day it was decided. No queries beyond
    the (memoised) work calendar."""
    today = today or timezone.localdate()
    index, stopped = progress_position(
        case.state, accepted=case.accepted_at is not None, reviewed=case.assignee_id is not None
    )
    steps = [
        ProgressBarStep(step.key, str(step.label), _step_status(i, index, stopped))
        for i, step in enumerate(PROGRESS_STEPS)
    ]
    finished_on = timezone.localdate(case.decided_at) if case.decided_at else None
    if stopped or finished_on:
        return Progress(steps, None, False, finished_on)
    if case.due_on:
        return Progress(steps, case.due_on, False, None)
    calendar = work_calendar()
    return Progress(steps, calendar.due_on(today, case.item_version.promised_days), True, None)


def _step_status(i: int, reached: int, stopped: bool) -> str:
    if i != reached:
        return "done" if i < reached else "todo"
    if stopped:
        return "stopped"
    return "done" if i == len(PROGRESS_STEPS) - 1 else "current"


def reapply_initial(previous: ServiceCase) -> dict:
    """What a new application starts from when a withdrawn or refused one is applied for again:
    the materials ticked before and the words written before."""
    initial = {f"checklist.{key}": True for key, s in previous.checklist.items() if s == MaterialStatus.PROVIDED}
    initial.update({f"checklist.{m.material_key}": True for m in case_materials(previous)})
    if previous.answers.get("note"):
        initial["note"] = previous.answers["note"]
    return initial


def carried_materials(previous: ServiceCase, version: ServiceItemVersion) -> list[CaseMaterial]:
    """The previous case's photos that a new application of `version` will carry over."""
    keys = {m.key for m in version_materials(version)}
    return [m for m in case_materials(previous) if m.material_key in keys]


def service_window(org_path: str) -> ServiceWindow | None:
    return ServiceWindow.objects.filter(org_path=org_path[:12]).first()


def receipt_available(case: ServiceCase) -> bool:
    """受理回执 exists once a window accepted the case (not for one refused or withdrawn before)."""
    return case.accepted_at is not None


def notice_materials(notice: MaterialsNotice) -> list[Material]:
    materials = {m.key: m for m in version_materials(notice.item_version)}
    return [materials[key] for key in notice.missing if key in materials]


def item_active(code: str) -> bool:
    """Whether the item is still in the catalogue (so it can be applied for again)."""
    return current_version(code) is not None


@dataclass(frozen=True)
class Receipt:
    """受理回执: what the applicant takes home from the window — the case number to follow it by,
    what was received, who decides and by when, and where to ask."""

    case: ServiceCase
    accepted_unit: str
    handling_unit: str
    accepted_by: str
    window: ServiceWindow | None
    lines: list[ChecklistLine]


def case_receipt(case: ServiceCase) -> Receipt:
    """The receipt of an accepted case (404 before acceptance: there is nothing to confirm yet)."""
    if not receipt_available(case):
        raise not_found("受理回执", "Acceptance receipt")
    names = unit_names([case.accepted_path, case.handling_path])
    accept = case.events.filter(action="accept").order_by("at", "id").first()
    department = case.handling_department
    handling = department.name if department else names.get(case.handling_path, "")
    return Receipt(
        case=case,
        accepted_unit=names.get(case.accepted_path, case.accepted_path),
        handling_unit=handling,
        accepted_by=accept.actor_name if accept else "",
        window=service_window(case.accepted_path),
        lines=checklist_lines(case.item_version, case.checklist),
    )
