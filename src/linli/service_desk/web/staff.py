"""Staff pages of the service desk: queues, the intake wizard (lookup first), the one-time
notice, the case page with its timeline and the steps open to you, rectifications and figures.
Each view: actor → form → one service or selector → page; outside the scope a case is a 404."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from linli.accounts.domain import CATALOGUE_EDIT, DESK_ACCEPT, DESK_SUPERVISE, DESK_VIEW
from linli.areas.domain import DepartmentKind
from linli.areas.selectors import community_paths, org_unit_get, org_unit_top, unit_names
from linli.core.errors import DomainError, not_found
from linli.core.forms import add_domain_errors
from linli.core.web import staff_page
from linli.residents.selectors import resident_get
from linli.residents.services import applicant_from_pool, applicant_lookup
from linli.service_desk.domain import OPEN_STATES, TRANSITIONS, Channel, HandoffStep, ItemType
from linli.service_desk.exports import case_file_export, receipt_pdf
from linli.service_desk.selectors import (
    QUEUES,
    case_actions,
    case_get,
    case_handling,
    case_handoffs,
    case_material_get,
    case_materials,
    case_queue,
    case_receipt,
    checklist_lines,
    desk_figures_of_unit,
    desk_monthly_trend,
    figures_by_item,
    figures_by_owner,
    handoff_next_steps,
    is_applicant,
    is_overdue,
    item_list,
    item_versions,
    notice_materials,
    queue_counts,
    receipt_available,
    rectification_get,
    rectification_list,
    service_window,
    timeline_rows,
    version_materials,
)
from linli.service_desk.services import (
    IntakeInput,
    ItemInput,
    ProxyInput,
    TransitionInput,
    case_intake,
    case_transition,
    catalogue_form_store,
    file_handoff_record,
    follow_up_record,
    item_active_set,
    item_version_save,
    material_read,
    notice_issue,
    rectification_close,
)
from linli.service_desk.web.charts import trend_chart, units_chart
from linli.service_desk.web.forms import (
    CatalogueItemForm,
    FollowUpForm,
    IntakeForm,
    LookupForm,
    RectificationCloseForm,
    StepForm,
    faq_to_text,
    forms_to_text,
    materials_to_text,
    pairs_to_text,
    posted_checklist,
)
from linli.service_desk.web.uploads import material_from_request

PAGE_SIZE = 50
SESSION_APPLICANT = "desk_applicant"
QUEUE_LABELS = {
    "mine": gettext_lazy("Mine"),
    "intake": gettext_lazy("Waiting for intake"),
    "unit": gettext_lazy("My unit decides"),
    "supplied": gettext_lazy("Supplement received"),
    "home": gettext_lazy("Home visits"),
    "due_soon": gettext_lazy("Due soon"),
    "overdue": gettext_lazy("Overdue"),
    "finished": gettext_lazy("Finished"),
    "all": gettext_lazy("All cases"),
}


def desk_page(permission: str = ""):
    """Logged-in desk staff (holding `permission`, else desk.view); for anyone else: 404."""
    return staff_page(permission or DESK_VIEW)


@desk_page()
def queues(request):
    queue = request.GET.get("queue", "mine")
    if queue not in QUEUES:
        queue = "mine"
    q = request.GET.get("q", "")[:50]
    cases = case_queue(actor=request.actor, queue=queue, q=q).select_related("item")
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for case in page.object_list:
        case.overdue = is_overdue(case, today)
    counts = queue_counts(actor=request.actor, today=today)
    tabs = [{"key": k, "label": QUEUE_LABELS[k], "active": k == queue, "count": counts[k]} for k in QUEUES]
    context = {"page": page, "tabs": tabs, "queue": queue, "q": q, "perms_accept": request.actor.has_perm(DESK_ACCEPT)}
    return render(request, "service_desk/staff/queues.html", context)


# ---------------------------------------------------------------- intake wizard


@desk_page(DESK_ACCEPT)
def intake(request):
    """Step one: look the applicant up by ID number (by POST: the number never enters a URL)."""
    form = LookupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            card = applicant_lookup(actor=request.actor, id_number=form.cleaned_data["id_number"], purpose="窗口受理")
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            request.session[SESSION_APPLICANT] = card.__dict__
            return redirect("portal:desk:intake-item")
    return render(request, "service_desk/staff/intake_lookup.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
@desk_page(DESK_ACCEPT)
def intake_for(request, public_id):
    """Step one skipped from a person's page: the applicant is the person the worker is looking at."""
    resident = resident_get(actor=request.actor, public_id=public_id)
    try:
        card = applicant_from_pool(actor=request.actor, resident=resident, purpose="窗口受理")
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("portal:residents:resident", public_id)
    request.session[SESSION_APPLICANT] = card.__dict__
    return redirect("portal:desk:intake-item")


