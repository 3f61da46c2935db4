"""Staff pages of grid events: the board with each role's queues, the mobile report form with
the duplicate proposal, the event page with its timeline and the steps open to you, the whistle
board, supervision with rankings and warnings, and the map. Each view: actor → form → one
service or selector → page; outside the scope an event is a 404."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from linli.accounts.domain import (
    GRID_CATEGORY_EDIT,
    GRID_REGISTER,
    GRID_REPORT,
    GRID_ROUTE_EDIT,
    GRID_SUPERVISE,
    GRID_VIEW,
    is_department_only,
)
from linli.areas.selectors import building_list, departments_at, map_view_settings
from linli.core.errors import DomainError, not_found
from linli.core.forms import add_domain_errors
from linli.core.web import staff_page
from linli.grid_events.domain import TRANSITIONS, EventState, Warning
from linli.grid_events.handoffs import handoff_links
from linli.grid_events.selectors import (
    DEPARTMENT_QUEUES,
    QUEUES,
    category_get,
    category_list,
    category_routes,
    department_rates,
    dispatch_departments,
    districts_for,
    districts_paths,
    event_actions,
    event_assignments,
    event_get,
    event_holder_name,
    event_monthly_trend,
    event_photos,
    event_queue,
    event_queue_counts,
    event_supervisions,
    event_timeline,
    event_whistles,
    is_overdue,
    may_publish,
    owns,
    period_bounds,
    photo_get,
    rates_allowed,
    response_get,
    supervision_get,
    supervision_list,
    unit_rates,
    whistle_board,
)
from linli.grid_events.services import (
    CategoryInput,
    ReportInput,
    StepInput,
    category_defaults,
    category_route_set,
    category_save,
    event_publication_set,
    event_report,
    event_transition,
    photo_read,
    supervision_answer,
    supervision_issue,
    whistle_check_in,
)
from linli.grid_events.web.charts import ranking_chart, trend_chart
from linli.grid_events.web.forms import (
    AnswerForm,
    CategoryForm,
    MapFilterForm,
    PeriodForm,
    PublicationForm,
    ReportForm,
    RouteForm,
    StepForm,
    SupervisionForm,
)

PAGE_SIZE = 30
QUEUE_LABELS = {
    "mine": gettext_lazy("Reported by me"),
    "to_register": gettext_lazy("To register"),
    "to_dispatch": gettext_lazy("To dispatch"),
    "returned": gettext_lazy("Returned by departments"),
    "supervised": gettext_lazy("Supervision notices"),
    "in_progress": gettext_lazy("With departments"),
    "to_verify": gettext_lazy("To verify"),
    "overdue": gettext_lazy("Overdue"),
    "closed": gettext_lazy("Finished"),
    "all": gettext_lazy("All"),
    "pending": gettext_lazy("To accept"),
    "handling": gettext_lazy("Handling"),
    "done": gettext_lazy("Solved"),
}


def grid_page(permission: str = GRID_VIEW):
    """Logged-in staff holding `permission`; for anyone else: 404."""
    return staff_page(permission)


def _queues_for(actor) -> tuple[str, ...]:
    if is_department_only(actor):
        return (*DEPARTMENT_QUEUES, "all")
    if actor.has_perm(GRID_REGISTER):
        return (
            "to_register",
            "to_dispatch",
            "returned",
            "in_progress",
            "to_verify",
            "overdue",
            "supervised",
            "closed",
            "mine",
            "all",
        )
    return ("to_verify", "mine", "overdue", "all")


@grid_page()
def board(request):
    """Each role's queues: a community's register/dispatch/verify, a department's accept/handle."""
    queues = _queues_for(request.actor)
    queue = request.GET.get("queue", queues[0])
    if queue not in QUEUES + DEPARTMENT_QUEUES:
        queue = queues[0]
    q = request.GET.get("q", "")[:50]
    events = event_queue(actor=request.actor, queue=queue, q=q).select_related("category", "holder_department")
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    for event in page.object_list:
        event.overdue = is_overdue(event, now)
        event.holder_name = event_holder_name(event)
    counts = event_queue_counts(actor=request.actor, queues=queues)
    tabs = [{"key": k, "label": QUEUE_LABELS[k], "active": k == queue, "count": counts[k]} for k in queues]
    context = {"page": page, "tabs": tabs, "queue": queue, "q": q, "may_report": request.actor.has_perm(GRID_REPORT)}
    return render(request, "grid_events/staff/board.html", context)


