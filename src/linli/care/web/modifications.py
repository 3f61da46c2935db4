"""Care services, stage modifications (适老化改造): pages (thin: parse, one service or selector,
render). Staff: the queue per state with overdue flags, recording an application (or starting one
from the candidates), the application with its next step (home assessment, confirmation, works,
acceptance, subsidy), photos, the progress toward the goal per district, the standard items and
prices. Resident: my applications, applying for an elder I care for, confirming the plan."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.accounts.domain import CARE_FIGURES, CARE_LIST_EDIT, CARE_MANAGE, CARE_ORDER, CARE_PAY, CARE_VIEW
from linli.areas.selectors import unit_names
from linli.care.domain.modifications import (
    GOAL_YEAR,
    PATH,
    PHOTO_MAX_BYTES,
    SATISFACTION,
    TRANSITIONS,
    ModState,
    PhotoStage,
    actions_from,
    path_reached,
    step_label,
)
from linli.care.selectors.modifications import (
    application_counts,
    application_get,
    application_lines,
    application_list,
    application_photos,
    application_steps,
    can_see_progress,
    candidates,
    contractor_choices,
    current_cap,
    current_items,
    item_history,
    my_application_get,
    my_applications,
    my_refs,
    photo_get,
    progress,
)
from linli.care.services.modifications import (
    AcceptInput,
    LineInput,
    PhotoUpload,
    application_accept,
    application_apply,
    application_assess,
    application_close,
    application_confirm,
    application_pay,
    application_start,
    item_price_set,
    photo_read,
    target_set,
)
from linli.core.charts import Chart, Series
from linli.core.errors import DomainError
from linli.core.web import resident_page, staff_page
from linli.residents.selectors import care_people_search

PAGE_SIZE = 30
SEES = (CARE_VIEW, CARE_MANAGE, CARE_PAY)
DAY = forms.DateField(required=False)


def _errors(error: DomainError) -> list[str]:
    return [str(f.message) for f in error.fields] or [str(error.message)]


def _photos(request, name: str) -> list[PhotoUpload]:
    return [PhotoUpload(f.name or "photo", f.read(PHOTO_MAX_BYTES + 1)) for f in request.FILES.getlist(name)]


def _day(text) -> object:
    try:
        return DAY.clean(text or None)
    except forms.ValidationError:
        return None


def _plan(app) -> dict:
    """What both the staff and the family pages show of an application."""
    lines = application_lines(app)
    photos = application_photos(app)
    after = {}
    for photo in photos:
        if photo.line_id:
            after.setdefault(photo.line_id, []).append(photo)
    return {
        "app": app,
        "lines": [(line, after.get(line.pk, [])) for line in lines],
        "before": [p for p in photos if p.stage == PhotoStage.BEFORE],
        "steps": [(s, step_label(s.action)) for s in application_steps(app)],
        "community": unit_names([app.path[:12]]).get(app.path[:12], ""),
        "today": timezone.localdate(),
    }


# ================================================================ staff


@staff_page(*SEES)
def queue(request):
    actor = request.actor
    today = timezone.localdate()
    state = request.GET.get("state", "open")
    q = request.GET.get("q", "").strip()[:40]
    rows = application_list(actor=actor, state="" if state == "all" else state, q=q)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = application_counts(actor=actor, today=today)
    tabs = [(value, label, counts.get(value, 0)) for value, label in ModState.choices]
    names = unit_names({r.path[:12] for r in page.object_list})
    context = {"page": page, "rows": [(r, names.get(r.path[:12], "")) for r in page.object_list], "tabs": tabs}
    context |= {"state": state, "q": q, "counts": counts, "today": today, "may_manage": actor.has_perm(CARE_MANAGE)}
    return render(request, "care/staff/modifications/queue.html", context)


@staff_page(CARE_MANAGE)
def new(request):
    actor = request.actor
    errors: list[str] = []
    if request.method == "POST":
        try:
            app = application_apply(
                actor=actor,
                person_ref=request.POST.get("person", ""),
                note=request.POST.get("note", ""),
                from_candidates=request.POST.get("from") == "candidates",
            )
        except DomainError as error:
            errors = _errors(error)
        else:
            messages.success(request, _("The application is recorded; assess the home next."))
            return redirect("portal:care:modifications-item", public_id=app.public_id)
    q = request.GET.get("q", "").strip()[:40]
    people = care_people_search(actor=actor, q=q) if q else []
    context = {"q": q, "people": people, "errors": errors, "today": timezone.localdate()}
    return render(request, "care/staff/modifications/new.html", context, status=400 if errors else 200)


@staff_page(CARE_MANAGE)
def candidate_list(request):
    today = timezone.localdate()
    people = candidates(actor=request.actor, today=today)
    names = unit_names({p.path[:12] for p in people})
    rows = [(p, names.get(p.path[:12], ""), p.age_on(today)) for p in people]
    return render(request, "care/staff/modifications/candidates.html", {"rows": rows})


def _item_page(request, app, *, failed: str = "", errors=None, status: int = 200):
    actor = request.actor
    actions = [a for a in actions_from(app.state) if actor.has_perm(TRANSITIONS[a].permission)]
    context = _plan(app) | {"actions": actions, "failed": failed, "errors": errors or []}
    if "assess" in actions:
        planned = {line.item.code: line for line, _ in context["lines"]}
        context["checklist"] = _checklist(current_items(timezone.localdate()), planned)
        context["cap"] = current_cap(timezone.localdate())
    if "start" in actions:
        context["providers"] = contractor_choices()
    context["transitions"] = TRANSITIONS
    context["satisfaction"] = SATISFACTION
    return render(request, "care/staff/modifications/item.html", context, status=status)


def _shown(zh: str, en: str) -> str:
    """Domain data in the reader's language (the items carry both names)."""
    return en if (translation.get_language() or "").startswith("en") else zh


