"""Pages of stage decisions (thin: parse, one service or selector, render).

The consultation pages include this stage's panels (`staff_panel`, `resident_panel` and the two
`_panel.html`); the same panels stand on their own pages here, which are also where the forms come
back with their errors. Staff: publish the decision (prefilled with the result in words), tasks with
progress forms, done, complete; the implementation list across consultations (overdue in red).
Residents: the decision, the tasks with progress bars, the evaluation (five levels) once done, the
summary. The public page shows the decision, tasks and summary without any resident's name."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.accounts.domain import CONSULT_MANAGE, CONSULT_TAKE_PART, CONSULT_VIEW
from linli.consultation.domain.consultations import ConsultationState
from linli.consultation.domain.decisions import PERCENT_MAX, RATING_WORDS, TaskState, evaluation_open
from linli.consultation.selectors import decisions as sel
from linli.consultation.selectors.voting import resident_consultation_get, voting_consultation_get
from linli.consultation.services import decisions as svc
from linli.core.errors import DomainError
from linli.core.forms import DateInput, add_domain_errors
from linli.core.web import any_permission, resident_page, staff_page

NAV_LINKS: list = [
    (
        "",
        any_permission(CONSULT_VIEW, CONSULT_MANAGE),
        "portal:consultation:decisions-implementation",
        gettext_lazy("Implementation of decisions"),
    )
]
TASK_STATES = (ConsultationState.DECIDED, ConsultationState.IMPLEMENTING)


class PublishForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("The decision"), widget=forms.Textarea(attrs={"rows": 5}))
    decided_on = forms.DateField(label=gettext_lazy("Decided on"), widget=DateInput(), required=False)
    confirm = forms.BooleanField(label=gettext_lazy("I confirm: the decision goes on the public board"))


class TaskForm(forms.Form):
    what = forms.CharField(label=gettext_lazy("Task"), max_length=200)
    who = forms.CharField(label=gettext_lazy("Responsible"), max_length=100)
    due_on = forms.DateField(label=gettext_lazy("Due on"), widget=DateInput())


class ProgressForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Progress made"), max_length=500)
    percent = forms.IntegerField(label=gettext_lazy("Percent done"), min_value=0, max_value=PERCENT_MAX)


class DoneForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("How it was done"), max_length=500, required=False)
    confirm = forms.BooleanField(label=gettext_lazy("I confirm: this task is done"))


class CompleteForm(forms.Form):
    confirm = forms.BooleanField(label=gettext_lazy("I confirm: every task is done; complete the consultation"))


class EvaluateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=gettext_lazy("How satisfied are you with the outcome?"),
        coerce=int,
        choices=list(RATING_WORDS.items()),
        widget=forms.RadioSelect(attrs={"class": "rating-choice"}),
    )
    comment = forms.CharField(label=gettext_lazy("Your comment on how it was done"), max_length=300, required=False)


# ---- what both panels show ------------------------------------------------------------------------


def _summary(decision) -> dict:
    summary = sel.evaluation_summary(decision)
    rows = [{"words": RATING_WORDS[r], "count": n} for r, n in summary.by_rating.items()]
    return {"count": summary.count, "average": summary.average, "rows": rows}


def _shared(decision) -> dict:
    today = timezone.localdate()
    tasks = sel.task_rows(decision, today)
    last = sel.last_done_on(decision)
    return {"d": decision, "tasks": tasks, "summary": _summary(decision), "evaluating": evaluation_open(last, today)}


def staff_panel(request, consultation, given: dict | None = None) -> dict:
    """This stage's part of the staff consultation page (`consultation/staff/decisions/_panel.html`,
    context key `decisions_panel`)."""
    given = given or {}
    manages = request.actor.has_perm(CONSULT_MANAGE)
    decision = sel.decision_of(consultation)
    part = {"c": consultation, "manages": manages, "back": given.get("back") or request.path, "given": given}
    if decision is None:
        if manages and sel.decidable(consultation):
            part["publish_form"] = given.get("publish") or PublishForm(
                initial={"text": sel.outcome_words(consultation)}, auto_id="decisions-publish-%s"
            )
        return part
    part |= _shared(decision)
    if manages and consultation.state in TASK_STATES:
        part["task_form"] = given.get("task") or TaskForm(auto_id="decisions-task-%s")
        part["progress_form"] = ProgressForm(auto_id=False)
        part["done_form"] = DoneForm(auto_id=False)
        open_tasks = any(t.state == TaskState.OPEN for t in part["tasks"])
        if consultation.state == ConsultationState.IMPLEMENTING and not open_tasks:
            part["complete_form"] = given.get("complete") or CompleteForm(auto_id="decisions-complete-%s")
    return part


def resident_panel(request, consultation, given: dict | None = None) -> dict:
    """This stage's part of the resident's consultation page
    (`consultation/resident/decisions/_panel.html`, context key `decisions_panel`)."""
    given = given or {}
    decision = sel.decision_of(consultation)
    part = {"c": consultation, "back": given.get("back") or request.path}
    if decision is None:
        return part
    part |= _shared(decision)
    mine = sel.my_evaluation(request.actor, decision)
    part["mine"] = RATING_WORDS.get(mine.rating) if mine else None
    if part["evaluating"] and mine is None:
        part["evaluate_form"] = given.get("evaluate") or EvaluateForm(auto_id="decisions-evaluate-%s")
    return part


# ---- staff pages ---------------------------------------------------------------------------------


def _staff_page(request, consultation, given=None, status=200):
    context = {"consultation": consultation, "decisions_panel": staff_panel(request, consultation, given)}
    return render(request, "consultation/staff/decisions/page.html", context, status=status)


@staff_page(CONSULT_VIEW, CONSULT_MANAGE)
def decisions_detail(request, number: str):
    return _staff_page(request, voting_consultation_get(actor=request.actor, number=number))


@staff_page(CONSULT_VIEW, CONSULT_MANAGE)
def decisions_implementation(request):
    tasks = list(sel.implementation_tasks(request.actor, timezone.localdate()))
    return render(request, "consultation/staff/decisions/implementation.html", {"tasks": tasks})


def _back(request, fallback: str, prefix: str) -> str:
    back = request.POST.get("back", "")
    return back if back.startswith(prefix) and "//" not in back else fallback


def _publish(request, consultation, data):
    svc.decision_publish(
        actor=request.actor, consultation=consultation, text=data["text"], decided_on=data["decided_on"]
    )
    return _("The decision is published on the public board.")


def _task(request, consultation, data):
    decision = sel.staff_decision_get(actor=request.actor, number=consultation.number)
    svc.task_add(actor=request.actor, decision=decision, what=data["what"], who=data["who"], due_on=data["due_on"])
    return _("The task is added.")


def _complete(request, consultation, data):
    svc.consultation_complete(actor=request.actor, consultation=consultation)
    return _("The consultation is completed.")


ACTIONS = {"publish": (PublishForm, _publish), "task": (TaskForm, _task), "complete": (CompleteForm, _complete)}


@staff_page(CONSULT_MANAGE)
def decisions_post(request, number: str, action: str):
    consultation = voting_consultation_get(actor=request.actor, number=number)
    if request.method != "POST" or action not in ACTIONS:
        return redirect("portal:consultation:decisions-detail", number)
    form_class, save = ACTIONS[action]
    form = form_class(request.POST, auto_id=f"decisions-{action}-%s")
    if form.is_valid():
        try:
            messages.success(request, save(request, consultation, form.cleaned_data))
            fallback = reverse("portal:consultation:decisions-detail", args=[number])
            return redirect(_back(request, fallback, "/staff/consultation/") + "#decisions")
        except DomainError as error:
            add_domain_errors(form, error)
    return _staff_page(request, consultation, {action: form, "back": request.POST.get("back", "")}, status=422)


@staff_page(CONSULT_MANAGE)
def decisions_task_post(request, public_id, action: str):
    task = sel.staff_task_get(actor=request.actor, public_id=public_id)
    consultation = task.decision.consultation
    form = (ProgressForm if action == "progress" else DoneForm)(request.POST or None, auto_id=False)
    if request.method == "POST" and action in ("progress", "done") and form.is_valid():
        try:
            data = form.cleaned_data
            if action == "progress":
                svc.task_progress(actor=request.actor, task=task, note=data["note"], percent=data["percent"])
            else:
                svc.task_done(actor=request.actor, task=task, note=data["note"])
            messages.success(request, _("The progress is recorded."))
            fallback = reverse("portal:consultation:decisions-detail", args=[consultation.number])
            return redirect(_back(request, fallback, "/staff/consultation/") + "#decisions")
        except DomainError as error:
            add_domain_errors(form, error)
    given = {"task_error": {"task": task.pk, "form": form}, "back": request.POST.get("back", "")}
    return _staff_page(request, consultation, given, status=422)


# ---- resident pages -----------------------------------------------------------------------------


def _resident_page(request, consultation, given=None, status=200):
    context = {"consultation": consultation, "decisions_panel": resident_panel(request, consultation, given)}
    return render(request, "consultation/resident/decisions/page.html", context, status=status)


@resident_page(CONSULT_TAKE_PART)
def decisions_mine(request):
    return render(
        request, "consultation/resident/decisions/mine.html", {"rows": sel.community_decisions(request.actor)}
    )


@resident_page(CONSULT_TAKE_PART)
def decisions_resident_detail(request, number: str):
    return _resident_page(request, resident_consultation_get(actor=request.actor, number=number))


@resident_page(CONSULT_TAKE_PART)
def decisions_evaluate(request, number: str):
    decision = sel.resident_decision_get(actor=request.actor, number=number)
    form = EvaluateForm(request.POST or None, auto_id="decisions-evaluate-%s")
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            svc.decision_evaluate(
                actor=request.actor, decision=decision, rating=data["rating"], comment=data["comment"]
            )
            messages.success(request, _("Thank you for your evaluation."))
            fallback = reverse("portal:consultation-resident:decisions-detail", args=[number])
            return redirect(_back(request, fallback, "/my/consultation/") + "#decisions")
        except DomainError as error:
            add_domain_errors(form, error)
    given = {"evaluate": form, "back": request.POST.get("back", "")}
    return _resident_page(request, decision.consultation, given, status=422 if request.method == "POST" else 200)


# ---- the public page ----------------------------------------------------------------------------


def decisions_public(request, public_id):
    decision = sel.public_decision_get(public_id)
    part = _shared(decision)
    return render(request, "consultation/public/decisions/decision.html", {"p": part, "d": decision})


staff_urls: list = [
    path("implementation/", decisions_implementation, name="decisions-implementation"),
    path("decisions/<str:number>/", decisions_detail, name="decisions-detail"),
    path("decisions/tasks/<uuid:public_id>/<str:action>/", decisions_task_post, name="decisions-task-post"),
    path("decisions/<str:number>/<str:action>/", decisions_post, name="decisions-post"),
]
resident_urls: list = [
    path("decisions/", decisions_mine, name="decisions-mine"),
    path("decisions/<str:number>/", decisions_resident_detail, name="decisions-detail"),
    path("decisions/<str:number>/evaluate/", decisions_evaluate, name="decisions-evaluate"),
]
public_urls: list = [path("decisions/<uuid:public_id>/", decisions_public, name="decisions-public")]