# ---------------------------------------------------------------- reporting


def map_settings(actor) -> dict:
    """The operator's tiles (or none: the server's own streets and outlines) and where to centre."""
    return map_view_settings(actor=actor)


@grid_page(GRID_REPORT)
def report(request):
    """The grid worker's phone form: what, where (building or map), how urgent, photos. Similar
    events nearby are shown before saving; the worker confirms it is a different problem."""
    buildings = list(building_list(actor=request.actor).select_related("grid")[:500])
    for b in buildings:
        b.name_with_grid = f"{b.grid.name} {b.name}"
    form = ReportForm(request.POST or None, request.FILES or None, categories=category_list(), buildings=buildings)
    duplicates, held = [], {"key": request.POST.get("held_photos", "")[:32], "names": []}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = event_report(actor=request.actor, data=_report_input(data))
        except DomainError as error:
            duplicates = _similar_rows(error.details.get("duplicates", []))
            if "held_photos" in error.details:
                held = {"key": error.details["held_photos"], "names": error.details["held_names"]}
            if not duplicates:
                add_domain_errors(form, error, {"building_id": "building"})
        else:
            messages.success(request, _("Reported as %(number)s.") % {"number": event.number})
            return redirect("portal:grid:event", number=event.number)
    context = {"form": form, "duplicates": duplicates, "held": held, "map": map_settings(request.actor)}
    return render(request, "grid_events/staff/report.html", context, status=400 if form.errors or duplicates else 200)


def _similar_rows(duplicates: list[dict]) -> list[dict]:
    """The proposed events with their state in the reader's words."""
    return [{**d, "state_label": EventState(d["state"]).label} for d in duplicates]


def _report_input(data: dict) -> ReportInput:
    return ReportInput(
        description=data["description"],
        lat=data.get("lat"),
        lng=data.get("lng"),
        category_code=data.get("category") or "",
        urgency=data["urgency"],
        address=data.get("address") or "",
        building_id=data.get("building") or "",
        photos=data.get("photos") or [],
        not_duplicate=data.get("not_duplicate", False),
        hold_photos=True,  # a browser cannot put the files back if similar events are proposed
        held_photos=data.get("held_photos") or "",
    )


# ---------------------------------------------------------------- one event


def _event_context(request, event, form=None, failed_action: str = "") -> dict:
    actions = event_actions(actor=request.actor, event=event)
    whistles = list(event_whistles(event))
    my_summons = [
        r
        for w in whistles
        for r in w.responses.all()
        if r.department_id in request.actor.department_ids and not r.checked_in_at
    ]
    return {
        "event": event,
        "holder": event_holder_name(event),
        "overdue": is_overdue(event),
        "timeline": event_timeline(event),
        "assignments": event_assignments(event),
        "whistles": whistles,
        "my_summons": my_summons,
        "supervisions": event_supervisions(event),
        "photos": event_photos(event),
        "actions": [{"key": a, "label": TRANSITIONS[a].label} for a in actions],
        "form": form or StepForm(categories=category_list(), departments=dispatch_departments(event)),
        "failed_action": failed_action,
        "supervision_form": SupervisionForm() if _may_supervise(request.actor, event) else None,
        "answer_form": AnswerForm(),
        "publication_form": PublicationForm(hiding=event.is_public) if may_publish(request.actor, event) else None,
        "map": map_settings(request.actor),
        "handoffs": handoff_links(request.actor, event.number),
    }


def _may_supervise(actor, event) -> bool:
    return actor.has_perm(GRID_SUPERVISE) and owns(actor, event) and event.state not in {"closed", "evaluated"}


@grid_page()
def event_page(request, number: str):
    event = event_get(actor=request.actor, key=number)
    return render(request, "grid_events/staff/event.html", _event_context(request, event))


@require_POST
@grid_page()
def event_step(request, number: str, action: str):
    event = event_get(actor=request.actor, key=number)
    form = StepForm(request.POST, request.FILES, categories=category_list(), departments=dispatch_departments(event))
    if form.is_valid():
        data = form.cleaned_data
        try:
            event = event_transition(actor=request.actor, event=event, action=action, data=_step_input(action, data))
        except DomainError as error:
            add_domain_errors(form, error, {"department": "department_id"})
        else:
            label = TRANSITIONS[action].label
            messages.success(request, _("Done: %(step)s.") % {"step": label})
            return redirect("portal:grid:event", number=event.number)
    context = _event_context(request, event, form=form, failed_action=action)
    return render(request, "grid_events/staff/event.html", context, status=400)