def _checklist(items, planned) -> list[tuple[str, list]]:
    """The standard items grouped as the checklist shows them, each with what is planned."""
    groups: dict[str, list] = {}
    names: dict[str, str] = {}
    for item in items:
        names[item.group] = _shown(item.group_name, item.group_name_en)
        groups.setdefault(item.group, []).append((item, planned.get(item.code)))
    return [(names[g], rows) for g, rows in groups.items()]


@staff_page(*SEES)
def item(request, public_id):
    return _item_page(request, application_get(actor=request.actor, public_id=public_id))


def _act(request, public_id, action: str, run):
    """Run one step's service; on a refusal the page again with the reasons next to the form."""
    app = application_get(actor=request.actor, public_id=public_id)
    try:
        run(app)
    except DomainError as error:
        app = application_get(actor=request.actor, public_id=public_id)
        return _item_page(request, app, failed=action, errors=_errors(error), status=400)
    messages.success(request, str(TRANSITIONS[action].label))
    return redirect("portal:care:modifications-item", public_id=public_id)


@require_POST
@staff_page(CARE_MANAGE)
def assess(request, public_id):
    post = request.POST
    codes = [key[4:] for key, value in post.items() if key.startswith("qty_") and value.strip()]
    lines = [LineInput(code, post.get(f"qty_{code}"), post.get(f"note_{code}", "")) for code in codes]
    photos = _photos(request, "photos")
    return _act(
        request,
        public_id,
        "assess",
        lambda app: application_assess(
            actor=request.actor, application=app, lines=lines, photos=photos, note=post.get("note", "")
        ),
    )


@require_POST
@staff_page(CARE_MANAGE)
def confirm(request, public_id):
    note = request.POST.get("note", "")
    return _act(
        request, public_id, "confirm", lambda app: application_confirm(actor=request.actor, application=app, note=note)
    )