@desk_page(DESK_ACCEPT)
def intake_item(request):
    """Step two: the item, the channel and the materials checklist; accept, or print the
    one-time notice of what is missing."""
    applicant = request.session.get(SESSION_APPLICANT)
    if not applicant:
        return redirect("portal:desk:intake")
    code = request.POST.get("item_code") or request.GET.get("item", "")
    item = item_list().filter(code=code).first() if code else None
    materials = version_materials(item.current) if item else []
    desks = community_paths(actor=request.actor)
    form = IntakeForm(
        request.POST if request.method == "POST" and item else None,
        items=item_list(),
        desks=desks,
        materials=materials,
        initial={"item_code": code, "desk_path": desks[0][0] if desks else ""},
    )
    if request.method == "POST" and item and form.is_valid():
        if "notice" in request.POST:
            return _notice_page(request, item, form.checklist(), applicant, form.cleaned_data.get("desk_path") or "")
        try:
            case = case_intake(actor=request.actor, data=_intake_input(form, applicant))
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            request.session.pop(SESSION_APPLICANT, None)
            messages.success(request, _("Accepted as case %(number)s.") % {"number": case.number})
            return redirect("portal:desk:case", public_id=case.public_id)
    context = {"form": form, "applicant": applicant, "item": item, "materials": materials}
    return render(request, "service_desk/staff/intake_item.html", context, status=400 if form.errors else 200)


def _intake_input(form: IntakeForm, applicant: dict) -> IntakeInput:
    data = form.cleaned_data
    proxy = None
    if data["channel"] == Channel.PROXY and data.get("proxy_method") and data.get("proxy_valid_until"):
        proxy = ProxyInput(data["proxy_method"], data.get("proxy_reason", ""), data["proxy_valid_until"])
    return IntakeInput(
        item_code=data["item_code"],
        channel=data["channel"],
        applicant_ref=applicant["public_id"],
        desk_path=data.get("desk_path") or "",
        checklist=form.checklist(),
        deferred_until=data.get("deferred_until"),
        answers={"note": data["note"]} if data.get("note") else {},
        proxy=proxy,
        home_visit_at=data.get("home_visit_at"),
    )


def _notice_page(request, item, checklist: dict, applicant: dict, desk_path: str):
    """一次性告知书: issued (numbered, recorded, audited) when something is missing."""
    try:
        notice = notice_issue(
            actor=request.actor,
            item_code=item.code,
            applicant_ref=applicant["public_id"],
            applicant_name=applicant["name"],
            desk_path=desk_path,
            checklist=checklist,
        )
    except DomainError as error:
        messages.error(request, "；".join(str(f.message) for f in error.fields) or str(error.message))
        return redirect(f"{reverse('portal:desk:intake-item')}?item={quote(item.code)}")
    desk_path = notice.desk_path if notice else desk_path
    context = {
        "item": item,
        "notice": notice,
        "missing": notice_materials(notice) if notice else [],
        "applicant": applicant,
        "today": timezone.localdate(),
        "worker": request.actor.display_name,
        "desk_name": unit_names([desk_path]).get(desk_path, ""),
        "window": service_window(desk_path),
        "allows_deferral": item.current.allows_deferral,
    }
    return render(request, "service_desk/staff/notice.html", context)


# ---------------------------------------------------------------- case page


@desk_page()
def case_page(request, public_id):
    case = case_get(actor=request.actor, key=public_id)
    return render(request, "service_desk/staff/case.html", _case_context(request, case, StepForm()))


def _case_context(request, case, form, failed_action: str = "") -> dict:
    actions = case_actions(actor=request.actor, case=case)
    names = unit_names([case.accepted_path, case.handling_path, case.home_path[:12]])
    return {
        "case": case,
        "lines": checklist_lines(case.item_version, case.checklist),
        "timeline": timeline_rows(case),
        "actions": [{"key": a, "label": TRANSITIONS[a].label} for a in actions],
        "form": form,
        "failed_action": failed_action,
        "overdue": is_overdue(case, timezone.localdate()),
        "accepted_name": names.get(case.accepted_path),
        "handling_name": names.get(case.handling_path),
        "home_name": names.get(case.home_path[:12]),
        "rating": getattr(case, "rating", None),
        "materials": case_materials(case),
        "handoffs": case_handoffs(case),
        "handoff_steps": [(step, HandoffStep(step).label) for step in handoff_next_steps(case)],
        "material_choices": version_materials(case.item_version),
        "may_add_files": case.state in OPEN_STATES,
        "has_receipt": receipt_available(case),
        "handling": case_handling(case),
    }