def _step_input(action: str, data: dict) -> StepInput:
    """The whistle form names the lead in `department_id` and the others as checkboxes."""
    departments = data.get("departments") or []
    if action == "whistle" and data.get("department_id"):
        lead = data["department_id"]
        departments = [lead, *(d for d in departments if d != lead)]
    return StepInput(
        note=data.get("note") or "",
        category_code=data.get("category") or "",
        urgency=data.get("urgency") or "",
        department_id=data.get("department_id"),
        duplicate_of=data.get("duplicate_of") or "",
        departments=departments,
        score=data.get("score"),
        photos=data.get("photos") or [],
    )


@grid_page()
def photo_file(request, number: str, photo_id):
    event = event_get(actor=request.actor, key=number)
    photo = photo_get(event, photo_id)
    response = HttpResponse(photo_read(actor=request.actor, event=event, photo=photo), content_type=photo.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@grid_page()
def check_in(request, whistle_id):
    response = response_get(
        actor=request.actor, public_id=whistle_id, department_id=_int(request.POST.get("department"))
    )
    try:
        whistle_check_in(actor=request.actor, response=response, note=request.POST.get("note", "")[:500])
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Checked in for %(department)s.") % {"department": response.department.name})
    return redirect(request.POST.get("next") or "portal:grid:whistles")


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


@require_POST
@grid_page(GRID_SUPERVISE)
def supervise(request, number: str):
    event = event_get(actor=request.actor, key=number)
    form = SupervisionForm(request.POST)
    if form.is_valid():
        try:
            supervision_issue(
                actor=request.actor,
                event=event,
                **{**form.cleaned_data, "due_minutes": form.cleaned_data.get("due_minutes") or 0},
            )
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Supervision notice sent."))
            return redirect("portal:grid:event", number=event.number)
    context = _event_context(request, event) | {"supervision_form": form}
    return render(request, "grid_events/staff/event.html", context, status=400)


@require_POST
@grid_page(GRID_REGISTER)
def publication(request, number: str):
    """Publish the event on the public Open311 list, or hide it from there with a reason."""
    event = event_get(actor=request.actor, key=number)
    form = PublicationForm(request.POST, hiding=event.is_public)
    if form.is_valid():
        public = form.cleaned_data["public"]
        try:
            event_publication_set(actor=request.actor, event=event, public=public, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            done = _("Shown on the public list.") if public else _("Hidden from the public list.")
            messages.success(request, done)
            return redirect("portal:grid:event", number=event.number)
    context = _event_context(request, event) | {"publication_form": form}
    return render(request, "grid_events/staff/event.html", context, status=400)


@require_POST
@grid_page()
def answer(request, pk: int):
    supervision = supervision_get(actor=request.actor, pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            supervision_answer(actor=request.actor, supervision=supervision, answer=form.cleaned_data["answer"])
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Answer sent."))
    return redirect("portal:grid:event", number=supervision.event.number)


# ---------------------------------------------------------------- boards


@grid_page()
def whistles(request):
    """Who was summoned, who checked in and when; your department's check-in buttons."""
    rows = list(whistle_board(actor=request.actor, open_only=request.GET.get("all") != "1")[:100])
    now = timezone.now()
    for whistle in rows:
        whistle.late = [r for r in whistle.responses.all() if not r.checked_in_at and whistle.check_in_due_at < now]
    context = {
        "whistles": rows,
        "department_ids": request.actor.department_ids,
        "show_all": request.GET.get("all") == "1",
    }
    return render(request, "grid_events/staff/whistles.html", context)


def _period(form: PeriodForm) -> tuple[datetime, datetime]:
    today = timezone.localdate()
    data = form.cleaned_data if form.is_valid() else {}
    since = data.get("since") or today.replace(month=1, day=1)
    until = data.get("until") or today
    return period_bounds(since, max(until, since))


@grid_page(GRID_SUPERVISE)
def supervision(request):
    """Rankings of departments and of the child units by the three rates, with red/yellow
    warnings, the overdue events and the open supervision notices."""
    form = PeriodForm(request.GET or None)
    since, until = _period(form)
    area = _supervised_area(request.actor)
    rates_allowed(actor=request.actor, path=area)
    overdue = list(
        event_queue(actor=request.actor, queue="overdue").select_related("category", "holder_department")[:50]
    )
    for event in overdue:
        event.holder_name = event_holder_name(event)
    departments = department_rates(since=since, until=until, district_path=area if len(area) >= 6 else "")
    units = unit_rates(since=since, until=until, parent_path=area)
    context = {
        "form": form,
        "since": since,
        "until": until - timedelta(days=1),
        "departments": departments,
        "units": units,
        "department_chart": ranking_chart(
            "grid-departments", _("Departments by their rates, best first"), _("Department"), departments
        ),
        "unit_chart": ranking_chart("grid-units", _("Units by their rates, best first"), _("Unit"), units),
        "trend_chart": trend_chart(event_monthly_trend(actor=request.actor, path=area)),
        "overdue": overdue,
        "open_supervisions": supervision_list(actor=request.actor)[:50],
        "warnings": Warning,
    }
    return render(request, "grid_events/staff/supervision.html", context)


def _supervised_area(actor) -> str:
    return min(actor.scope_paths, key=len) if actor.scope_paths else ""


@grid_page()
def event_map(request):
    """Events as points (WGS-84) on the shared map, clustered where dense, filtered by the days
    they were reported and their state; the filters become the points endpoint's query."""
    form = MapFilterForm(request.GET or None)
    query = {}
    if form.is_valid():
        data = form.cleaned_data
        query = {
            k: str(v) for k, v in (("since", data["since"]), ("until", data["until"]), ("state", data["state"])) if v
        }
    context = {"map": map_settings(request.actor), "form": form, "points_query": urlencode(query)}
    return render(request, "grid_events/staff/map.html", context)


# ---------------------------------------------------------------- categories


@grid_page(GRID_ROUTE_EDIT)
def categories(request):
    rows = category_list(include_inactive=True, q=request.GET.get("q", "")[:30])
    context = {
        "categories": rows,
        "q": request.GET.get("q", ""),
        "may_edit": request.actor.has_perm(GRID_CATEGORY_EDIT),
    }
    return render(request, "grid_events/staff/categories.html", context)


@grid_page(GRID_ROUTE_EDIT)
def category_edit(request, code: str = ""):
    """Edit a category (or create a city one); a district names its own department for it."""
    category = category_get(code) if code else None
    if code and category is None:
        raise not_found("分类", "Category")
    initial = {f: getattr(category, f) for f in CategoryForm.base_fields if category} if category else {}
    form = CategoryForm(request.POST or None, initial=initial or category_defaults_initial())
    may_edit = request.actor.has_perm(GRID_CATEGORY_EDIT)
    if not (category or may_edit):
        raise not_found("分类", "Category")
    if request.method == "POST" and may_edit and form.is_valid():
        try:
            saved = category_save(actor=request.actor, data=CategoryInput(**form.cleaned_data))
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Saved %(code)s.") % {"code": saved.code})
            return redirect("portal:grid:category", code=saved.code)
    context = {
        "form": form,
        "category": category,
        "routes": category_routes(category) if category else [],
        "route_form": _route_form(request.actor) if category else None,
        "may_edit": may_edit,
    }
    return render(request, "grid_events/staff/category.html", context, status=400 if form.errors else 200)


def category_defaults_initial() -> dict:
    return {"code": "X", **category_defaults("X")}


def _route_form(actor, data=None) -> RouteForm:
    return RouteForm(data, districts=districts_for(actor=actor), departments=departments_at(districts_paths(actor)))


@require_POST
@grid_page(GRID_ROUTE_EDIT)
def category_route(request, code: str):
    form = _route_form(request.actor, request.POST)
    if form.is_valid():
        try:
            category_route_set(
                actor=request.actor,
                code=code,
                district_path=form.cleaned_data["district"],
                department_id=form.cleaned_data["department_id"],
            )
        except DomainError as error:
            messages.error(request, "；".join(str(f.message) for f in error.fields) or str(error.message))
        else:
            messages.success(request, _("Saved."))
    return redirect("portal:grid:category", code=code)
