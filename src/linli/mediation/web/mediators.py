"""Safe community, stage mediators: pages (thin: parse, one service or selector, render).

The pool list (filters: unit, kind, active), a mediator's page (figures, trainings, the disputes
held as numbers and states, the phone read with a reason, the end form with its successor and
reason), the add and edit forms, the staffing page (red where the rule is missed, with a chart),
and the dispute kinds page (kept by a district or city holder)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.accounts.domain import MEDIATION_MANAGE, MEDIATION_VIEW, SAFETY_FIGURES
from linli.areas.selectors import unit_names, units_under
from linli.core.charts import Chart, Series, Target
from linli.core.errors import DomainError, not_found
from linli.core.forms import DateInput, add_domain_errors
from linli.core.web import staff_page
from linli.mediation.domain.disputes import DisputeLevel
from linli.mediation.domain.mediators import STREET_FULL_TIME_GOAL, MediatorKind, StaffingMark
from linli.mediation.selectors import mediators as sel
from linli.mediation.services import mediators as svc

PAGE_SIZE = 30
POOL_READERS = (MEDIATION_VIEW, MEDIATION_MANAGE)
DATE = DateInput()


def _kind_name(kind) -> str:
    """A dispute kind's name in the page's language (the code table keeps both)."""
    return kind.name_en if (get_language() or "").startswith("en") else kind.name_zh


def _kind_choices():
    return [(k.code, _kind_name(k)) for k in sel.kind_list(include_inactive=False)]


class MediatorForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of mediator"), choices=MediatorKind.choices)
    path = forms.ChoiceField(label=gettext_lazy("Unit served"), choices=())
    name = forms.CharField(label=gettext_lazy("Full name"), max_length=50)
    phone = forms.CharField(label=gettext_lazy("Phone (kept sealed)"), max_length=20, required=False)
    qualifications = forms.CharField(label=gettext_lazy("Qualifications"), max_length=200, required=False)
    specialty = forms.CharField(label=gettext_lazy("Specialty"), max_length=100, required=False)
    kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Dispute kinds handled"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None ticked: every kind."),
    )
    since = forms.DateField(label=gettext_lazy("Mediator since"), widget=DATE, required=False)
    username = forms.CharField(
        label=gettext_lazy("Sign-in account (username)"),
        max_length=150,
        required=False,
        help_text=gettext_lazy("An existing staff account gets a mediator posting at the unit; leave empty for none."),
    )
    new_account = forms.BooleanField(label=gettext_lazy("Create this account"), required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["path"].choices = list(units)
        self.fields["kinds"].choices = _kind_choices()


class EditForm(MediatorForm):
    """The add form without the unit, kind and account: a mediator who moves is ended and added."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("kind", "path", "since", "username", "new_account"):
            del self.fields[name]
        self.fields["phone"].help_text = _("Leave empty to keep the phone on file.")


class EndForm(forms.Form):
    successor = forms.ChoiceField(label=gettext_lazy("Who takes over the open disputes"), choices=(), required=False)
    reason = forms.CharField(label=gettext_lazy("Reason for ending"), max_length=200)
    confirm = forms.BooleanField(
        label=gettext_lazy("I confirm: the mediator leaves the pool and their mediator posting ends.")
    )

    def __init__(self, *args, successors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successor"].choices = [("", "—"), *((str(m.public_id), m.name) for m in successors)]


class TrainingForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("Date of the training"), widget=DATE)
    hours = forms.DecimalField(label=gettext_lazy("Hours"), min_value=0, max_digits=4, decimal_places=1)
    topic = forms.CharField(label=gettext_lazy("Topic"), max_length=100)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason for reading"), max_length=200)


class KindForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=24)
    name_zh = forms.CharField(label=gettext_lazy("Chinese name"), max_length=40)
    name_en = forms.CharField(label=gettext_lazy("English name"), max_length=80)
    level = forms.ChoiceField(label=gettext_lazy("Default level"), choices=DisputeLevel.choices)


