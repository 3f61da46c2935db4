"""Care services, stage children: staff pages (thin: parse, one service or selector, render).

The lists with their red flags, a child's page (guardian, care plan, visits; the visit form works
on a phone), coverage, directors, visit rules, children's homes and protection stations with
their logs, the harm report form and its receipt, and the restricted cases (CARE_PROTECT only,
every reading with a reason). The route lists at the end are joined in `web/urls.py`."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from linli.accounts.domain import CARE_CHILDREN, CARE_FIGURES, CARE_MANAGE, CARE_PROTECT
from linli.areas.selectors import community_paths
from linli.care.domain.children import (
    CHILD_KINDS,
    COVERAGE_GOAL,
    ActivityKind,
    ChildVisitStatus,
    GuardianRelation,
    HarmActionKind,
    Wellbeing,
)
from linli.care.selectors import children as sel
from linli.care.services import children as svc
from linli.core.charts import PERCENT, Chart, Series, Target
from linli.core.errors import DomainError
from linli.core.forms import DateInput, add_domain_errors
from linli.core.web import staff_page
from linli.residents.domain import CareKind
from linli.residents.selectors import care_people_search

PAGE_SIZE = 30
# ISO always: a date input shows nothing for the zh-hans "2026/12/07" and the day would post empty
DATE = DateInput()
YES_NO = [("1", gettext_lazy("Yes")), ("0", gettext_lazy("No"))]


class GuardianForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Guardian's name"), max_length=50, required=False)
    relation = forms.ChoiceField(label=gettext_lazy("Relation to the child"), choices=GuardianRelation.choices)
    phone = forms.CharField(label=gettext_lazy("Guardian's phone (kept sealed)"), max_length=20, required=False)


class PlanForm(forms.Form):
    plan = forms.CharField(
        label=gettext_lazy("Care plan (kept sealed)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=gettext_lazy("Day of the visit"), widget=DATE, required=False)
    saw_child = forms.TypedChoiceField(
        label=gettext_lazy("Saw the child"), choices=YES_NO, coerce=lambda v: v == "1", widget=forms.RadioSelect
    )
    guardian_present = forms.TypedChoiceField(
        label=gettext_lazy("Guardian present"), choices=YES_NO, coerce=lambda v: v == "1", widget=forms.RadioSelect
    )
    school = forms.ChoiceField(label=gettext_lazy("School"), choices=Wellbeing.choices, widget=forms.RadioSelect)
    health = forms.ChoiceField(label=gettext_lazy("Health"), choices=Wellbeing.choices, widget=forms.RadioSelect)
    safety = forms.ChoiceField(label=gettext_lazy("Safety"), choices=Wellbeing.choices, widget=forms.RadioSelect)
    needs = forms.CharField(label=gettext_lazy("Needs found"), max_length=300, required=False)
    follow_up = forms.CharField(label=gettext_lazy("Follow-up"), max_length=300, required=False)
    notes = forms.CharField(
        label=gettext_lazy("Notes (kept sealed)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason for reading"), max_length=300)


class ReportForm(forms.Form):
    seen = forms.CharField(
        label=gettext_lazy("What you saw or heard"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )


class ActionForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Action"), choices=HarmActionKind.choices)
    note = forms.CharField(label=gettext_lazy("Action taken"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class CloseForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason for closing"), widget=forms.Textarea(attrs={"rows": 2}))


class AppointForm(forms.Form):
    path = forms.CharField(widget=forms.HiddenInput)
    role = forms.CharField(widget=forms.HiddenInput)
    username = forms.CharField(label=gettext_lazy("Staff account"), max_length=150, required=False)
    starts_on = forms.DateField(label=gettext_lazy("From"), widget=DATE, required=False)


class OpeningForm(forms.Form):
    opened_on = forms.DateField(label=gettext_lazy("Day"), widget=DATE, required=False)
    hours = forms.CharField(label=gettext_lazy("Hours open"), max_length=5, required=False)
    staff = forms.CharField(label=gettext_lazy("Staff on duty"), max_length=100, required=False)


class ActivityForm(forms.Form):
    held_on = forms.DateField(label=gettext_lazy("Day"), widget=DATE, required=False)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=100, required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ActivityKind.choices)
    children_count = forms.IntegerField(label=gettext_lazy("Children taking part"), min_value=0, required=False)
    photo = forms.ImageField(label=gettext_lazy("Photo (optional)"), required=False)


def _kind_label(kind: str) -> str:
    return CareKind(kind).label


# ---- the lists and a child -----------------------------------------------------------------------


@staff_page(CARE_CHILDREN)
def children_list(request):
    actor, today = request.actor, timezone.localdate()
    under, status = request.GET.get("under", ""), request.GET.get("status", "")
    flagged, q = request.GET.get("flagged") == "1", request.GET.get("q", "").strip()[:20]
    rows = sel.children_rows(actor=actor, today=today, under=under, status=status, flagged=flagged, q=q)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    statuses = [("overdue", _("Overdue or never visited")), *ChildVisitStatus.choices[2:]]
    context = {"page": page, "total": len(rows), "under": under, "status": status, "flagged": flagged, "q": q}
    context |= {"communities": community_paths(actor=actor), "statuses": statuses, "today": today}
    return render(request, "care/staff/children/list.html", context)


def _child_page(request, child_ref, forms_given=None, status=200, revealed=None):
    actor = request.actor
    detail = sel.child_get(actor=actor, child_ref=child_ref, today=timezone.localdate())
    care = detail.row.care
    given = forms_given or {}
    initial = {"name": care.guardian_name, "relation": care.guardian_relation} if care else {}
    context = {
        "d": detail,
        "r": detail.row,
        "guardian_form": given.get("guardian") or GuardianForm(initial=initial),
        "plan_form": given.get("plan") or PlanForm(),
        "visit_form": given.get("visit") or VisitForm(initial={"visited_on": timezone.localdate()}),
        "reveal_form": given.get("reveal") or ReasonForm(),
        "revealed": revealed or {},
        "age": detail.row.person.age_on(timezone.localdate()),
    }
    return render(request, "care/staff/children/child.html", context, status=status)


@staff_page(CARE_CHILDREN)
def child(request, public_id):
    return _child_page(request, public_id)


def _child_post(request, public_id, form_class, key, save, done: str):
    """One form of the child's page: the service's field errors stay beside the inputs."""
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("portal:care:children-child", public_id)
    return _child_page(request, public_id, {key: form}, status=422)


@staff_page(CARE_CHILDREN)
@require_POST
def child_visit(request, public_id):
    def save(data):
        svc.child_visit_record(actor=request.actor, child_ref=public_id, data=svc.VisitInput(**data))

    return _child_post(request, public_id, VisitForm, "visit", save, _("The visit is recorded."))


@staff_page(CARE_CHILDREN)
@require_POST
def child_guardian(request, public_id):
    def save(data):
        svc.child_guardian_set(actor=request.actor, child_ref=public_id, data=svc.GuardianInput(**data))

    return _child_post(request, public_id, GuardianForm, "guardian", save, _("The guardian is recorded."))


@staff_page(CARE_CHILDREN)
@require_POST
def child_plan(request, public_id):
    def save(data):
        svc.child_plan_set(actor=request.actor, child_ref=public_id, plan=data["plan"])

    return _child_post(request, public_id, PlanForm, "plan", save, _("The care plan is saved."))


@staff_page(CARE_CHILDREN)
@require_POST
def child_reveal(request, public_id):
    what, form = request.POST.get("what", ""), ReasonForm(request.POST)
    try:
        text = svc.child_sealed_reveal(
            actor=request.actor, child_ref=public_id, what=what, reason=request.POST.get("reason", "")
        )
    except DomainError as error:
        if error.status == 404:
            raise
        add_domain_errors(form, error)
        return _child_page(request, public_id, {"reveal": form}, status=422)
    return _child_page(request, public_id, revealed={what: text})


# ---- harm reports --------------------------------------------------------------------------------


@staff_page(CARE_CHILDREN)
def report(request):
    actor, q = request.actor, request.GET.get("q", "").strip()[:40]
    ref = request.GET.get("child") or request.POST.get("child", "")
    chosen = sel.child_for_report(actor=actor, child_ref=ref) if ref else None
    form = ReportForm(request.POST or None)
    if chosen and request.method == "POST" and form.is_valid():
        try:
            filed = svc.harm_report_file(actor=actor, child_ref=chosen.public_id, seen=form.cleaned_data["seen"])
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            return redirect("portal:care:children-receipt", filed.receipt)
    people = care_people_search(actor=actor, q=q) if q and not chosen else []
    context = {"form": form, "chosen": chosen, "q": q, "people": people, "receipts": sel.my_receipts(actor=actor)}
    return render(request, "care/staff/children/report.html", context, status=422 if form.errors else 200)


@staff_page(CARE_CHILDREN)
def receipt(request, number):
    found = sel.receipt_get(actor=request.actor, receipt=number)
    return render(request, "care/staff/children/receipt.html", {"receipt": found})


@staff_page(CARE_PROTECT)
def harm_cases(request):
    state = request.GET.get("state", "open")
    page = Paginator(sel.harm_case_list(actor=request.actor, state=state), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "care/staff/children/harm_cases.html", {"page": page, "state": state})


def _case_page(request, public_id, reason: str, forms_given=None, status=200, read=False):
    actor = request.actor
    given = forms_given or {}
    view = svc.harm_case_open(actor=actor, public_id=public_id, reason=reason) if read or reason else None
    case = view.case if view else sel.harm_case_get(actor=actor, public_id=public_id)
    context = {"case": case, "view": view, "reason": reason, "reason_form": given.get("reason") or ReasonForm()}
    context |= {"action_form": given.get("action") or ActionForm(), "close_form": given.get("close") or CloseForm()}
    return render(request, "care/staff/children/harm_case.html", context, status=status)


@staff_page(CARE_PROTECT)
def harm_case(request, public_id):
    """GET: what the case is (number, state, dates) and the reason form; POST: read it."""
    if request.method != "POST":
        return _case_page(request, public_id, "")
    form = ReasonForm(request.POST)
    try:
        return _case_page(request, public_id, request.POST.get("reason", ""), read=True)
    except DomainError as error:
        if error.status == 404:
            raise
        add_domain_errors(form, error)
        return _case_page(request, public_id, "", {"reason": form}, status=422)


@staff_page(CARE_PROTECT)
@require_POST
def harm_act(request, public_id):
    form, close = ActionForm(request.POST), request.POST.get("close") == "1"
    form = CloseForm(request.POST) if close else form
    reason = request.POST.get("read_reason", "")
    try:
        if close:
            svc.harm_case_close(actor=request.actor, public_id=public_id, reason=request.POST.get("reason", ""))
        else:
            svc.harm_action_record(
                actor=request.actor,
                public_id=public_id,
                kind=request.POST.get("kind", ""),
                note=request.POST.get("note", ""),
            )
    except DomainError as error:
        if error.status == 404:
            raise
        add_domain_errors(form, error)
        return _case_page(request, public_id, reason, {"close" if close else "action": form}, status=422)
    messages.success(request, _("The case is closed.") if close else _("The action is recorded."))
    return _case_page(request, public_id, reason)


# ---- figures, directors, rules, facilities ------------------------------------------------------


def _coverage_chart(rows) -> Chart:
    return Chart(
        id="children-coverage",
        kind="hbars",
        title=_("Children visited within their interval"),
        category_label=_("Unit"),
        categories=[r.name for r in rows],
        series=[Series(_("Coverage"), [r.rate for r in rows], unit=PERCENT)],
        targets=[Target(_("Goal"), COVERAGE_GOAL)],
    )


@staff_page(CARE_CHILDREN, CARE_FIGURES)
def coverage(request):
    found = sel.coverage(actor=request.actor, today=timezone.localdate(), under=request.GET.get("under", ""))
    rows = found.streets if len(found.streets) > 1 else found.communities
    context = {"c": found, "chart": _coverage_chart(rows[:40]), "rate": round(found.rate * 100)}
    return render(request, "care/staff/children/coverage.html", context)


@staff_page(CARE_CHILDREN, CARE_MANAGE)
def directors(request):
    actor = request.actor
    form = AppointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.director_appoint(actor=actor, **form.cleaned_data)
        except DomainError as error:
            if error.status == 404:
                raise
            add_domain_errors(form, error)
        else:
            messages.success(request, _("The appointment is recorded."))
            return redirect("portal:care:children-directors")
    communities, streets = sel.directors_page(actor=actor)
    context = {"communities": communities, "streets": streets, "form": form}
    context["appointable"] = {u.path for u in communities + streets if sel.may_appoint(actor, u.path)}
    return render(request, "care/staff/children/directors.html", context, status=422 if form.errors else 200)


@staff_page(CARE_CHILDREN, CARE_MANAGE)
@require_POST
def director_end(request, public_id):
    try:
        svc.director_end(actor=request.actor, public_id=public_id, reason=request.POST.get("reason", ""))
    except DomainError as error:
        if error.status == 404:
            raise
        messages.error(request, str(error.fields[0].message if error.fields else error.message))
    return redirect("portal:care:children-directors")


@staff_page(CARE_CHILDREN)
def rules(request):
    actor, errors = request.actor, {}
    if request.method == "POST":
        for kind in CHILD_KINDS:
            try:
                svc.visit_rule_set(actor=actor, kind=kind, interval_days=request.POST.get(kind, ""))
            except DomainError as error:
                errors[kind] = str(error.fields[0].message if error.fields else error.message)
        if not errors:
            messages.success(request, _("The visit intervals are saved."))
            return redirect("portal:care:children-rules")
    intervals = sel.visit_intervals()
    lines = [
        (kind, _kind_label(kind), request.POST.get(kind) or intervals[kind], errors.get(kind)) for kind in CHILD_KINDS
    ]
    context = {"lines": lines, "may_edit": sel.may_edit_rules(actor)}
    return render(request, "care/staff/children/rules.html", context, status=422 if errors else 200)


@staff_page(CARE_CHILDREN, CARE_FIGURES)
def facilities(request):
    actor = request.actor
    context = {"facilities": sel.children_facilities(actor=actor), "f": sel.facility_figures(actor=actor)}
    return render(request, "care/staff/children/facilities.html", context)


@staff_page(CARE_CHILDREN)
def facility(request, public_id):
    actor = request.actor
    found = sel.children_facility_get(actor=actor, public_id=public_id)
    opening, activity = OpeningForm(), ActivityForm()
    if request.method == "POST":
        which = request.POST.get("log")
        form = OpeningForm(request.POST) if which == "opening" else ActivityForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                if which == "opening":
                    svc.facility_opening_record(actor=actor, facility_ref=found.public_id, **form.cleaned_data)
                else:
                    svc.facility_activity_record(
                        actor=actor, facility_ref=found.public_id, data=svc.ActivityInput(**form.cleaned_data)
                    )
            except DomainError as error:
                add_domain_errors(form, error)
            else:
                messages.success(request, _("Recorded."))
                return redirect("portal:care:children-facility", found.public_id)
        opening, activity = (form, activity) if which == "opening" else (opening, form)
    openings, activities = sel.facility_logs(facility=found)
    context = {"facility": found, "openings": openings, "activities": activities}
    context |= {"opening_form": opening, "activity_form": activity}
    status = 422 if opening.errors or activity.errors else 200
    return render(request, "care/staff/children/facility.html", context, status=status)


staff_urls = [
    path("children/", children_list, name="children-list"),
    path("children/coverage/", coverage, name="children-coverage"),
    path("children/directors/", directors, name="children-directors"),
    path("children/directors/<uuid:public_id>/end/", director_end, name="children-director-end"),
    path("children/rules/", rules, name="children-rules"),
    path("children/facilities/", facilities, name="children-facilities"),
    path("children/facilities/<uuid:public_id>/", facility, name="children-facility"),
    path("children/report/", report, name="children-report"),
    path("children/receipt/<str:number>/", receipt, name="children-receipt"),
    path("children/harm/", harm_cases, name="children-harm-cases"),
    path("children/harm/<uuid:public_id>/", harm_case, name="children-harm-case"),
    path("children/harm/<uuid:public_id>/act/", harm_act, name="children-harm-act"),
    path("children/<uuid:public_id>/", child, name="children-child"),
    path("children/<uuid:public_id>/visit/", child_visit, name="children-visit"),
    path("children/<uuid:public_id>/guardian/", child_guardian, name="children-guardian"),
    path("children/<uuid:public_id>/plan/", child_plan, name="children-plan"),
    path("children/<uuid:public_id>/reveal/", child_reveal, name="children-reveal"),
]
resident_urls: list = []
provider_urls: list = []
