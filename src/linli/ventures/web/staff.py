"""Staff pages of venture projects: calls (list, new, page with the ranking and budget used, steps),
applications (form, page, submit, withdraw, review, decision), projects (milestones, spending,
contract, final evaluation), an organisation's own page and the figures. Each view: actor → form
→ one service or selector → page; outside the scope an object is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.accounts.domain import VENTURES_APPLY, VENTURES_MANAGE, VENTURES_REVIEW
from linli.core.errors import DomainError
from linli.core.forms import add_domain_errors
from linli.core.web import staff_page
from linli.ventures.domain import ApplicationState, CallState, MilestoneState, ProjectState
from linli.ventures.selectors import (
    application_files,
    application_get,
    application_list,
    application_reviews,
    budget_granted,
    call_actions,
    call_get,
    call_ranking,
    call_rows,
    call_timeline,
    figures,
    file_get,
    is_own_application,
    is_own_project,
    is_panel_member,
    may_manage,
    may_manage_project,
    milestones_due,
    my_review,
    org_choices,
    project_get,
    project_list,
    project_milestones,
    project_spending,
    to_score,
    unit_choices,
    with_unit_names,
)
from linli.ventures.services import (
    ApplicationInput,
    BudgetLineInput,
    CallInput,
    ContractInput,
    CriterionInput,
    FileUpload,
    application_decide,
    application_save,
    application_submit,
    application_withdraw,
    call_create,
    call_transition,
    conflict_declare,
    contract_sign,
    milestone_accept,
    milestone_add,
    milestone_report,
    project_evaluate,
    review_score,
    spending_record,
)
from linli.ventures.web.charts import figures_chart
from linli.ventures.web.forms import (
    BUDGET_ROWS,
    CRITERIA_ROWS,
    DELIVERABLE_ROWS,
    ApplicationForm,
    CallForm,
    ConflictForm,
    ContractForm,
    DecisionForm,
    EvaluationForm,
    MilestoneForm,
    MilestoneReportForm,
    ReasonForm,
    ScoreForm,
    SpendingForm,
    StepForm,
    split_words,
)

ANY = (VENTURES_MANAGE, VENTURES_REVIEW, VENTURES_APPLY)
PAGE_SIZE = 50


def _upload(file) -> FileUpload | None:
    return FileUpload(file.name, file.read()) if file else None


# ---- calls ---------------------------------------------------------------------------------------


@staff_page(*ANY)
def home(request):
    actor = request.actor
    state = request.GET.get("state", "")
    state = state if state in CallState.values else ""
    page = Paginator(call_rows(actor=actor, state=state), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "ventures/staff/home.html",
        {
            "page": page,
            "calls": with_unit_names(page),
            "state": state,
            "states": CallState.choices,
            "may_create": actor.has_perm(VENTURES_MANAGE),
            "to_score": list(to_score(actor=actor)[:20]),
            "is_organiser": actor.has_perm(VENTURES_APPLY),
        },
    )


@staff_page(VENTURES_MANAGE)
def call_new(request):
    actor = request.actor
    form = CallForm(request.POST or None, units=unit_choices(actor=actor))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        criteria = [
            CriterionInput(
                data[f"criterion_{i}"], data[f"weight_{i}"] or 0, data[f"max_{i}"] or 0, data[f"criterion_en_{i}"]
            )
            for i in range(CRITERIA_ROWS)
            if data[f"criterion_{i}"].strip()
        ]
        try:
            call = call_create(
                actor=actor,
                data=CallInput(
                    kind=data["kind"],
                    title=data["title"],
                    unit_path=data["unit_path"],
                    opens_on=data["opens_on"],
                    deadline=data["deadline"],
                    total_budget=data["total_budget"],
                    project_cap=data["project_cap"],
                    themes=split_words(data["themes"]),
                    eligibility=data["eligibility"],
                    criteria=criteria,
                    panel=split_words(data["panel"]),
                ),
            )
        except DomainError as exc:
            add_domain_errors(form, exc, aliases={"criteria": "criterion_0"})
        else:
            messages.success(request, _("Call saved as a draft: %(title)s") % {"title": call.title})
            return redirect("portal:ventures:call", call.public_id)
    return render(request, "ventures/staff/call_form.html", {"form": form})


@staff_page(*ANY)
def call_page(request, public_id):
    actor = request.actor
    call = call_get(actor=actor, public_id=public_id)
    manages = may_manage(actor, call)
    panel = is_panel_member(actor, call)
    ranking = call_ranking(call) if (manages or panel) and call.state != CallState.DRAFT else []
    granted = budget_granted(call)
    return render(
        request,
        "ventures/staff/call.html",
        {
            "call": call,
            "criteria": list(call.criteria.all()),
            "panel": list(call.panel.all()),
            "timeline": call_timeline(call),
            "actions": call_actions(actor=actor, call=call),
            "ranking": ranking,
            "granted": granted,
            "left": call.total_budget - granted,
            "manages": manages,
            "is_panel": panel,
            "may_apply": actor.has_perm(VENTURES_APPLY) and call.state == CallState.OPEN,
            "mine": list(
                application_list(actor=actor, call=call).filter(org_id__in=[o.public_id for o in org_choices(actor)])
            ),
            "step_form": StepForm(),
        },
    )


@require_POST
@staff_page(VENTURES_MANAGE)
def call_step(request, public_id, action):
    actor = request.actor
    call = call_get(actor=actor, public_id=public_id)
    try:
        done = call_transition(actor=actor, call=call, action=action, note=request.POST.get("note", ""))
    except DomainError as exc:
        messages.error(request, " ".join([str(exc.message)] + [str(f.message) for f in exc.fields]))
    else:
        messages.success(request, _("The call is now: %(state)s") % {"state": done.get_state_display()})
    return redirect("portal:ventures:call", call.public_id)


# ---- applications --------------------------------------------------------------------------------


def _application_data(form) -> ApplicationInput:
    data = form.cleaned_data
    return ApplicationInput(
        org_id=data["org_id"],
        title=data["title"],
        summary=data["summary"],
        themes=data["themes"],
        beneficiaries_count=data["beneficiaries_count"],
        beneficiaries_who=data["beneficiaries_who"],
        outputs=data["outputs"],
        budget=[
            BudgetLineInput(data[f"item_{i}"], data[f"amount_{i}"])
            for i in range(BUDGET_ROWS)
            if data[f"item_{i}"].strip() or data[f"amount_{i}"].strip()
        ],
    )


def _budget_aliases() -> dict[str, str]:
    return {f"budget.{i}": f"amount_{i}" for i in range(BUDGET_ROWS)} | {"attachments": "attachment"}


@staff_page(VENTURES_APPLY)
def application_new(request, public_id):
    actor = request.actor
    call = call_get(actor=actor, public_id=public_id)
    return _application_form(request, call, None)


@staff_page(VENTURES_APPLY)
def application_edit(request, public_id):
    actor = request.actor
    application = application_get(actor=actor, public_id=public_id)
    if not is_own_application(actor, application) or application.state != ApplicationState.DRAFT:
        return redirect("portal:ventures:application", application.public_id)
    return _application_form(request, application.call, application)


def _application_initial(application) -> dict:
    initial = {
        "org_id": str(application.org_id),
        "title": application.title,
        "summary": application.summary,
        "themes": application.themes,
        "beneficiaries_count": application.beneficiaries_count,
        "beneficiaries_who": application.beneficiaries_who,
        "outputs": application.outputs,
    }
    for i, line in enumerate(application.budget_lines.all()[:BUDGET_ROWS]):
        initial[f"item_{i}"] = line.item
        initial[f"amount_{i}"] = line.amount
    return initial


def _application_form(request, call, application):
    actor = request.actor
    orgs = org_choices(actor)
    form = ApplicationForm(
        request.POST or None,
        request.FILES or None,
        orgs=orgs,
        themes=call.themes,
        initial=_application_initial(application) if application else {},
    )
    if request.method == "POST" and form.is_valid():
        upload = _upload(form.cleaned_data.get("attachment"))
        try:
            saved = application_save(
                actor=actor,
                call=call,
                data=_application_data(form),
                application=application,
                attachments=[upload] if upload else [],
            )
        except DomainError as exc:
            add_domain_errors(form, exc, aliases=_budget_aliases())
        else:
            messages.success(request, _("Application saved. Check it, then submit it before the deadline."))
            return redirect("portal:ventures:application", saved.public_id)
    return render(
        request,
        "ventures/staff/application_form.html",
        {"form": form, "call": call, "application": application, "no_orgs": not orgs},
    )


@staff_page(*ANY)
def application_page(request, public_id):
    actor = request.actor
    application = application_get(actor=actor, public_id=public_id)
    call = application.call
    own = is_own_application(actor, application)
    manages = may_manage(actor, call)
    panel = is_panel_member(actor, call)
    reviews = application_reviews(application) if manages or panel else []
    return render(
        request,
        "ventures/staff/application.html",
        {
            "application": application,
            "call": call,
            "lines": list(application.budget_lines.all()),
            "files": application_files(application),
            "own": own,
            "may_submit": own and application.state == ApplicationState.DRAFT and call.state == CallState.OPEN,
            "may_withdraw": own
            and application.state in (ApplicationState.DRAFT, ApplicationState.SUBMITTED)
            and call.state in (CallState.OPEN, CallState.REVIEWING),
            "may_review": panel
            and call.state == CallState.REVIEWING
            and application.state == ApplicationState.SUBMITTED,
            "my_review": my_review(actor, application) if panel else None,
            "reviews": reviews,
            "may_decide": manages
            and call.state == CallState.REVIEWING
            and application.state in (ApplicationState.SUBMITTED, ApplicationState.FUNDED, ApplicationState.REJECTED),
            "decision_form": DecisionForm(initial={"amount": application.requested}),
            "project": getattr(application, "project", None) if application.state == ApplicationState.FUNDED else None,
        },
    )


@require_POST
@staff_page(VENTURES_APPLY)
def application_submit_view(request, public_id):
    application = application_get(actor=request.actor, public_id=public_id)
    try:
        application_submit(actor=request.actor, application=application)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Application submitted."))
    return redirect("portal:ventures:application", application.public_id)


@staff_page(VENTURES_APPLY)
def application_withdraw_view(request, public_id):
    actor = request.actor
    application = application_get(actor=actor, public_id=public_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application_withdraw(actor=actor, application=application, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("Application withdrawn."))
            return redirect("portal:ventures:application", application.public_id)
    return render(request, "ventures/staff/withdraw.html", {"form": form, "application": application})


@staff_page(VENTURES_REVIEW)
def review_page(request, public_id):
    actor = request.actor
    application = application_get(actor=actor, public_id=public_id)
    criteria = list(application.call.criteria.all())
    review = my_review(actor, application)
    initial = {}
    if review and not review.conflict:
        by_criterion = {s.criterion_id: s.score for s in review.scores.all()}
        initial = {f"score_{c.position}": by_criterion.get(c.pk, "") for c in criteria} | {
            "comment": review.comment,
            "no_conflict": True,
        }
    posted = request.method == "POST"
    kind = request.POST.get("form", "score") if posted else ""
    form = ScoreForm(request.POST if kind == "score" else None, criteria=criteria, initial=initial)
    conflict_form = ConflictForm(request.POST if kind == "conflict" else None)
    if kind == "score" and form.is_valid():
        try:
            review_score(
                actor=actor, application=application, scores=form.scores(), comment=form.cleaned_data["comment"]
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("Scores saved."))
            return redirect("portal:ventures:review", application.public_id)
    elif kind == "conflict" and conflict_form.is_valid():
        try:
            conflict_declare(actor=actor, application=application, note=conflict_form.cleaned_data["conflict_note"])
        except DomainError as exc:
            add_domain_errors(conflict_form, exc)
        else:
            messages.success(request, _("Conflict of interest declared: you are left out of scoring it."))
            return redirect("portal:ventures:review", application.public_id)
    return render(
        request,
        "ventures/staff/review.html",
        {
            "application": application,
            "call": application.call,
            "criteria": criteria,
            "lines": list(application.budget_lines.all()),
            "review": review,
            "form": form,
            "conflict_form": conflict_form,
            "open": is_panel_member(actor, application.call)
            and application.call.state == CallState.REVIEWING
            and application.state == ApplicationState.SUBMITTED,
            "next_up": to_score(actor=actor).exclude(pk=application.pk).first(),
        },
    )


@require_POST
@staff_page(VENTURES_MANAGE)
def application_decide_view(request, public_id):
    actor = request.actor
    application = application_get(actor=actor, public_id=public_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to fund it."))
    else:
        data = form.cleaned_data
        try:
            application_decide(
                actor=actor, application=application, fund=data["fund"], amount=data["amount"], reason=data["reason"]
            )
        except DomainError as exc:
            messages.error(request, " ".join([str(exc.message)] + [str(f.message) for f in exc.fields]))
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("portal:ventures:call", application.call.public_id)
    return redirect("portal:ventures:application", application.public_id)


# ---- projects ------------------------------------------------------------------------------------


@staff_page(VENTURES_MANAGE, VENTURES_APPLY)
def projects(request):
    page = Paginator(project_list(actor=request.actor), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "ventures/staff/projects.html", {"projects": page, "page": page})


def _project_context(request, project, **forms) -> dict:
    actor = request.actor
    manages = may_manage_project(actor, project)
    own = is_own_project(actor, project) and actor.has_perm(VENTURES_APPLY)
    active = project.state == ProjectState.ACTIVE
    contract = getattr(project, "contract", None) if project.call.kind == "purchase" else None
    return {
        "project": project,
        "contract": contract,
        "milestones": project_milestones(project),
        "spending": project_spending(project),
        "left": project.grant - project.spent,
        "manages": manages and active,
        "own": own and active,
        "milestone_form": forms.get("milestone_form") or MilestoneForm(),
        "report_form": forms.get("report_form") or MilestoneReportForm(),
        "spending_form": forms.get("spending_form") or SpendingForm(initial={"spent_on": timezone.localdate()}),
        "evaluation_form": forms.get("evaluation_form") or EvaluationForm(),
        "contract_form": forms.get("contract_form") or ContractForm(),
        "failed": forms.get("failed", ""),
        "PLANNED": MilestoneState.PLANNED,
        "REPORTED": MilestoneState.REPORTED,
    }


@staff_page(VENTURES_MANAGE, VENTURES_APPLY)
def project_page(request, public_id):
    project = project_get(actor=request.actor, public_id=public_id)
    return render(request, "ventures/staff/project.html", _project_context(request, project))


def _project_post(request, public_id, form_class, key, act, done):
    project = project_get(actor=request.actor, public_id=public_id)
    form = form_class(request.POST, request.FILES or None)
    if form.is_valid():
        try:
            act(project, form.cleaned_data)
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("portal:ventures:project", project.public_id)
    context = _project_context(request, project, **{key: form, "failed": key})
    return render(request, "ventures/staff/project.html", context, status=422)


@require_POST
@staff_page(VENTURES_MANAGE, VENTURES_APPLY)
def milestone_new(request, public_id):
    return _project_post(
        request,
        public_id,
        MilestoneForm,
        "milestone_form",
        lambda p, d: milestone_add(actor=request.actor, project=p, title=d["title"], due_on=d["due_on"]),
        _("Milestone added."),
    )


def _milestone(project, pk):
    from linli.core.errors import not_found

    found = next((m for m in project_milestones(project) if m.pk == pk), None)
    if found is None:
        raise not_found("节点", "Milestone")
    return found


@require_POST
@staff_page(VENTURES_APPLY)
def milestone_report_view(request, public_id, pk):
    return _project_post(
        request,
        public_id,
        MilestoneReportForm,
        "report_form",
        lambda p, d: milestone_report(
            actor=request.actor, milestone=_milestone(p, pk), report=d["report"], beneficiaries=d["beneficiaries"]
        ),
        _("Milestone reported."),
    )


@require_POST
@staff_page(VENTURES_MANAGE)
def milestone_accept_view(request, public_id, pk):
    project = project_get(actor=request.actor, public_id=public_id)
    accept = request.POST.get("accept") != "0"
    try:
        milestone_accept(
            actor=request.actor, milestone=_milestone(project, pk), accept=accept, note=request.POST.get("note", "")
        )
    except DomainError as exc:
        messages.error(request, " ".join([str(exc.message)] + [str(f.message) for f in exc.fields]))
    else:
        messages.success(request, _("Milestone accepted.") if accept else _("Milestone sent back."))
    return redirect("portal:ventures:project", project.public_id)


@require_POST
@staff_page(VENTURES_MANAGE, VENTURES_APPLY)
def spending_new(request, public_id):
    return _project_post(
        request,
        public_id,
        SpendingForm,
        "spending_form",
        lambda p, d: spending_record(
            actor=request.actor,
            project=p,
            amount=d["amount"],
            spent_on=d["spent_on"],
            what=d["what"],
            receipt=_upload(d.get("receipt")),
        ),
        _("Spending recorded."),
    )


@require_POST
@staff_page(VENTURES_MANAGE)
def evaluate(request, public_id):
    return _project_post(
        request,
        public_id,
        EvaluationForm,
        "evaluation_form",
        lambda p, d: project_evaluate(actor=request.actor, project=p, score=d["score"], text=d["text"]),
        _("Evaluation saved."),
    )


@require_POST
@staff_page(VENTURES_MANAGE)
def contract_new(request, public_id):
    def act(project, d):
        deliverables = [
            (d[f"deliverable_{i}"], d[f"due_{i}"] or d["ends_on"])
            for i in range(DELIVERABLE_ROWS)
            if d[f"deliverable_{i}"].strip()
        ]
        contract_sign(
            actor=request.actor,
            project=project,
            data=ContractInput(d["number"], d["signed_on"], d["starts_on"], d["ends_on"], deliverables),
        )

    return _project_post(request, public_id, ContractForm, "contract_form", act, _("Contract recorded."))


@staff_page(*ANY)
def file_download(request, public_id):
    found = file_get(actor=request.actor, public_id=public_id)
    response = HttpResponse(bytes(found.data), content_type=found.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# ---- an organisation's own page, figures ---------------------------------------------------------


@staff_page(VENTURES_APPLY)
def mine(request):
    actor = request.actor
    today = timezone.localdate()
    orgs = org_choices(actor)
    org_ids = [o.public_id for o in orgs]
    return render(
        request,
        "ventures/staff/mine.html",
        {
            "orgs": orgs,
            "applications": list(application_list(actor=actor).filter(org_id__in=org_ids)[:100]),
            "projects": list(project_list(actor=actor).filter(org_id__in=org_ids)[:100]),
            "due": list(milestones_due(actor=actor, today=today)[:20]),
            "today": today,
        },
    )


@staff_page(VENTURES_MANAGE)
def figures_page(request):
    rows = figures(actor=request.actor)
    return render(
        request,
        "ventures/staff/figures.html",
        {"rows": rows, "chart": figures_chart(rows) if rows else None},
    )
