"""Staff pages of social-assistance applications: the queues, an application with its next step's
form for who may take it, the household's facts form, the home survey (phone first), the notice
board (staff and print views), the check-results import and the determination notice PDF. Each
view: actor → form → one service or selector → page; outside the scope an application is a 404."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.accounts.domain import WELFARE_DECIDE, WELFARE_INTAKE, WELFARE_REVIEW
from linli.areas.selectors import unit_names
from linli.core.errors import DomainError, not_found
from linli.core.web import staff_page
from linli.residents.selectors import welfare_household_people, welfare_person
from linli.welfare.domain.applications import (
    DISABILITY_LEVELS,
    INCOME_SOURCE_LABELS,
    MATERIALS,
    SURVEY_CONDITIONS,
    TRANSITIONS,
    ApplicationState,
    CheckResult,
    ObjectionOutcome,
    action_label,
)
from linli.welfare.domain.classes import AssistanceClass
from linli.welfare.exports import determination_notice_pdf, notice_board_pdf
from linli.welfare.selectors.applications import (
    application_actions,
    application_get,
    application_list,
    application_members,
    application_objections,
    application_steps,
    notice_board,
    notice_communities,
    queue_counts,
    queue_filter,
    queues_for,
    state_counts,
)
from linli.welfare.services.applications import (
    FactsInput,
    IncomeInput,
    MemberInput,
    application_approve,
    application_check_record,
    application_county_return,
    application_facts,
    application_record,
    application_refuse,
    application_request_check,
    application_street_pass,
    application_street_refuse,
    application_street_return,
    application_survey_record,
    application_withdraw,
    check_results_import,
    determination_trace,
    notice_ended,
    objection_answer,
    objection_record,
    objection_texts,
    survey_findings,
)

WORKERS = (WELFARE_INTAKE, WELFARE_REVIEW, WELFARE_DECIDE)
PAGE_SIZE = 50
COUNTED_SOURCES = ("wage", "business", "property", "transfer", "other")
OTHER_SOURCES = ("special_care", "scholarship", "disability_allowance", "assistance")
OUTSIDER_ROWS = 2


def _queue_label(key: str) -> str:
    labels = {
        "recording": _("To record"),
        "checking": _("Economic check"),
        "surveying": _("Home survey"),
        "street_review": _("Street review"),
        "notice": _("In notice"),
        "county": _("County decision"),
    }
    return labels[key]


def _errors(error: DomainError) -> list[str]:
    return [str(p.message) for p in error.fields] or [str(error.message)]


# ---------------------------------------------------------------- the queues


@staff_page(*WORKERS)
def home(request):
    actor, today = request.actor, timezone.localdate()
    queues = queues_for(actor)
    counts = queue_counts(actor=actor, today=today)
    chosen = request.GET.get("queue") or ""
    state = request.GET.get("state") or ""
    apps = application_list(actor=actor)
    queue = next((q for q in queues if q.key == chosen), None)
    if queue is not None:
        apps = queue_filter(apps, queue, today)
    elif state in ApplicationState.values:
        apps = apps.filter(state=state)
    page = Paginator(apps.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "tabs": [(q.key, _queue_label(q.key), counts.get(q.key, 0)) for q in queues],
        "chosen": queue.key if queue else "",
        "state": state,
        "states": [(s, ApplicationState(s).label, n) for s, n in state_counts(actor=actor).items() if n],
        "page": page,
        "today": today,
    }
    return render(request, "welfare/staff/applications/home.html", context)


# ---------------------------------------------------------------- one application


def _page_context(request, app, *, failed: str = "", errors: list[str] | None = None, posted=None) -> dict:
    actor, today = request.actor, timezone.localdate()
    household = application_facts(actor=actor, application=app, purpose="查看救助申请")
    members = application_members(app)
    trace = determination_trace(app.determination) if app.determination_id else []
    objections = [(o, *objection_texts(o)) for o in application_objections(app)]
    actions = application_actions(actor=actor, app=app, today=today)
    return {
        "app": app,
        "household": household,
        "members": members,
        "member_facts": list(zip(members, household.members, strict=False)) if household else [],
        "source_labels": {k: v for k, v in INCOME_SOURCE_LABELS.items()},
        "materials": [(key, label, app.materials.get(key, False)) for key, label in MATERIALS.items()],
        "steps": [(step, action_label(step.action)) for step in application_steps(app)],
        "objections": objections,
        "actions": actions,
        "action_labels": {a: TRANSITIONS[a].label for a in actions},
        "findings": survey_findings(app)
        if app.state not in (ApplicationState.RECORDING, ApplicationState.CHECKING)
        else "",
        "conditions": [SURVEY_CONDITIONS[c] for c in app.survey_conditions if c in SURVEY_CONDITIONS],
        "trace": trace,
        "notice_over": notice_ended(app, today),
        "check_results": CheckResult.choices,
        "outcomes": ObjectionOutcome.choices,
        "failed": failed,
        "errors": errors or [],
        "posted": posted or {},
        "class_label": AssistanceClass(app.proposed_class).label if app.proposed_class else "",
        "applied_label": AssistanceClass(app.applied_class).label,
        "decided_label": AssistanceClass(app.determination.assistance_class).label if app.determination_id else "",
        "reason_steps": _reason_steps(actions),
        "today": today,
    }


@staff_page(*WORKERS)
def application(request, public_id):
    app = application_get(actor=request.actor, key=public_id)
    return render(request, "welfare/staff/applications/application.html", _page_context(request, app))


def _reason_steps(actions: list[str]) -> list[dict]:
    """The steps that need reasons (and, to withdraw, a confirmation), folded until opened."""
    shown = {
        "street_return": (_("Reasons for returning"), "", False),
        "street_refuse": (_("Reasons for refusal"), _("The county decides on the proposal."), True),
        "county_return": (_("Reasons for returning"), "", False),
        "refuse": (
            _("Reasons for refusal"),
            _("The written refusal notice, with the rules' trace, is due within the working days the rules set."),
            True,
        ),
        "withdraw": (_("Reason for withdrawing"), _("Only on the applicant's request."), True),
    }
    steps = []
    for action in actions:
        if action in shown:
            field, hint, danger = shown[action]
            confirm = _("I confirm: withdrawing cannot be undone.") if action == "withdraw" else ""
            steps.append(
                {
                    "action": action,
                    "label": TRANSITIONS[action].label,
                    "field": field,
                    "hint": hint,
                    "danger": danger,
                    "confirm": confirm,
                }
            )
    return steps


STEP_CALLS = {
    "request_check": lambda actor, app, post: application_request_check(actor=actor, application=app),
    "record_check": lambda actor, app, post: application_check_record(
        actor=actor, application=app, result=post.get("result", ""), note=post.get("note", "")
    ),
    "street_pass": lambda actor, app, post: application_street_pass(
        actor=actor, application=app, opinion=post.get("note", "")
    ),
    "street_return": lambda actor, app, post: application_street_return(
        actor=actor, application=app, reasons=post.get("reasons", "")
    ),
    "street_refuse": lambda actor, app, post: application_street_refuse(
        actor=actor, application=app, reasons=post.get("reasons", "")
    ),
    "county_return": lambda actor, app, post: application_county_return(
        actor=actor, application=app, reasons=post.get("reasons", "")
    ),
    "approve": lambda actor, app, post: application_approve(actor=actor, application=app, note=post.get("note", "")),
    "refuse": lambda actor, app, post: application_refuse(
        actor=actor, application=app, reasons=post.get("reasons", "")
    ),
    "withdraw": lambda actor, app, post: application_withdraw(
        actor=actor, application=app, reason=post.get("reasons", ""), confirm=post.get("confirm") == "on"
    ),
    "objection": lambda actor, app, post: objection_record(
        actor=actor, application=app, text=post.get("text", ""), received_on=_date(post.get("received_on"))
    ),
}


def _date(value) -> date | None:
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


@require_POST
@staff_page(*WORKERS)
def application_step(request, public_id, action):
    app = application_get(actor=request.actor, key=public_id)
    call = STEP_CALLS.get(action)
    if call is None:
        raise not_found("操作", "Action")
    try:
        call(request.actor, app, request.POST)
    except DomainError as error:
        if error.status == 404:
            raise
        app.refresh_from_db()
        context = _page_context(request, app, failed=action, errors=_errors(error), posted=request.POST)
        return render(request, "welfare/staff/applications/application.html", context, status=422)
    messages.success(request, _("Done: %(step)s.") % {"step": TRANSITIONS[action].label})
    return redirect("portal:welfare:application", public_id=app.public_id)


@require_POST
@staff_page(*WORKERS)
def objection_answer_view(request, public_id, objection_id):
    app = application_get(actor=request.actor, key=public_id)
    objection = next((o for o in application_objections(app) if str(o.public_id) == str(objection_id)), None)
    if objection is None:
        raise not_found("异议", "Objection")
    try:
        objection_answer(
            actor=request.actor,
            objection=objection,
            outcome=request.POST.get("outcome", ""),
            answer=request.POST.get("answer", ""),
        )
    except DomainError as error:
        context = _page_context(request, app, failed="objection_answer", errors=_errors(error), posted=request.POST)
        return render(request, "welfare/staff/applications/application.html", context, status=422)
    messages.success(request, _("The objection is answered."))
    return redirect("portal:welfare:application", public_id=app.public_id)


# ---------------------------------------------------------------- the household's facts


def _member_rows(request, app, household) -> list[dict]:
    """The form's rows: the pool household's members (ticked as recorded), then blank outsiders."""
    actor = request.actor
    recorded = {m.ref: m for m in household.members} if household else {}
    person = welfare_person(actor=actor, public_id=str(app.applicant_ref))
    people = welfare_household_people(actor=actor, household_ref=person.household_ref) if person else []
    rows = []
    for p in people:
        fact = recorded.get(p.public_id)
        rows.append(
            {
                "ref": p.public_id,
                "name": p.name,
                "birth_date": p.birth_date,
                "sex": p.gender,
                "ticked": fact is not None or not recorded,
                "fact": fact,
                "pool": True,
                "disability_level": fact.disability_level
                if fact
                else (p.disability if p.disability in DISABILITY_LEVELS else ""),
                "employed": fact.employed if fact else p.employment == "employed",
                "incomes": {i.source: i.monthly for i in fact.incomes} if fact else {},
            }
        )
    outsiders = [m for ref, m in recorded.items() if ref.startswith("outside")]
    outsider_names = [m.name for m in application_members(app) if not m.resident_ref]
    for index, fact in enumerate(outsiders):
        rows.append(
            {
                "ref": "",
                "name": outsider_names[index] if index < len(outsider_names) else "",
                "birth_date": fact.birth_date,
                "sex": fact.sex,
                "ticked": True,
                "fact": fact,
                "pool": False,
                "disability_level": fact.disability_level,
                "employed": fact.employed,
                "incomes": {i.source: i.monthly for i in fact.incomes},
            }
        )
    for _index in range(OUTSIDER_ROWS):
        rows.append(
            {
                "ref": "",
                "name": "",
                "birth_date": None,
                "sex": "",
                "ticked": False,
                "fact": None,
                "pool": False,
                "disability_level": "",
                "employed": False,
                "incomes": {},
            }
        )
    return rows


def _as_posted(rows: list[dict], post) -> list[dict]:
    posted = []
    for i, row in enumerate(rows):
        p = f"m{i}-"
        flags = ("serious_illness", "in_school", "employed")
        fact = SimpleNamespace(
            **{flag: post.get(p + flag) == "on" for flag in flags},
            able_to_work=post.get(p + "unable_to_work") != "on",
            care_need=post.get(p + "care_need", ""),
        )
        posted.append(
            {
                **row,
                "name": row["name"] if row["pool"] else post.get(p + "name", ""),
                "birth_date": row["birth_date"] if row["pool"] else post.get(p + "birth_date", ""),
                "sex": row["sex"] if row["pool"] else post.get(p + "sex", ""),
                "ticked": post.get(p + "include") == "on",
                "fact": fact,
                "disability_level": post.get(p + "disability_level", ""),
                "employed": fact.employed,
                "incomes": {s: post.get(f"{p}income-{s}", "") for s in INCOME_SOURCE_LABELS},
            }
        )
    return posted


def _household_as_posted(post) -> SimpleNamespace:
    names = ("deposits", "vehicles", "vehicle_value", "homes", "medical_costs", "education_costs", "disability_costs")
    return SimpleNamespace(
        area=post.get("area", "urban"),
        has_able_supporter=post.get("has_able_supporter") == "on",
        **{name: post.get(name, "") for name in names},
    )


def _facts_from_post(post) -> FactsInput:
    members = []
    count = int(post.get("rows", "0") or 0) if str(post.get("rows", "0")).isdigit() else 0
    for i in range(min(count, 30)):
        p = f"m{i}-"
        ref = post.get(p + "ref", "").strip()
        name = post.get(p + "name", "").strip()
        if ref and post.get(p + "include") != "on":
            continue
        if not ref and not name:
            continue  # a blank outsider row
        incomes = [
            IncomeInput(source=s, monthly=post.get(f"{p}income-{s}", "").strip())
            for s in INCOME_SOURCE_LABELS
            if post.get(f"{p}income-{s}", "").strip()
        ]
        members.append(
            MemberInput(
                ref=ref,
                name=name,
                birth_date=_date(post.get(p + "birth_date")),
                sex=post.get(p + "sex", ""),
                relation=post.get(p + "relation", ""),
                disability_level=post.get(p + "disability_level", ""),
                serious_illness=post.get(p + "serious_illness") == "on",
                in_school=post.get(p + "in_school") == "on",
                able_to_work=post.get(p + "unable_to_work") != "on",
                employed=post.get(p + "employed") == "on",
                care_need=post.get(p + "care_need", ""),
                incomes=incomes,
            )
        )

    def whole(name: str, default: int) -> int:
        value = str(post.get(name, "")).strip()
        return int(value) if value.isdigit() else (default if value == "" else -1)

    return FactsInput(
        area=post.get("area", "urban"),
        members=members,
        deposits=post.get("deposits", "0"),
        vehicles=whole("vehicles", 0),
        vehicle_value=post.get("vehicle_value", "0"),
        homes=whole("homes", 1),
        medical_costs=post.get("medical_costs", "0"),
        education_costs=post.get("education_costs", "0"),
        disability_costs=post.get("disability_costs", "0"),
        has_able_supporter=post.get("has_able_supporter") == "on",
        materials={key: post.get(f"material-{key}") == "on" for key in MATERIALS},
    )


@staff_page(WELFARE_INTAKE)
def facts_form(request, public_id):
    app = application_get(actor=request.actor, key=public_id)
    if "record" not in application_actions(actor=request.actor, app=app, today=timezone.localdate()):
        raise not_found("页面", "Page")
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        try:
            application_record(actor=request.actor, application=app, data=_facts_from_post(request.POST))
        except DomainError as error:
            errors, status = _errors(error), 422
        else:
            messages.success(request, _("The household is recorded."))
            return redirect("portal:welfare:application", public_id=app.public_id)
    household = (
        application_facts(actor=request.actor, application=app, purpose="登记家庭情况") if app.facts_sealed else None
    )
    rows = _member_rows(request, app, household)
    if errors:  # the form again as it was typed, so nothing typed is lost
        rows, household = _as_posted(rows, request.POST), _household_as_posted(request.POST)
    context = {
        "app": app,
        "rows": rows,
        "household": household,
        "errors": errors,
        "post": request.POST if request.method == "POST" else {},
        "counted_sources": [(s, INCOME_SOURCE_LABELS[s]) for s in COUNTED_SOURCES],
        "other_sources": [(s, INCOME_SOURCE_LABELS[s]) for s in OTHER_SOURCES],
        "materials": [(key, label, app.materials.get(key, False)) for key, label in MATERIALS.items()],
        "disability_levels": DISABILITY_LEVELS,
    }
    return render(request, "welfare/staff/applications/facts.html", context, status=status)


# ---------------------------------------------------------------- the home survey (phone)


@staff_page(WELFARE_INTAKE)
def survey_form(request, public_id):
    app = application_get(actor=request.actor, key=public_id)
    if "record_survey" not in application_actions(actor=request.actor, app=app, today=timezone.localdate()):
        raise not_found("页面", "Page")
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        try:
            application_survey_record(
                actor=request.actor,
                application=app,
                surveyed_on=_date(request.POST.get("surveyed_on")),
                second_worker=request.POST.get("second_worker", ""),
                conditions=request.POST.getlist("conditions"),
                findings=request.POST.get("findings", ""),
            )
        except DomainError as error:
            errors, status = _errors(error), 422
        else:
            messages.success(request, _("The home survey is recorded."))
            return redirect("portal:welfare:application", public_id=app.public_id)
    context = {
        "app": app,
        "errors": errors,
        "post": request.POST if request.method == "POST" else {},
        "conditions": list(SURVEY_CONDITIONS.items()),
        "today": timezone.localdate(),
        "worker": request.actor.shown_name,
    }
    return render(request, "welfare/staff/applications/survey.html", context, status=status)


# ---------------------------------------------------------------- the notice board


@staff_page(*WORKERS)
def notice_home(request):
    today = timezone.localdate()
    communities = notice_communities(actor=request.actor, today=today)
    return render(request, "welfare/staff/applications/notices.html", {"communities": communities, "today": today})


@staff_page(*WORKERS)
def notice_community(request, community_path, printed=False):
    today = timezone.localdate()
    if not request.actor.sees_path(community_path[:12]) and not any(
        community_path.startswith(p) for p in request.actor.scope_paths
    ):
        raise not_found("公示", "Notice")
    lines = notice_board(actor=request.actor, community_path=community_path, today=today)
    name = unit_names([community_path]).get(community_path, community_path)
    context = {
        "lines": lines,
        "community": name,
        "community_path": community_path,
        "today": today,
        "days": (lines[0].notice_until - lines[0].notice_from).days + 1 if lines else 7,
    }
    template = "notice_print.html" if printed else "notice.html"
    return render(request, f"welfare/staff/applications/{template}", context)


@staff_page(*WORKERS)
def notice_print(request, community_path):
    return notice_community(request, community_path, printed=True)


@staff_page(*WORKERS)
def notice_board_pdf_view(request, community_path):
    """The community's notice as a PDF to post on the board."""
    today = timezone.localdate()
    lines = notice_board(actor=request.actor, community_path=community_path, today=today)
    name = unit_names([community_path]).get(community_path, community_path)
    response = HttpResponse(notice_board_pdf(community=name, lines=lines, today=today), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notice-{community_path}.pdf"'
    return response


# ---------------------------------------------------------------- the check results import


@staff_page(WELFARE_INTAKE)
def check_import(request):
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        text = ""
        if upload is not None and upload.size <= 2 * 1024 * 1024:
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                errors = [_("The file must be UTF-8 text (CSV).")]
        elif upload is not None:
            errors = [_("The file is larger than 2 MB.")]
        else:
            errors = [_("Choose the CSV file of check results.")]
        if not errors:
            try:
                result = check_results_import(actor=request.actor, text=text)
            except DomainError as error:
                errors = _errors(error)
            else:
                messages.success(request, _("%(n)d check results recorded.") % {"n": result.recorded})
                return redirect("portal:welfare:applications")
        status = 422
    return render(request, "welfare/staff/applications/check_import.html", {"errors": errors}, status=status)


# ---------------------------------------------------------------- the determination notice


@staff_page(*WORKERS)
def notice_pdf(request, public_id):
    app = application_get(actor=request.actor, key=public_id)
    if app.state not in (ApplicationState.APPROVED, ApplicationState.REFUSED):
        raise not_found("通知书", "Notice")
    content = determination_notice_pdf(actor=request.actor, application=app)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{app.number}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