@require_POST
@desk_page()
def case_step(request, public_id, action: str):
    case = case_get(actor=request.actor, key=public_id)
    form = StepForm(request.POST)
    if form.is_valid():
        data = TransitionInput(**{k: v for k, v in form.cleaned_data.items() if v not in (None, "")})
        data.checklist = posted_checklist(request.POST)
        try:
            case = case_transition(actor=request.actor, case=case, action=action, data=data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Done: %(step)s.") % {"step": TRANSITIONS[action].label})
            return redirect("portal:desk:case", public_id=case.public_id)
    return render(request, "service_desk/staff/case.html", _case_context(request, case, form, action), status=400)


@require_POST
@desk_page()
def material_add(request, public_id):
    """Scan or photograph a material at the window (also used for a supplement)."""
    case = case_get(actor=request.actor, key=public_id)
    material_from_request(request, case, done=_("Material attached."))
    return redirect("portal:desk:case", public_id=case.public_id)


@desk_page()
def material_file(request, public_id, material_id):
    """Open an uploaded material (audited), inline for images and PDFs."""
    case = case_get(actor=request.actor, key=public_id)
    material = case_material_get(case, material_id)
    data = material_read(actor=request.actor, material=material)
    response = HttpResponse(data, content_type=material.content_type)
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(material.filename)}"
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@desk_page()
def handoff(request, public_id):
    case = case_get(actor=request.actor, key=public_id)
    try:
        file_handoff_record(
            actor=request.actor, case=case, step=request.POST.get("step", ""), note=request.POST.get("note", "")
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Saved."))
    return redirect("portal:desk:case", public_id=case.public_id)


@desk_page()
def receipt(request, public_id):
    """受理回执 to print at the window (the browser's print; a PDF beside it)."""
    case = case_get(actor=request.actor, key=public_id)
    return render(request, "service_desk/staff/receipt.html", {"receipt": case_receipt(case)})


@desk_page()
def receipt_pdf_file(request, public_id):
    case = case_get(actor=request.actor, key=public_id)
    data, filename = receipt_pdf(actor=request.actor, receipt=case_receipt(case))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response


@desk_page()
def case_export(request, public_id, kind: str):
    """The case file as PDF or ZIP (record, timeline, materials); audited."""
    if kind not in {"pdf", "zip"}:
        raise not_found("页面", "Page")
    case = case_get(actor=request.actor, key=public_id)
    data, content_type, filename = case_file_export(actor=request.actor, case=case, kind=kind)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response


def case_redirect(request, public_id):
    """The link in a notification: the applicant's page for the applicant, the staff page for staff."""
    case = case_get(actor=request.actor, key=public_id)
    if is_applicant(request.actor, case):
        return redirect("portal:my-case", public_id=public_id)
    return redirect("portal:desk:case", public_id=public_id)


# ---------------------------------------------------------------- rectifications


@desk_page()
def rectifications(request):
    items = rectification_list(actor=request.actor, open_only=request.GET.get("all") != "1")[:200]
    return render(
        request,
        "service_desk/staff/rectifications.html",
        {
            "items": items,
            "follow_form": FollowUpForm(),
            "close_form": RectificationCloseForm(),
            "today": timezone.localdate(),
        },
    )


@require_POST
@desk_page()
def rectification_step(request, pk: int, step: str):
    rectification = rectification_get(actor=request.actor, pk=pk)
    form = FollowUpForm(request.POST) if step == "follow-up" else RectificationCloseForm(request.POST)
    if form.is_valid():
        try:
            if step == "follow-up":
                follow_up_record(actor=request.actor, rectification=rectification, **form.cleaned_data)
            else:
                rectification_close(actor=request.actor, rectification=rectification, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, str(error.fields[0].message if error.fields else error.message))
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Please correct the marked fields."))
    return redirect("portal:desk:rectifications")


# ---------------------------------------------------------------- figures


@desk_page(DESK_SUPERVISE)
def figures(request, code: str = ""):
    actor = request.actor
    unit = org_unit_get(actor=actor, code=code) if code else org_unit_top(actor=actor).first()
    if unit is None:
        raise not_found("单位", "Unit")
    figures = desk_figures_of_unit(actor=actor, unit=unit)
    since, until = figures.since, figures.until
    context = {
        "unit": unit,
        "rows": [(row, figures.child_codes.get(row.path)) for row in figures.rows],
        "trend_chart": trend_chart(unit.name, desk_monthly_trend(actor=actor, path=unit.path)),
        "units_chart": units_chart(figures.rows) if figures.rows else None,
        "since": since.date(),
        "items": figures_by_item(actor=actor, since=since, until=until)[:20],
        "owners": figures_by_owner(actor=actor, since=since, until=until),
    }
    return render(request, "service_desk/staff/figures.html", context)


# ---------------------------------------------------------------- catalogue (admins)


@desk_page(CATALOGUE_EDIT)
def catalogue(request):
    q = request.GET.get("q", "")[:50]
    return render(
        request,
        "service_desk/staff/catalogue.html",
        {"items": item_list(q=q, include_inactive=True)[:200], "q": q},
    )


@desk_page(CATALOGUE_EDIT)
def catalogue_item(request, code: str = ""):
    """Edit an item (a new version; running cases keep theirs) or create one."""
    item = item_list(include_inactive=True).filter(code=code).first() if code else None
    current = item.current if item else None
    form = CatalogueItemForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial=_item_initial(item)
        if item
        else {
            "channels": list(Channel.values),
            "citywide": True,
            "allows_deferral": True,
            "retention_years": 10,
            "item_type": "20",
        },
        previous_materials=current.materials if current else [],
        item_types=ItemType.choices,
        departments=DepartmentKind.choices,
    )
    if item:
        form.fields["code"].required = False  # the code of an item never changes
    if request.method == "POST" and form.is_valid():
        data = form.guide_data()
        if item:
            data["code"] = item.code
        try:
            upload = form.cleaned_data.get("form_file")  # the file's bytes, read by the form
            if upload:
                stored = catalogue_form_store(
                    actor=request.actor,
                    name=form.cleaned_data["form_name"],
                    name_en=form.cleaned_data["form_name_en"],
                    data=upload,
                )
                data["forms"] = [*data["forms"], stored]
            version, created = item_version_save(actor=request.actor, data=ItemInput(**data))
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            if created:
                messages.success(request, _("Saved as version %(version)s.") % {"version": version.version})
            else:
                messages.success(request, _("Nothing changed."))
            return redirect("portal:desk:catalogue-item", code=version.item.code)
    context = {"form": form, "item": item, "versions": item_versions(item) if item else []}
    return render(request, "service_desk/staff/catalogue_item.html", context, status=400 if form.errors else 200)


