"""Staff pages of relief: temporary assistance (the queue, a record with its facts, timeline and
next step, the record form with the fast path for the street), zero-employment households (the
list, a household's follow-ups, placing a member in a post, closing), public-welfare posts and
placements, job and training needs, and the zero-employment figures per unit. Each view: actor →
form → one service or selector → page; outside the scope a record is a 404."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from linli.accounts.domain import (
    WELFARE_DECIDE,
    WELFARE_EMPLOYMENT,
    WELFARE_FIGURES,
    WELFARE_INTAKE,
    WELFARE_REVIEW,
)
from linli.areas.selectors import community_paths, unit_names
from linli.core.charts import Chart, Series, Target
from linli.core.errors import DomainError
from linli.core.forms import DateInput, add_domain_errors
from linli.core.web import staff_page
from linli.residents.selectors import welfare_people_search, welfare_person
from linli.welfare.domain.relief import (
    EVENTS,
    FOLLOW_UP_STALE_DAYS,
    TEMP_TRANSITIONS,
    CaseState,
    CloseHow,
    FollowKind,
    Form,
    NeedKind,
    NeedState,
    PostKind,
    TempState,
    event_label,
    temp_actions,
    temp_step_label,
    yuan,
)
from linli.welfare.selectors.relief import (
    can_see_figures,
    household_people,
    job_need_get,
    job_need_list,
    open_posts,
    placement_get,
    post_get,
    post_list,
    post_placements,
    relief_limits,
    temporary_counts,
    temporary_get,
    temporary_list,
    temporary_steps,
    zero_case_get,
    zero_case_list,
    zero_case_steps,
    zero_figures,
)
from linli.welfare.services.relief import (
    PostInput,
    TempInput,
    job_need_close,
    job_need_record,
    placement_end,
    placement_start,
    post_create,
    temporary_act,
    temporary_describe,
    temporary_facts,
    temporary_fast_pay,
    temporary_record,
    zero_close,
    zero_find,
    zero_follow,
)

PAGE_SIZE = 30
TEMP_PERMS = (WELFARE_INTAKE, WELFARE_REVIEW, WELFARE_DECIDE)
DATE = DateInput()


class ServiceForm(forms.Form):
    """A form whose required fields are marked for the reader, while the service says what is
    missing in its own words (both languages, every problem at once): an empty required field is
    passed on as empty instead of stopping here."""

    def is_valid(self) -> bool:
        super().is_valid()
        for name, problems in list(self.errors.as_data().items()):
            if name in self.fields and all(p.code == "required" for p in problems):
                del self._errors[name]
                empty = None if isinstance(self.fields[name], forms.DateField) else ""
                self.cleaned_data.setdefault(name, empty)
        return not self._errors


def _names(rows, attr: str = "path"):
    names = unit_names({getattr(r, attr)[:12] for r in rows})
    for row in rows:
        row.community_name = names.get(getattr(row, attr)[:12], "")
    return rows


def _people_choices(actor, q: str) -> list[tuple[str, str]]:
    return [
        (p.public_id, f"{p.name} · {p.id_number_masked} · {p.employment_label or '—'}")
        for p in welfare_people_search(actor=actor, q=q)
    ]


# ================================================================ temporary assistance


class TempForm(ServiceForm):
    person = forms.ChoiceField(label=gettext_lazy("Resident"), required=False)
    outsider_name = forms.CharField(label=gettext_lazy("Name (not registered here)"), max_length=50, required=False)
    outsider_id_number = forms.CharField(label=gettext_lazy("ID number (kept masked)"), max_length=18, required=False)
    community = forms.ChoiceField(label=gettext_lazy("Community"), required=False)
    event = forms.ChoiceField(label=gettext_lazy("Hardship event"))
    event_on = forms.DateField(label=gettext_lazy("Date of the event"), widget=DATE)
    amount_asked = forms.CharField(label=gettext_lazy("Amount asked (yuan)"), max_length=14)
    form = forms.ChoiceField(label=gettext_lazy("Form of help"), choices=Form.choices)
    facts = forms.CharField(label=gettext_lazy("The hardship (sealed)"), widget=forms.Textarea(attrs={"rows": 4}))
    amount = forms.CharField(label=gettext_lazy("Amount paid first (yuan)"), max_length=14, required=False)
    note = forms.CharField(label=gettext_lazy("Note on the payment"), max_length=500, required=False)

    def __init__(self, *args, people=(), communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", _("— someone not registered here —")), *people]
        self.fields["community"].choices = [("", "—"), *communities]
        self.fields["event"].choices = [(e.code, event_label(e.code)) for e in EVENTS]


@staff_page(*TEMP_PERMS)
def home(request):
    actor = request.actor
    today = timezone.localdate()
    state = request.GET.get("state", "open")
    q = request.GET.get("q", "").strip()[:40]
    rows = temporary_list(actor=actor, state="" if state == "all" else state, q=q)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    _names(page.object_list)
    counts = temporary_counts(actor=actor, today=today)
    tabs = [(value, label, counts.get(value, 0)) for value, label in TempState.choices]
    return render(
        request,
        "welfare/staff/relief/home.html",
        {
            "page": page,
            "tabs": tabs,
            "state": state,
            "q": q,
            "overdue": counts["overdue"],
            "today": today,
            "may_record": actor.has_perm(WELFARE_INTAKE) or actor.has_perm(WELFARE_REVIEW),
            "section": "temporary",
        },
    )


@staff_page(WELFARE_INTAKE, WELFARE_REVIEW)
def new(request):
    actor = request.actor
    q = request.GET.get("q", request.POST.get("q", "")).strip()[:40]
    people = _people_choices(actor, q) if q else []
    if request.method == "POST" and request.POST.get("person"):
        chosen = welfare_person(actor=actor, public_id=request.POST["person"])
        if chosen is not None and all(value != chosen.public_id for value, _label in people):
            people = [*people, (chosen.public_id, f"{chosen.name} · {chosen.id_number_masked}")]
    form = TempForm(request.POST or None, people=people, communities=community_paths(actor=actor))
    fast = request.POST.get("route") == "fast"
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = TempInput(
            event=data["event"],
            event_on=data["event_on"],
            amount_asked=data["amount_asked"],
            facts=data["facts"],
            person=data["person"],
            outsider_name=data["outsider_name"],
            outsider_id_number=data["outsider_id_number"],
            community=data["community"],
            form=data["form"],
        )
        try:
            if fast:
                item = temporary_fast_pay(actor=actor, data=values, amount=data["amount"], note=data["note"])
            else:
                item = temporary_record(actor=actor, data=values)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Recorded: %(number)s") % {"number": item.number})
            return redirect("portal:welfare:relief-item", public_id=item.public_id)
    today = timezone.localdate()
    try:
        limits = relief_limits(today)
    except DomainError:
        limits = None
    return render(
        request,
        "welfare/staff/relief/new.html",
        {
            "form": form,
            "q": q,
            "people": people,
            "limits": limits,
            "yuan": yuan,
            "street_first": yuan(limits.street_first) if limits else "",
            "per_event": yuan(limits.per_event) if limits else "",
            "per_year": yuan(limits.per_year) if limits else "",
            "events_per_year": limits.events_per_year if limits else "",
            "may_intake": actor.has_perm(WELFARE_INTAKE),
            "may_fast": actor.has_perm(WELFARE_REVIEW),
            "section": "temporary",
        },
        status=400 if request.method == "POST" else 200,
    )


def _item_page(request, item, *, failed: str = "", errors=None, status: int = 200):
    actor = request.actor
    actions = [
        (a, TEMP_TRANSITIONS[a]) for a in temp_actions(item.state) if actor.has_perm(TEMP_TRANSITIONS[a].permission)
    ]
    steps = [(s, temp_step_label(s.action)) for s in temporary_steps(item)]
    return render(
        request,
        "welfare/staff/relief/item.html",
        {
            "item": item,
            "community": unit_names([item.path[:12]]).get(item.path[:12], ""),
            "event": event_label(item.event),
            "facts": temporary_facts(actor=actor, assistance=item) if request.GET.get("facts") == "1" else "",
            "asked": yuan(item.amount_asked),
            "granted": yuan(item.amount_granted) if item.amount_granted is not None else "",
            "steps": [(s, label, yuan(s.amount) if s.amount is not None else "") for s, label in steps],
            "actions": actions,
            "failed": failed,
            "errors": errors or [],
            "today": timezone.localdate(),
            "may_describe": item.state == TempState.RECORDED and actor.has_perm(WELFARE_INTAKE),
            "needs_description": item.amount_asked <= 0,
            "events": [(e.code, event_label(e.code)) for e in EVENTS],
            "forms": Form.choices,
            "section": "temporary",
        },
        status=status,
    )


@require_POST
@staff_page(WELFARE_INTAKE)
def item_describe(request, public_id):
    actor = request.actor
    found = temporary_get(actor=actor, public_id=public_id)
    post = request.POST
    try:
        event_on = forms.DateField(required=False).clean(post.get("event_on") or None)
        temporary_describe(
            actor=actor,
            assistance=found,
            data=TempInput(
                event=post.get("event", ""),
                event_on=event_on,
                amount_asked=post.get("amount_asked", ""),
                facts=post.get("facts", ""),
                form=post.get("form", Form.CASH),
            ),
        )
    except (DomainError, forms.ValidationError) as error:
        found = temporary_get(actor=actor, public_id=public_id)
        return _item_page(request, found, failed="describe", errors=[_error_text(error)], status=400)
    messages.success(request, _("The hardship is recorded; the street reviews it next."))
    return redirect("portal:welfare:relief-item", public_id=public_id)


@staff_page(*TEMP_PERMS)
def item(request, public_id):
    return _item_page(request, temporary_get(actor=request.actor, public_id=public_id))


@require_POST
@staff_page(*TEMP_PERMS)
def item_step(request, public_id, action):
    actor = request.actor
    found = temporary_get(actor=actor, public_id=public_id)
    try:
        temporary_act(
            actor=actor,
            assistance=found,
            action=action,
            note=request.POST.get("note", ""),
            amount=request.POST.get("amount"),
        )
    except DomainError as error:
        problems = [str(f.message) for f in error.fields] or [str(error.message)]
        found = temporary_get(actor=actor, public_id=public_id)
        return _item_page(request, found, failed=action, errors=problems, status=400)
    label = TEMP_TRANSITIONS[action].label
    messages.success(request, str(label))
    return redirect("portal:welfare:relief-item", public_id=public_id)


# ================================================================ zero-employment households


@staff_page(WELFARE_EMPLOYMENT)
def zero(request):
    actor = request.actor
    today = timezone.localdate()
    state = request.GET.get("state", "open")
    stale = request.GET.get("stale") == "1"
    rows = zero_case_list(
        actor=actor,
        state=state if state in CaseState.values else "",
        stale_before=today - timedelta(days=FOLLOW_UP_STALE_DAYS) if stale else None,
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    _names(page.object_list)
    return render(
        request,
        "welfare/staff/relief/zero.html",
        {"page": page, "state": state, "stale": stale, "today": today, "section": "zero"},
    )


@require_POST
@staff_page(WELFARE_EMPLOYMENT)
def zero_search(request):
    try:
        created = zero_find(actor=request.actor)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request, _("Search done: %(n)d new zero-employment household(s) to follow.") % {"n": len(created)}
        )
    return redirect("portal:welfare:zero")


class FollowForm(ServiceForm):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of follow-up"), choices=FollowKind.choices)
    on = forms.DateField(label=gettext_lazy("Date"), widget=DATE)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False)


class CloseForm(ServiceForm):
    how = forms.ChoiceField(label=gettext_lazy("Resolved how"), choices=[("", "—"), *CloseHow.choices])
    reason = forms.CharField(label=gettext_lazy("Reason (who works where)"), max_length=500)


class PlaceForm(forms.Form):
    person = forms.ChoiceField(label=gettext_lazy("Member"))
    post = forms.ChoiceField(label=gettext_lazy("Public-welfare post"))
    from_on = forms.DateField(label=gettext_lazy("From"), widget=DATE, required=False)
    to_on = forms.DateField(
        label=gettext_lazy("Until"),
        widget=DATE,
        required=False,
        help_text=gettext_lazy("Empty: until the post ends."),
    )

    def __init__(self, *args, members=(), posts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = members
        self.fields["post"].choices = posts


def _place_form(actor, case, data=None) -> PlaceForm:
    today = timezone.localdate()
    members = household_people(actor=actor, household_ref=case.household_ref)
    posts = open_posts(actor=actor, on=today) if case.state == CaseState.OPEN else []
    return PlaceForm(
        data,
        members=[(m.public_id, f"{m.name} · {m.employment_label or '—'}") for m in members],
        posts=[
            (str(p.public_id), f"{p.title} · {p.employer} · {yuan(p.monthly_pay)} ({p.filled}/{p.capacity})")
            for p in posts
        ],
        initial={"from_on": today},
    )


def _case_page(request, case, *, follow=None, close=None, place=None, status=200):
    actor = request.actor
    today = timezone.localdate()
    place = place or _place_form(actor, case)
    return render(
        request,
        "welfare/staff/relief/case.html",
        {
            "case": case,
            "community": unit_names([case.path[:12]]).get(case.path[:12], ""),
            "members": household_people(actor=actor, household_ref=case.household_ref),
            "steps": zero_case_steps(case),
            "follow": follow or FollowForm(initial={"on": today}),
            "close": close or CloseForm(),
            "place": place,
            "has_posts": len(place.fields["post"].choices) > 0,
            "today": today,
            "section": "zero",
        },
        status=status,
    )


@staff_page(WELFARE_EMPLOYMENT)
def case(request, public_id):
    return _case_page(request, zero_case_get(actor=request.actor, public_id=public_id))


@require_POST
@staff_page(WELFARE_EMPLOYMENT)
def case_follow(request, public_id):
    actor = request.actor
    found = zero_case_get(actor=actor, public_id=public_id)
    form = FollowForm(request.POST)
    if form.is_valid():
        try:
            zero_follow(actor=actor, case=found, **form.cleaned_data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Follow-up recorded."))
            return redirect("portal:welfare:zero-case", public_id=public_id)
    return _case_page(request, found, follow=form, status=400)


@require_POST
@staff_page(WELFARE_EMPLOYMENT)
def case_close(request, public_id):
    actor = request.actor
    found = zero_case_get(actor=actor, public_id=public_id)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            zero_close(actor=actor, case=found, how=form.cleaned_data["how"], reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("The household's case is closed."))
            return redirect("portal:welfare:zero-case", public_id=public_id)
    return _case_page(request, found, close=form, status=400)


@require_POST
@staff_page(WELFARE_EMPLOYMENT)
def case_place(request, public_id):
    actor = request.actor
    found = zero_case_get(actor=actor, public_id=public_id)
    form = _place_form(actor, found, request.POST)
    if form.is_valid():
        try:
            post = post_get(actor=actor, public_id=form.cleaned_data["post"])
            placement_start(
                actor=actor,
                post=post,
                person=form.cleaned_data["person"],
                from_on=form.cleaned_data["from_on"] or timezone.localdate(),
                to_on=form.cleaned_data["to_on"] or post.ends_on,  # empty: until the post ends
                case=found,
            )
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Placed in the post; the household's case is closed."))
            return redirect("portal:welfare:zero-case", public_id=public_id)
    return _case_page(request, found, place=form, status=400)


# ================================================================ posts and placements


class PostForm(ServiceForm):
    title = forms.CharField(label=gettext_lazy("Post"), max_length=60)
    employer = forms.CharField(label=gettext_lazy("Employing unit"), max_length=80)
    kind = forms.ChoiceField(label=gettext_lazy("Kind of post"), choices=PostKind.choices)
    community = forms.ChoiceField(label=gettext_lazy("Community"), required=False)
    capacity = forms.CharField(label=gettext_lazy("Places"), max_length=4)
    monthly_pay = forms.CharField(label=gettext_lazy("Monthly pay (yuan)"), max_length=12)
    starts_on = forms.DateField(label=gettext_lazy("From"), widget=DATE)
    ends_on = forms.DateField(label=gettext_lazy("Until"), widget=DATE)

    def __init__(self, *args, communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = list(communities)


@staff_page(WELFARE_EMPLOYMENT)
def posts(request):
    actor = request.actor
    today = timezone.localdate()
    communities = community_paths(actor=actor)
    form = PostForm(request.POST or None, communities=communities)
    if request.method == "POST" and form.is_valid():
        try:
            post = post_create(actor=actor, data=PostInput(**form.cleaned_data))
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Post created: %(title)s") % {"title": post.title})
            return redirect("portal:welfare:post", public_id=post.public_id)
    rows = list(post_list(actor=actor)[:200])
    _names(rows)
    for row in rows:
        row.pay = yuan(row.monthly_pay)
    return render(
        request,
        "welfare/staff/relief/posts.html",
        {"rows": rows, "form": form, "today": today, "section": "posts"},
        status=400 if request.method == "POST" else 200,
    )


@staff_page(WELFARE_EMPLOYMENT)
def post(request, public_id):
    actor = request.actor
    found = post_get(actor=actor, public_id=public_id)
    q = request.GET.get("q", "").strip()[:40]
    return render(
        request,
        "welfare/staff/relief/post.html",
        {
            "post": found,
            "pay": yuan(found.monthly_pay),
            "community": unit_names([found.path]).get(found.path, ""),
            "placements": post_placements(found),
            "q": q,
            "people": _people_choices(actor, q) if q else [],
            "today": timezone.localdate(),
            "section": "posts",
        },
    )


@require_POST
@staff_page(WELFARE_EMPLOYMENT)
def post_place(request, public_id):
    actor = request.actor
    found = post_get(actor=actor, public_id=public_id)
    try:
        placement_start(
            actor=actor,
            post=found,
            person=request.POST.get("person", ""),
            from_on=forms.DateField(required=False).clean(request.POST.get("from_on") or None),
            to_on=forms.DateField(required=False).clean(request.POST.get("to_on") or None),
        )
    except (DomainError, forms.ValidationError) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Placed in the post."))
    return redirect("portal:welfare:post", public_id=public_id)


@require_POST
@staff_page(WELFARE_EMPLOYMENT)
def placement_stop(request, public_id):
    actor = request.actor
    found = placement_get(actor=actor, public_id=public_id)
    try:
        placement_end(
            actor=actor,
            placement=found,
            on=forms.DateField(required=False).clean(request.POST.get("on") or None),
            reason=request.POST.get("reason", ""),
        )
    except (DomainError, forms.ValidationError) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The placement has ended."))
    return redirect("portal:welfare:post", public_id=found.post.public_id)


def _error_text(error) -> str:
    if isinstance(error, DomainError):
        return " ".join(str(f.message) for f in error.fields) or str(error.message)
    return " ".join(error.messages)


# ================================================================ job and training needs


@staff_page(WELFARE_EMPLOYMENT)
def jobs(request):
    actor = request.actor
    state = request.GET.get("state", "open")
    q = request.GET.get("q", "").strip()[:40]
    if request.method == "POST":
        try:
            job_need_record(
                actor=actor,
                person=request.POST.get("person", ""),
                kind=request.POST.get("kind", ""),
                wish=request.POST.get("wish", ""),
            )
        except DomainError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Need recorded."))
        return redirect("portal:welfare:jobs")
    rows = job_need_list(actor=actor, state=state if state in NeedState.values else "")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    _names(page.object_list)
    return render(
        request,
        "welfare/staff/relief/jobs.html",
        {
            "page": page,
            "state": state,
            "states": NeedState.choices,
            "kinds": NeedKind.choices,
            "q": q,
            "people": _people_choices(actor, q) if q else [],
            "section": "jobs",
        },
    )


@require_POST
@staff_page(WELFARE_EMPLOYMENT)
def job_close(request, public_id):
    actor = request.actor
    found = job_need_get(actor=actor, public_id=public_id)
    try:
        job_need_close(
            actor=actor, need=found, state=request.POST.get("state", ""), outcome=request.POST.get("outcome", "")
        )
    except DomainError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Need closed."))
    return redirect("portal:welfare:jobs")


# ================================================================ figures


def _zero_chart(figures) -> Chart:
    return Chart(
        id="welfare-zero",
        kind="hbars",
        title=_("Zero-employment households open now, by unit"),
        category_label=_("Unit"),
        categories=[u.name for u in figures.units],
        series=[
            Series(_("Open now"), [u.open_now for u in figures.units], color="#c0392b"),
            Series(_("Resolved"), [u.resolved for u in figures.units], color="#2e7d32"),
        ],
        targets=[Target(_("Target"), 0)],
    )


@staff_page(WELFARE_FIGURES)
def figures(request):
    actor = request.actor
    if not can_see_figures(actor):
        return redirect("portal:home")
    data = zero_figures(actor=actor, under=request.GET.get("under", ""))
    parent = data.under[: {6: 4, 9: 6, 12: 9}.get(len(data.under), 0)]
    return render(
        request,
        "welfare/staff/relief/figures.html",
        {
            "figures": data,
            "chart": _zero_chart(data),
            "drill": len(data.under) < 12,
            "up": parent if parent and actor.sees_path(parent) else "",
            "section": "figures",
        },
    )