@require_POST
@staff_page(CARE_MANAGE)
def start(request, public_id):
    post = request.POST
    return _act(
        request,
        public_id,
        "start",
        lambda app: application_start(
            actor=request.actor,
            application=app,
            provider_ref=post.get("provider", ""),
            contractor_name=post.get("contractor", ""),
            start=_day(post.get("start")),
            finish=_day(post.get("finish")),
        ),
    )


@require_POST
@staff_page(CARE_MANAGE)
def accept(request, public_id):
    post = request.POST
    photos = {int(k[6:]): _photos(request, k) for k in request.FILES if k.startswith("after_") and k[6:].isdigit()}
    reasons = {int(k[7:]): v for k, v in post.items() if k.startswith("reason_") and k[7:].isdigit()}
    data = AcceptInput(
        _day(post.get("finished_on")), post.get("satisfaction", ""), photos, reasons, post.get("note", "")
    )
    return _act(
        request, public_id, "accept", lambda app: application_accept(actor=request.actor, application=app, data=data)
    )


@require_POST
@staff_page(CARE_PAY)
def pay(request, public_id):
    post = request.POST
    return _act(
        request,
        public_id,
        "pay",
        lambda app: application_pay(
            actor=request.actor,
            application=app,
            amount=post.get("amount"),
            paid_on=_day(post.get("paid_on")),
            note=post.get("note", ""),
        ),
    )


@require_POST
@staff_page(CARE_MANAGE)
def close(request, public_id, action):
    if action not in ("refuse", "withdraw"):
        return redirect("portal:care:modifications-item", public_id=public_id)
    reason = request.POST.get("reason", "")
    return _act(
        request,
        public_id,
        action,
        lambda app: application_close(actor=request.actor, application=app, action=action, reason=reason),
    )