def _item_initial(item) -> dict:
    version = item.current
    return {
        "code": item.code,
        **{
            name: getattr(version, name)
            for name in (
                "name",
                "item_type",
                "deciding_level",
                "department_kind",
                "promised_days",
                "legal_days",
                "limits_verified",
                "channels",
                "citywide",
                "allows_deferral",
                "conditions",
                "fee",
                "retention_years",
                "name_en",
                "category",
                "keywords",
                "legal_basis",
                "phone",
            )
        },
        "materials_text": materials_to_text(version.materials),
        "steps_text": pairs_to_text(version.steps, "name", "name_en"),
        "faq_text": faq_to_text(version.faq),
        "forms_text": forms_to_text(version.forms),
    }


@require_POST
@desk_page(CATALOGUE_EDIT)
def catalogue_active(request, code: str):
    try:
        item_active_set(
            actor=request.actor,
            code=code,
            active=request.POST.get("active") == "1",
            reason=request.POST.get("reason", ""),
        )
    except DomainError as error:
        # the same page again, the withdraw form open with the reason asked for
        item = item_list(include_inactive=True).filter(code=code).first()
        if item is None:
            raise
        form = CatalogueItemForm(
            initial=_item_initial(item), item_types=ItemType.choices, departments=DepartmentKind.choices
        )
        context = {
            "form": form,
            "item": item,
            "versions": item_versions(item),
            "withdraw_error": error.fields[0].message,
        }
        return render(request, "service_desk/staff/catalogue_item.html", context, status=400)
    messages.success(request, _("Saved."))
    return redirect("portal:desk:catalogue-item", code=code)
