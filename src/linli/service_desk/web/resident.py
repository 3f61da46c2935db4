"""Resident pages of the service desk: the catalogue and item guides (public, no JavaScript
needed), applying online, my cases, a case with its progress, answering a supplement request,
withdrawing and rating."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.areas.domain import DepartmentKind
from linli.core.errors import DomainError, not_found
from linli.core.forms import add_domain_errors
from linli.core.notify import inbox_list
from linli.residents.selectors import applicant_for_user
from linli.service_desk.domain import OPEN_STATES, REAPPLY_STATES, TRANSITIONS, Channel, RatingLevel
from linli.service_desk.selectors import (
    carried_materials,
    case_actions,
    case_get,
    case_materials,
    case_progress,
    catalogue_search,
    checklist_lines,
    guide_get,
    is_applicant,
    item_active,
    item_form_get,
    item_get,
    my_cases,
    reapply_initial,
    timeline_rows,
    version_materials,
)
from linli.service_desk.services import (
    IntakeInput,
    TransitionInput,
    case_for_rating_link,
    case_rate_by_link,
    case_reapply,
    case_submit,
    case_transition,
)
from linli.service_desk.web.forms import ApplyForm, StepForm
from linli.service_desk.web.uploads import material_from_request

RESIDENT_LOGIN = "portal:login"


def catalogue(request):
    q = request.GET.get("q", "")[:50].strip()
    result = catalogue_search(q=q, category=request.GET.get("category", ""))
    return render(request, "service_desk/resident/catalogue.html", {"result": result, "q": q})


def item_guide(request, code: str):
    guide = guide_get(code=code)
    version = guide.version
    context = {
        "guide": guide,
        "item": guide.item,
        "version": version,
        "materials": guide.materials,
        "department_label": DepartmentKind(version.department_kind).label if version.department_kind else "",
    }
    return render(request, "service_desk/resident/guide.html", context)


def item_form(request, code: str, number: int):
    """A blank or sample form of the guide, from the catalogue's own files (never fetched)."""
    form = item_form_get(code=code, number=number)
    handle = form.path.open("rb")
    return FileResponse(handle, as_attachment=True, filename=form.filename, content_type=form.content_type)