class KindEditForm(KindForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["code"]


def _units(actor) -> list[tuple[str, str]]:
    """The units of the actor's scope a mediator may serve: their top units and, under them,
    the streets and communities."""
    found: dict[str, str] = unit_names(actor.scope_paths)
    for root in actor.scope_paths:
        kinds = ("district", "street", "community", "village")
        found |= {p: n for p, n, _ in units_under(under=root, kinds=kinds)}
    return sorted(found.items())


# ---------------------------------------------------------------- the pool


@staff_page(*POOL_READERS)
def pool(request):
    actor, today = request.actor, timezone.localdate()
    unit, kind, active = request.GET.get("unit", ""), request.GET.get("kind", ""), request.GET.get("active", "1")
    page = Paginator(sel.pool_query(actor=actor, unit=unit, kind=kind, active=active), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = list(page.object_list)
    figures = sel.pool_figures([m.pk for m in rows], today.year)
    names = unit_names({m.path for m in rows})
    lines = [(m, figures[m.pk], names.get(m.path, m.path)) for m in rows]
    context = {"page": page, "lines": lines, "unit": unit, "kind": kind, "active": active, "year": today.year}
    context |= {"kinds": MediatorKind.choices, "may_manage": actor.has_perm(MEDIATION_MANAGE)}
    context["units"] = _units(actor)
    context["may_keep_kinds"] = svc.kinds_may_keep(actor)
    return render(request, "mediation/staff/mediators/pool.html", context)


@staff_page(MEDIATION_MANAGE)
def add(request):
    actor, units = request.actor, _units(request.actor)
    form = MediatorForm(request.POST or None, units=units, initial={"since": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            added = svc.mediator_add(actor=actor, data=svc.MediatorInput(**form.cleaned_data))
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            if added.password:  # shown once, on this answer only
                context = {"mediator": added.mediator, "password": added.password}
                return render(request, "mediation/staff/mediators/added.html", context)
            messages.success(request, _("The mediator is added to the pool."))
            return redirect("portal:mediation:mediators-detail", added.mediator.public_id)
    status = 422 if form.errors else 200
    return render(request, "mediation/staff/mediators/form.html", {"form": form, "mediator": None}, status=status)


def _detail(request, mediator, forms_given=None, revealed="", status=200):
    actor, today = request.actor, timezone.localdate()
    may_manage = sel.mediator_may_manage(actor, mediator)
    given = forms_given or {}
    successors = sel.successor_choices(actor=actor, mediator=mediator) if may_manage and not mediator.until else []
    context = {
        "m": mediator,
        "unit_name": unit_names([mediator.path]).get(mediator.path, mediator.path),
        "f": sel.pool_figures([mediator.pk], today.year)[mediator.pk],
        "year": today.year,
        "trainings": sel.mediator_trainings(mediator),
        "disputes": sel.mediator_disputes(mediator),
        "kind_names": _kind_names(mediator.kinds),
        "may_manage": may_manage,
        "training_form": given.get("training") or TrainingForm(initial={"on": today}),
        "end_form": given.get("end") or EndForm(successors=successors),
        "reveal_form": given.get("reveal") or ReasonForm(),
        "revealed": revealed,
    }
    return render(request, "mediation/staff/mediators/detail.html", context, status=status)


def _kind_names(codes: list[str]) -> list[str]:
    known = {k.code: _kind_name(k) for k in sel.kind_list()}
    return [known.get(code, code) for code in codes]


@staff_page(*POOL_READERS)
def detail(request, public_id):
    return _detail(request, sel.mediator_get(actor=request.actor, public_id=public_id))


@staff_page(MEDIATION_MANAGE)
def edit(request, public_id):
    mediator = sel.mediator_get(actor=request.actor, public_id=public_id)
    if not sel.mediator_may_manage(request.actor, mediator) or mediator.until:
        raise not_found("调解员", "Mediator")
    initial = {"name": mediator.name, "qualifications": mediator.qualifications, "specialty": mediator.specialty}
    form = EditForm(request.POST or None, initial=initial | {"kinds": mediator.kinds})
    if request.method == "POST" and form.is_valid():
        try:
            svc.mediator_edit(actor=request.actor, mediator=mediator, data=svc.MediatorInput(**form.cleaned_data))
        except DomainError as error:
            if error.status == 404:
                raise
            add_domain_errors(form, error)
        else:
            messages.success(request, _("The mediator's details are saved."))
            return redirect("portal:mediation:mediators-detail", mediator.public_id)
    status = 422 if form.errors else 200
    return render(request, "mediation/staff/mediators/form.html", {"form": form, "mediator": mediator}, status=status)


def _act(request, public_id, key, form, do, done):
    """One form of the mediator's page: the service's field errors stay beside the inputs."""
    mediator = sel.mediator_get(actor=request.actor, public_id=public_id)
    if form.is_valid():
        try:
            result = do(mediator, form.cleaned_data)
        except DomainError as error:
            if error.status == 404:
                raise
            add_domain_errors(form, error)
        else:
            if key == "reveal":
                return _detail(request, mediator, revealed=result)
            messages.success(request, done(result))
            return redirect("portal:mediation:mediators-detail", mediator.public_id)
    return _detail(request, mediator, {key: form}, status=422)


@staff_page(MEDIATION_MANAGE)
@require_POST
def end(request, public_id):
    mediator = sel.mediator_get(actor=request.actor, public_id=public_id)
    form = EndForm(request.POST, successors=sel.successor_choices(actor=request.actor, mediator=mediator))

    def do(m, data):
        return svc.mediator_end(actor=request.actor, mediator=m, reason=data["reason"], successor_id=data["successor"])

    def done(moved):
        if moved:
            return _("The mediator has left the pool; %(n)s open disputes moved to the successor.") % {"n": moved}
        return _("The mediator has left the pool.")

    return _act(request, public_id, "end", form, do, done)


@staff_page(MEDIATION_MANAGE)
@require_POST
def training(request, public_id):
    def do(m, data):
        return svc.training_record(actor=request.actor, mediator=m, **data)

    return _act(
        request, public_id, "training", TrainingForm(request.POST), do, lambda _r: _("The training is recorded.")
    )


@staff_page(MEDIATION_MANAGE)
@require_POST
def reveal(request, public_id):
    def do(m, data):
        return svc.mediator_phone_reveal(actor=request.actor, mediator=m, reason=data["reason"])

    return _act(request, public_id, "reveal", ReasonForm(request.POST), do, str)


# ---------------------------------------------------------------- staffing


def _staffing_chart(report) -> Chart:
    missing: dict[str, int] = {}
    for line in report.communities:
        street = line.path[:9]
        missing[street] = missing.get(street, 0) + (1 if line.mark == StaffingMark.RED else 0)
    return Chart(
        id="mediation-staffing",
        kind="hbars",
        title=_("Mediators per street"),
        category_label=_("Street"),
        categories=[s.name for s in report.streets],
        series=[
            Series(_("Full-time mediators"), [s.count for s in report.streets]),
            Series(_("Communities without a committee mediator"), [missing.get(s.path, 0) for s in report.streets]),
        ],
        targets=[Target(_("Goal: full-time mediators per street"), STREET_FULL_TIME_GOAL)],
    )


@staff_page(MEDIATION_VIEW, SAFETY_FIGURES)
def staffing(request):
    report = sel.staffing_check(actor=request.actor, path=request.GET.get("path", ""))
    context = {"r": report, "chart": _staffing_chart(report) if report.streets else None}
    context["may_keep_kinds"] = svc.kinds_may_keep(request.actor)
    return render(request, "mediation/staff/mediators/staffing.html", context)


# ---------------------------------------------------------------- dispute kinds


def _kinds_keeper(request) -> None:
    if not svc.kinds_may_keep(request.actor):
        raise not_found("页面", "Page")


@staff_page(MEDIATION_MANAGE)
def kinds(request):
    _kinds_keeper(request)
    form = KindForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.kind_add(actor=request.actor, **form.cleaned_data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("The dispute kind is added."))
            return redirect("portal:mediation:mediators-kinds")
    context = {"kinds": sel.kind_list(), "form": form}
    return render(request, "mediation/staff/mediators/kinds.html", context, status=422 if form.errors else 200)


@staff_page(MEDIATION_MANAGE)
def kind_edit(request, code):
    _kinds_keeper(request)
    kind = sel.kind_get(code=code)
    action = request.POST.get("action", "edit")
    initial = {"name_zh": kind.name_zh, "name_en": kind.name_en, "level": kind.level}
    form = KindEditForm(request.POST if action == "edit" else None, initial=initial)
    error_text = ""
    if request.method == "POST":
        try:
            if action == "edit":
                if form.is_valid():
                    svc.kind_edit(actor=request.actor, kind=kind, **form.cleaned_data)
            elif action == "deactivate" and request.POST.get("confirm") != "1":
                error_text = _("Tick the confirmation to deactivate the kind.")
            else:
                svc.kind_active_set(
                    actor=request.actor, kind=kind, active=action == "activate", reason=request.POST.get("reason", "")
                )
        except DomainError as error:
            if action == "edit":
                add_domain_errors(form, error)
            error_text = str(error.fields[0].message if error.fields else error.message)
        if not form.errors and not error_text:
            messages.success(request, _("The dispute kind is saved."))
            return redirect("portal:mediation:mediators-kinds")
    context = {"kind": kind, "form": form, "error_text": error_text}
    status = 422 if form.errors or error_text else 200
    return render(request, "mediation/staff/mediators/kind.html", context, status=status)


staff_urls = [
    path("mediators/", pool, name="mediators-list"),
    path("mediators/add/", add, name="mediators-add"),
    path("mediators/staffing/", staffing, name="mediators-staffing"),
    path("mediators/kinds/", kinds, name="mediators-kinds"),
    path("mediators/kinds/<slug:code>/", kind_edit, name="mediators-kind"),
    path("mediators/<uuid:public_id>/", detail, name="mediators-detail"),
    path("mediators/<uuid:public_id>/edit/", edit, name="mediators-edit"),
    path("mediators/<uuid:public_id>/end/", end, name="mediators-end"),
    path("mediators/<uuid:public_id>/training/", training, name="mediators-training"),
    path("mediators/<uuid:public_id>/reveal/", reveal, name="mediators-reveal"),
]
resident_urls: list = []
