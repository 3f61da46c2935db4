"""Care services, stage classes (幸福教育): pages (thin: parse, one service or selector, render).

Residents (/my/care/classes/, phone and elder mode first): classes of their street open for
enrolment, their enrolments and waiting positions, their community's requests with votes, rating.
Staff (/staff/care/classes/…): requests ranked by votes, the lecturer pool, classes with sessions,
the attendance tick list (phone), the figures per community with a chart, model sites.
The route lists at the end are joined in `web/urls.py` and `web/resident_urls.py`."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from linli.accounts.domain import CARE_FIGURES, CARE_MANAGE, CARE_ORDER, CARE_VIEW
from linli.areas.selectors import community_paths, unit_names
from linli.care.domain.classes import Audience, ClassState, LecturerKind, RequestState
from linli.care.selectors.classes import (
    class_get,
    class_list,
    class_roster,
    class_sessions,
    classroom_choices,
    community_rows,
    lecturer_list,
    lecturers_visible,
    may_manage,
    model_site_list,
    request_get,
    request_list,
    resident_classes,
    session_get,
    session_present_ids,
)
from linli.care.services.classes import (
    ClassInput,
    LecturerInput,
    attendance_record,
    class_cancel,
    class_close,
    class_enrol,
    class_plan,
    class_publish,
    class_rate,
    lecturer_add,
    model_site_designate,
    request_create,
    request_decline,
    request_unvote,
    request_vote,
)
from linli.core.charts import Chart, Series
from linli.core.errors import DomainError
from linli.core.forms import DateInput, add_domain_errors
from linli.core.web import resident_page, staff_page

HOME = "portal:care-resident:classes-home"
SEES = (CARE_VIEW, CARE_MANAGE)
DATE = DateInput()
TIME = forms.TimeInput(attrs={"type": "time"})


def _done(request, error: DomainError | None, ok: str, to: str, *args):
    """A POST's answer: the message (or the refusal, in the reader's language) and back."""
    if error is None:
        messages.success(request, ok)
    else:
        fields = "; ".join(str(f.message) for f in error.fields)
        messages.error(request, fields or str(error.message))
    return redirect(to, *args)


def _attempt(work) -> DomainError | None:
    try:
        work()
    except DomainError as error:
        if error.status == 404:
            raise
        return error
    return None


# ================================================================ resident


class RequestForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("What would you like to learn?"), max_length=80, required=False)
    why = forms.CharField(
        label=gettext_lazy("Why (who would come, what for)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        required=False,
    )
    preferred_times = forms.CharField(
        label=gettext_lazy("Preferred times (e.g. weekday mornings)"), max_length=100, required=False
    )


@resident_page(CARE_ORDER)
def resident_home(request):
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            request_create(actor=request.actor, **form.cleaned_data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Your request was sent to your community. Neighbours can now support it."))
            return redirect(HOME)
    data = resident_classes(actor=request.actor)
    return render(request, "care/resident/classes/home.html", {"data": data, "form": form, "stars": range(5, 0, -1)})


@resident_page(CARE_ORDER)
@require_POST
def resident_vote(request, public_id):
    withdraw = request.POST.get("withdraw") == "1"
    change = request_unvote if withdraw else request_vote
    error = _attempt(lambda: change(actor=request.actor, public_id=public_id))
    return _done(request, error, _("Support withdrawn.") if withdraw else _("Thank you for your support."), HOME)


@resident_page(CARE_ORDER)
@require_POST
def resident_enrol(request, public_id):
    result = {}
    error = _attempt(lambda: result.update(e=class_enrol(actor=request.actor, public_id=public_id)))
    if error is None and result["e"].state == "waiting":
        return _done(request, None, _("The class is full: you are on the waiting list."), HOME)
    return _done(request, error, _("You are enrolled."), HOME)


@resident_page(CARE_ORDER)
@require_POST
def resident_cancel(request, public_id):
    error = _attempt(lambda: class_cancel(actor=request.actor, public_id=public_id))
    return _done(request, error, _("Your enrolment is cancelled."), HOME)


@resident_page(CARE_ORDER)
@require_POST
def resident_rate(request, public_id):
    stars, comment = request.POST.get("stars"), request.POST.get("comment", "")
    error = _attempt(lambda: class_rate(actor=request.actor, public_id=public_id, stars=stars, comment=comment))
    return _done(request, error, _("Thank you for rating the class."), HOME)


# ================================================================ staff: requests


def _with_names(rows):
    names = unit_names({r.path[:12] for r in rows})
    for row in rows:
        row.community_name = names.get(row.path[:12], "")
    return rows


@staff_page(*SEES)
def requests_page(request):
    state = request.GET.get("state", RequestState.OPEN)
    rows = _with_names(list(request_list(actor=request.actor, state=state)[:200]))
    context = {"rows": rows, "state": state, "states": RequestState.choices, "manage": may_manage(request.actor)}
    return render(request, "care/staff/classes/requests.html", context)


@staff_page(CARE_MANAGE)
@require_POST
def request_decline_page(request, public_id):
    item = request_get(actor=request.actor, public_id=public_id)
    error = _attempt(lambda: request_decline(actor=request.actor, request=item, reason=request.POST.get("reason", "")))
    return _done(
        request, error, _("The request is declined; its supporters were told why."), "portal:care:classes-requests"
    )


# ================================================================ staff: lecturers


class LecturerForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name (person, school or organisation)"), max_length=100, required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=LecturerKind.choices)
    topics = forms.CharField(label=gettext_lazy("Topics taught"), max_length=300, required=False)
    communities = forms.MultipleChoiceField(
        label=gettext_lazy("Communities served"), widget=forms.CheckboxSelectMultiple, required=False
    )
    volunteer = forms.CharField(label=gettext_lazy("Volunteer's public id"), max_length=40, required=False)
    social_org = forms.CharField(label=gettext_lazy("Social organisation's public id"), max_length=40, required=False)

    def __init__(self, *args, communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communities"].choices = communities


@staff_page(*SEES)
def lecturers_page(request):
    form = LecturerForm(request.POST or None, communities=community_paths(actor=request.actor))
    if request.method == "POST" and form.is_valid():
        try:
            lecturer_add(actor=request.actor, data=LecturerInput(**form.cleaned_data))
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("The lecturer is in the pool."))
            return redirect("portal:care:classes-lecturers")
    context = {"rows": lecturer_list(actor=request.actor), "form": form, "manage": may_manage(request.actor)}
    return render(request, "care/staff/classes/lecturers.html", context)


# ================================================================ staff: classes


@staff_page(*SEES)
def classes_page(request):
    state = request.GET.get("state", "")
    rows = _with_names(list(class_list(actor=request.actor, state=state)[:200]))
    context = {"rows": rows, "state": state, "states": ClassState.choices, "manage": may_manage(request.actor)}
    return render(request, "care/staff/classes/list.html", context)


class ClassForm(forms.Form):
    community = forms.ChoiceField(label=gettext_lazy("Community"))
    title = forms.CharField(label=gettext_lazy("Class title"), max_length=80, required=False)
    description = forms.CharField(
        label=gettext_lazy("What the class is about"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    lecturer = forms.ChoiceField(label=gettext_lazy("Lecturer"), required=False)
    classroom = forms.ChoiceField(label=gettext_lazy("Classroom"), required=False)
    classroom_name = forms.CharField(label=gettext_lazy("Or another place"), max_length=100, required=False)
    capacity = forms.CharField(label=gettext_lazy("Places"), max_length=4, required=False)
    audience = forms.ChoiceField(label=gettext_lazy("Audience"), choices=Audience.choices)
    first_day = forms.DateField(label=gettext_lazy("First session on"), widget=DATE, required=False)
    starts = forms.TimeField(label=gettext_lazy("From"), widget=TIME, required=False)
    ends = forms.TimeField(label=gettext_lazy("To"), widget=TIME, required=False)
    weeks = forms.IntegerField(label=gettext_lazy("Sessions (one a week)"), min_value=1, max_value=40, initial=1)
    requests = forms.MultipleChoiceField(
        label=gettext_lazy("Answers the residents' requests"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        communities = community_paths(actor=actor)
        self.fields["community"].choices = communities
        self.fields["lecturer"].choices = [("", _("— none yet —"))] + [
            (str(x.public_id), f"{x.name} · {x.topics[:30]}") for x in lecturers_visible(actor).filter(active=True)
        ]
        rooms = [(str(f.public_id), f.name) for c, _name in communities[:20] for f in classroom_choices(actor, c)]
        self.fields["classroom"].choices = [("", _("— another place —")), *rooms]
        self.fields["requests"].choices = [
            (str(r.public_id), f"{r.title} ({r.votes})")
            for r in request_list(actor=actor, state=RequestState.OPEN)[:50]
        ]

    def sessions(self) -> list[tuple[datetime | None, datetime | None]]:
        day, starts, ends = (self.cleaned_data.get(k) for k in ("first_day", "starts", "ends"))
        if not (day and starts and ends):
            return [(None, None)]
        tz = timezone.get_current_timezone()
        weeks = self.cleaned_data.get("weeks") or 1
        return [
            (
                datetime.combine(day + timedelta(weeks=w), starts, tz),
                datetime.combine(day + timedelta(weeks=w), ends, tz),
            )
            for w in range(weeks)
        ]


@staff_page(CARE_MANAGE)
def class_new_page(request):
    initial = {"requests": request.GET.getlist("request"), "community": request.GET.get("community", "")}
    form = ClassForm(request.POST or None, actor=request.actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {
            k: form.cleaned_data[k]
            for k in (
                "community",
                "title",
                "description",
                "capacity",
                "audience",
                "lecturer",
                "classroom",
                "classroom_name",
                "requests",
            )
        }
        try:
            item = class_plan(actor=request.actor, data=ClassInput(**fields, sessions=form.sessions()))
        except DomainError as error:
            add_domain_errors(form, error, {"sessions": "first_day"})
        else:
            messages.success(request, _("The class is planned. Publish it to open enrolment."))
            return redirect("portal:care:classes-detail", item.public_id)
    return render(request, "care/staff/classes/new.html", {"form": form})


@staff_page(*SEES)
def class_page(request, public_id):
    item = class_get(actor=request.actor, public_id=public_id)
    enrolled, waiting = class_roster(item)
    context = {
        "item": item,
        "sessions": class_sessions(item),
        "enrolled": enrolled,
        "waiting": waiting,
        "manage": may_manage(request.actor),
        "now": timezone.now(),
        "community_name": unit_names([item.path]).get(item.path, ""),
    }
    return render(request, "care/staff/classes/detail.html", context)


@staff_page(CARE_MANAGE)
@require_POST
def class_act_page(request, public_id, action):
    item = class_get(actor=request.actor, public_id=public_id)
    change = {"publish": class_publish, "close": class_close}.get(action)
    if change is None or (action == "close" and request.POST.get("confirm") != "1"):
        return _done(request, None, "", "portal:care:classes-detail", item.public_id)
    error = _attempt(lambda: change(actor=request.actor, item=item))
    ok = _("Published: residents of the street can enrol.") if action == "publish" else _("The class is closed.")
    return _done(request, error, ok, "portal:care:classes-detail", item.public_id)


@staff_page(CARE_MANAGE)
def attendance_page(request, public_id, pk):
    item = class_get(actor=request.actor, public_id=public_id)
    session = session_get(actor=request.actor, item=item, pk=pk)
    error = None
    if request.method == "POST":
        present = request.POST.getlist("present")
        error = _attempt(lambda: attendance_record(actor=request.actor, session=session, present=present))
        if error is None:
            return _done(request, None, _("Attendance recorded."), "portal:care:classes-detail", item.public_id)
    enrolled, _waiting = class_roster(item)
    context = {
        "item": item,
        "session": session,
        "enrolled": enrolled,
        "present": session_present_ids(session),
        "error": error,
    }
    return render(request, "care/staff/classes/attendance.html", context)


# ================================================================ staff: figures and model sites


def _opening_chart(rows) -> Chart:
    shown = sorted(rows, key=lambda r: (r.sessions_held, r.path))[:30]
    return Chart(
        id="classes-opening",
        kind="hbars",
        title=_("Sessions held this year per community"),
        category_label=_("Community"),
        categories=[r.name for r in shown],
        series=[Series(_("Sessions held"), [r.sessions_held for r in shown])],
        note=_("The 30 communities with the fewest sessions") if len(rows) > 30 else "",
    )


@staff_page(CARE_VIEW, CARE_MANAGE, CARE_FIGURES)
def figures_page(request):
    today = timezone.localdate()
    asked = request.GET.get("year", "")
    # a year outside the plan's range (or not a number) shows this year
    year = int(asked) if asked.isdigit() and 2000 <= int(asked) <= 2100 else today.year
    rows = community_rows(actor=request.actor, year=year, under=request.GET.get("under", ""))
    opened = sum(1 for r in rows if r.opened)
    context = {"rows": rows, "year": year, "opened": opened, "chart": _opening_chart(rows)}
    return render(request, "care/staff/classes/figures.html", context)


class SiteForm(forms.Form):
    community = forms.ChoiceField(label=gettext_lazy("Community"))
    classroom = forms.ChoiceField(label=gettext_lazy("Classroom"), required=False)
    designated_on = forms.DateField(label=gettext_lazy("Designated on"), widget=DATE, required=False)
    document = forms.CharField(label=gettext_lazy("Document number"), max_length=100, required=False)

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        communities = community_paths(actor=actor)
        self.fields["community"].choices = communities
        rooms = [(str(f.public_id), f.name) for c, _n in communities[:50] for f in classroom_choices(actor, c)]
        self.fields["classroom"].choices = [("", _("— the community —")), *rooms]


@staff_page(CARE_VIEW, CARE_MANAGE, CARE_FIGURES)
def sites_page(request):
    actor = request.actor
    designates = may_manage(actor) and min(len(p) for p in actor.scope_paths) <= 6
    form = SiteForm(request.POST or None, actor=actor) if designates else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            model_site_designate(actor=actor, **form.cleaned_data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("The model site is designated."))
            return redirect("portal:care:classes-sites")
    return render(request, "care/staff/classes/sites.html", {"rows": model_site_list(actor=actor), "form": form})


staff_urls = [
    path("classes/", classes_page, name="classes-list"),
    path("classes/new/", class_new_page, name="classes-new"),
    path("classes/requests/", requests_page, name="classes-requests"),
    path("classes/requests/<str:public_id>/decline/", request_decline_page, name="classes-request-decline"),
    path("classes/lecturers/", lecturers_page, name="classes-lecturers"),
    path("classes/figures/", figures_page, name="classes-figures"),
    path("classes/model-sites/", sites_page, name="classes-sites"),
    path("classes/<str:public_id>/", class_page, name="classes-detail"),
    path("classes/<str:public_id>/sessions/<int:pk>/", attendance_page, name="classes-attendance"),
    path("classes/<str:public_id>/<slug:action>/", class_act_page, name="classes-act"),
]
resident_urls = [
    path("classes/", resident_home, name="classes-home"),
    path("classes/requests/<str:public_id>/vote/", resident_vote, name="classes-vote"),
    path("classes/<str:public_id>/enrol/", resident_enrol, name="classes-enrol"),
    path("classes/enrolments/<str:public_id>/cancel/", resident_cancel, name="classes-cancel"),
    path("classes/enrolments/<str:public_id>/rate/", resident_rate, name="classes-rate"),
]
provider_urls: list = []