@login_required(login_url=RESIDENT_LOGIN)
def apply(request, code: str):
    item = item_get(code=code)
    materials = version_materials(item.current)
    form = ApplyForm(request.POST if request.method == "POST" else None, materials=materials)
    applicant = applicant_for_user(request.actor.user_id)
    if request.method == "POST" and form.is_valid():
        data = IntakeInput(
            item_code=item.code,
            channel=Channel.ONLINE,
            checklist=form.checklist(),
            answers=_answers(form),
        )
        try:
            case = case_submit(actor=request.actor, data=data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Submitted as %(number)s.") % {"number": case.number})
            return redirect("portal:my-case", public_id=case.public_id)
    context = {"item": item, "form": form, "applicant": applicant, "materials": materials}
    return render(request, "service_desk/resident/apply.html", context, status=400 if form.errors else 200)


@login_required(login_url=RESIDENT_LOGIN)
def cases(request):
    cases = list(my_cases(actor=request.actor)[:100])
    for case in cases:
        case.progress = case_progress(case)
    return render(
        request,
        "service_desk/resident/cases.html",
        {"cases": cases, "inbox": inbox_list(user_id=request.actor.user_id, limit=5)},
    )


def _own_case(request, public_id):
    case = case_get(actor=request.actor, key=public_id)
    if not is_applicant(request.actor, case):  # staff use the workbench page
        raise not_found("办件", "Case")
    return case


def _context(request, case, form, failed: str = "") -> dict:
    actions = case_actions(actor=request.actor, case=case)
    return {
        "case": case,
        "lines": checklist_lines(case.item_version, case.checklist),
        "timeline": timeline_rows(case),
        # withdrawing is not a step card at the top: it sits below the materials, behind a confirmation
        "actions": [{"key": a, "label": TRANSITIONS[a].label} for a in actions if a != "withdraw"],
        "may_withdraw": "withdraw" in actions,
        "may_apply_again": case.state in REAPPLY_STATES and item_active(case.item.code),
        "progress": case_progress(case),
        "form": form,
        "failed_action": failed,
        "levels": RatingLevel.choices,
        "rating": getattr(case, "rating", None),
        "materials": case_materials(case),
        "material_choices": version_materials(case.item_version),
        "may_add_files": case.state in OPEN_STATES,
    }


@login_required(login_url=RESIDENT_LOGIN)
def case_page(request, public_id):
    case = _own_case(request, public_id)
    return render(request, "service_desk/resident/case.html", _context(request, case, StepForm()))


@require_POST
@login_required(login_url=RESIDENT_LOGIN)
def case_step(request, public_id, action: str):
    case = _own_case(request, public_id)
    form = StepForm(request.POST)
    if form.is_valid():
        data = TransitionInput(**{k: v for k, v in form.cleaned_data.items() if v not in (None, "")})
        try:
            case_transition(actor=request.actor, case=case, action=action, data=data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Thank you. Your case has been updated."))
            return redirect("portal:my-case", public_id=case.public_id)
    return render(request, "service_desk/resident/case.html", _context(request, case, form, action), status=400)


@login_required(login_url=RESIDENT_LOGIN)
def withdraw(request, public_id):
    """Withdrawing asks first: a page that says what happens, wants a reason and offers to keep
    the application (the safe choice is the prominent one)."""
    case = _own_case(request, public_id)
    if "withdraw" not in case_actions(actor=request.actor, case=case):
        return redirect("portal:my-case", public_id=case.public_id)
    form = StepForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            case_transition(
                actor=request.actor, case=case, action="withdraw", data=TransitionInput(note=form.cleaned_data["note"])
            )
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Your application has been withdrawn."))
            return redirect("portal:my-case", public_id=case.public_id)
    context = {"case": case, "form": form}
    return render(request, "service_desk/resident/withdraw.html", context, status=400 if form.errors else 200)


@login_required(login_url=RESIDENT_LOGIN)
def apply_again(request, public_id):
    """重新申请: a new application of the same item, starting from what the withdrawn or refused one
    had (ticked materials, the note, the photos the item still asks for)."""
    previous = _own_case(request, public_id)
    if previous.state not in REAPPLY_STATES or not item_active(previous.item.code):
        return redirect("portal:my-case", public_id=previous.public_id)
    item = item_get(code=previous.item.code)
    materials = version_materials(item.current)
    form = ApplyForm(
        request.POST if request.method == "POST" else None, materials=materials, initial=reapply_initial(previous)
    )
    if request.method == "POST" and form.is_valid():
        data = IntakeInput(
            item_code=item.code, channel=Channel.ONLINE, checklist=form.checklist(), answers=_answers(form)
        )
        try:
            case = case_reapply(actor=request.actor, previous=previous, data=data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Submitted as %(number)s.") % {"number": case.number})
            return redirect("portal:my-case", public_id=case.public_id)
    context = {
        "item": item,
        "form": form,
        "applicant": applicant_for_user(request.actor.user_id),
        "materials": materials,
        "previous": previous,
        "carried": carried_materials(previous, item.current),
    }
    return render(request, "service_desk/resident/apply.html", context, status=400 if form.errors else 200)


def _answers(form: ApplyForm) -> dict:
    return {"note": form.cleaned_data["note"]} if form.cleaned_data["note"] else {}


@require_POST
@login_required(login_url=RESIDENT_LOGIN)
def material_add(request, public_id):
    """A photo of a material from the phone (at application or for a supplement)."""
    case = _own_case(request, public_id)
    material_from_request(request, case, done=_("Photo received."))
    return redirect("portal:my-case", public_id=case.public_id)


def rate_by_link(request, token: str):
    """The page behind the SMS link: rate a finished case without logging in."""
    case = case_for_rating_link(token)
    form = StepForm(request.POST if request.method == "POST" else None)
    done = hasattr(case, "rating")
    if request.method == "POST" and not done and form.is_valid():
        try:
            case_rate_by_link(
                token=token,
                score=form.cleaned_data.get("score"),
                comment=form.cleaned_data.get("note", ""),
                client_address=request.actor.client_address,
            )
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            return render(request, "service_desk/resident/rate.html", {"case": case, "thanks": True})
    context = {"case": case, "form": form, "done": done, "levels": RatingLevel.choices}
    return render(request, "service_desk/resident/rate.html", context, status=400 if form.errors else 200)