def _photo_response(actor, app, photo_id) -> HttpResponse:
    photo = photo_get(app, photo_id)
    response = HttpResponse(photo_read(actor=actor, application=app, photo=photo), content_type=photo.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@staff_page(*SEES)
def photo(request, public_id, photo_id):
    return _photo_response(request.actor, application_get(actor=request.actor, public_id=public_id), photo_id)


def _progress_chart(data) -> Chart:
    return Chart(
        id="care-mod-progress",
        kind="hbars",
        title=_("Households modified against each district's target"),
        category_label=_("District"),
        categories=[d.name for d in data.districts],
        series=[
            Series(_("Done (subsidy paid)"), [d.done for d in data.districts], color="#2e7d32"),
            Series(_("Target"), [d.target for d in data.districts], color="#9e9e9e"),
        ],
    )


def _years_chart(data) -> Chart:
    return Chart(
        id="care-mod-years",
        kind="bars",
        title=_("Households modified per year"),
        category_label=_("Year"),
        categories=[str(y) for y in data.years],
        series=[Series(_("Done (subsidy paid)"), data.year_totals())],
    )


@staff_page(CARE_FIGURES, *SEES)
def progress_page(request):
    actor = request.actor
    if not can_see_progress(actor):
        return redirect("portal:home")
    errors: list[str] = []
    if request.method == "POST":
        try:
            target_set(actor=actor, district_path=request.POST.get("district", ""), households=request.POST.get("n"))
        except DomainError as error:
            errors = _errors(error)
        else:
            messages.success(request, _("The district's target is saved."))
            return redirect("portal:care:modifications-progress")
    data = progress(actor=actor)
    context = {"data": data, "goal_year": GOAL_YEAR, "errors": errors, "may_edit": _city_editor(actor)}
    if data and data.districts:
        context |= {"chart": _progress_chart(data), "years_chart": _years_chart(data)}
    return render(request, "care/staff/modifications/progress.html", context, status=400 if errors else 200)


def _city_editor(actor) -> bool:
    return actor.has_perm(CARE_LIST_EDIT) and any(len(p) <= 4 for p in actor.scope_paths)


@staff_page(CARE_LIST_EDIT, *SEES)
def items(request):
    actor = request.actor
    errors: list[str] = []
    failed = ""
    if request.method == "POST":
        failed = request.POST.get("code", "")
        try:
            item_price_set(
                actor=actor,
                code=failed,
                unit_price=request.POST.get("unit_price", ""),
                basic=request.POST.get("basic") == "1",
                valid_from=_day(request.POST.get("valid_from")),
                retired=request.POST.get("retired") == "1",
            )
        except DomainError as error:
            errors = _errors(error)
        else:
            messages.success(request, _("The new price is saved; quotes already made keep their prices."))
            return redirect("portal:care:modifications-items")
    today = timezone.localdate()
    rows = [(i, item_history(i.code)[1:4]) for i in current_items(today)]
    context = {"rows": rows, "cap": current_cap(today), "errors": errors, "failed": failed, "today": today}
    context["may_edit"] = _city_editor(actor)
    return render(request, "care/staff/modifications/items.html", context, status=400 if errors else 200)


# ================================================================ resident (the family, on the phone)


@resident_page(CARE_ORDER)
def my_list(request):
    user_id = request.actor.user_id
    elders = [p for p in my_refs(user_id).values() if p.age_on(timezone.localdate()) >= 60]
    errors: list[str] = []
    if request.method == "POST":
        try:
            app = application_apply(
                actor=request.actor, person_ref=request.POST.get("person", ""), note=request.POST.get("note", "")
            )
        except DomainError as error:
            errors = _errors(error)
        else:
            messages.success(request, _("Sent. Your community will call to arrange a visit to the home."))
            return redirect("portal:care-resident:modifications-mine-item", public_id=app.public_id)
    context = {"apps": list(my_applications(user_id)[:20]), "elders": elders, "errors": errors}
    return render(request, "care/resident/modifications/list.html", context, status=400 if errors else 200)


@resident_page(CARE_ORDER)
def my_item(request, public_id):
    app = my_application_get(request.actor.user_id, public_id)
    errors: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "confirm":
                application_confirm(actor=request.actor, application=app)
            else:
                application_close(
                    actor=request.actor, application=app, action="withdraw", reason=request.POST.get("reason", "")
                )
        except DomainError as error:
            errors = _errors(error)
        else:
            messages.success(request, str(TRANSITIONS["confirm" if action == "confirm" else "withdraw"].label))
            return redirect("portal:care-resident:modifications-mine-item", public_id=app.public_id)
        app = my_application_get(request.actor.user_id, public_id)
    context = _plan(app) | {"errors": errors, "states": PATH, "reached": path_reached(app.state)}
    return render(request, "care/resident/modifications/item.html", context, status=400 if errors else 200)


@resident_page(CARE_ORDER)
def my_photo(request, public_id, photo_id):
    return _photo_response(request.actor, my_application_get(request.actor.user_id, public_id), photo_id)


staff_urls: list = [
    path("modifications/", queue, name="modifications"),
    path("modifications/new/", new, name="modifications-new"),
    path("modifications/candidates/", candidate_list, name="modifications-candidates"),
    path("modifications/progress/", progress_page, name="modifications-progress"),
    path("modifications/items/", items, name="modifications-items"),
    path("modifications/<str:public_id>/", item, name="modifications-item"),
    path("modifications/<str:public_id>/assess/", assess, name="modifications-assess"),
    path("modifications/<str:public_id>/confirm/", confirm, name="modifications-confirm"),
    path("modifications/<str:public_id>/start/", start, name="modifications-start"),
    path("modifications/<str:public_id>/accept/", accept, name="modifications-accept"),
    path("modifications/<str:public_id>/pay/", pay, name="modifications-pay"),
    path("modifications/<str:public_id>/close/<str:action>/", close, name="modifications-close"),
    path("modifications/<str:public_id>/photos/<str:photo_id>/", photo, name="modifications-photo"),
]
resident_urls: list = [
    path("modifications/", my_list, name="modifications-mine"),
    path("modifications/<str:public_id>/", my_item, name="modifications-mine-item"),
    path("modifications/<str:public_id>/photos/<str:photo_id>/", my_photo, name="modifications-mine-photo"),
]
provider_urls: list = []
