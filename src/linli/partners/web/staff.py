"""Staff pages of social organisations: the register (list with filters and XLSX export, import
with its error list and template, an organisation's page with its evaluations and accounts), the
scoring sheet, social-work stations with their social workers, premises, and the figures. Each
view: actor → form → one service or selector → page; outside the scope an object is a 404."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from linli.accounts.domain import PARTNERS_EDIT, PARTNERS_VIEW
from linli.core.errors import DomainError
from linli.core.forms import add_domain_errors
from linli.core.web import staff_page, xlsx_response
from linli.partners import selectors as sel
from linli.partners.domain import (
    BASELINE_ORGS,
    GRADES,
    CertificateLevel,
    OrgKind,
    OrgStatus,
    PremisesStatus,
    criteria_from_data,
)
from linli.partners.exports import register_xlsx, template_xlsx
from linli.partners.imports import social_orgs_import
from linli.partners.services import (
    OrgInput,
    PremisesInput,
    StationInput,
    WorkerInput,
    evaluation_record,
    member_link,
    member_unlink,
    premises_save,
    premises_transition,
    sheet_ensure_default,
    sheet_save,
    social_org_deregister,
    social_org_phone_reveal,
    social_org_save,
    station_save,
    worker_save,
)
from linli.partners.web.charts import figures_charts
from linli.partners.web.forms import (
    DeregisterForm,
    EvaluationForm,
    ImportForm,
    MemberForm,
    OrgForm,
    PremisesForm,
    PremisesUseForm,
    ReasonForm,
    SheetForm,
    StationForm,
    WorkerForm,
)

PAGE_SIZE = 50
VIEW = (PARTNERS_VIEW, PARTNERS_EDIT)


def _xlsx(data: bytes, name: str) -> HttpResponse:
    return xlsx_response(data, f"{name}-{timezone.localdate():%Y%m%d}.xlsx")


def _with_unit_names(rows, field: str = "unit_path"):
    names = sel.unit_name_map({getattr(row, field) for row in rows})
    for row in rows:
        row.unit_name = names.get(getattr(row, field), getattr(row, field))
    return rows


# ---- the register ---------------------------------------------------------------------------------


def _filters(request) -> dict[str, str]:
    keys = ("kind", "status", "grade", "under", "q")
    found = {k: request.GET.get(k, "").strip()[:40] for k in keys}
    found["active"] = request.GET.get("active", "1")
    return found


@staff_page(*VIEW)
def home(request):
    """The register. An organiser with one organisation goes straight to its page."""
    actor = request.actor
    if not sel.staff_may_view(actor):
        own = list(sel.social_org_list(actor=actor)[:2])
        if len(own) == 1:
            return redirect("portal:partners:org", own[0].public_id)
    filters = _filters(request)
    todo = request.GET.get("todo", "")
    today = timezone.localdate()
    if todo == "unevaluated":
        orgs = sel.orgs_without_evaluation(actor=actor, year=today.year)
    elif todo == "filed_overdue":
        orgs = sel.filed_orgs_overdue(actor=actor, today=today)
    else:
        orgs = sel.social_org_list(actor=actor, **filters)
    if request.GET.get("format") == "xlsx":
        return _xlsx(register_xlsx(actor=actor, **filters), "social-organisations")
    page = _with_unit_names(Paginator(orgs, PAGE_SIZE).get_page(request.GET.get("page")))
    return render(
        request,
        "partners/staff/register.html",
        {
            "page": page,
            "kinds": OrgKind.choices,
            "statuses": OrgStatus.choices,
            "grades": GRADES,
            "areas": sel.unit_choices(actor=actor, kinds=("district", "street")) if sel.staff_may_view(actor) else [],
            "filters": filters,
            "todo": todo,
            "may_edit": sel.may_edit(actor),
        },
    )


def _org_units(actor) -> list[tuple[str, str]]:
    units = sel.unit_choices(actor=actor)
    if actor.citywide:
        units = sel.unit_choices(actor=actor, kinds=("city",)) + units
    return units


@staff_page(PARTNERS_EDIT)
def org_edit(request, public_id=None):
    actor = request.actor
    org = sel.social_org_get(actor=actor, public_id=public_id) if public_id else None
    initial = _org_initial(org) if org else {"status": OrgStatus.FILED}
    form = OrgForm(request.POST or None, units=_org_units(actor), initial=initial, phone_kept=org is not None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = social_org_save(actor=actor, data=OrgInput(**form.cleaned_data), public_id=public_id)
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("Organisation saved: %(name)s") % {"name": saved.name})
            return redirect("portal:partners:org", saved.public_id)
    return render(request, "partners/staff/org_form.html", {"form": form, "org": org})


def _org_initial(org) -> dict:
    return {
        "name": org.name,
        "name_en": org.name_en,
        "kind": org.kind,
        "status": org.status,
        "credit_code": org.credit_code,
        "unit": org.unit_path,
        "citywide": org.citywide,
        "responsible_name": org.responsible_name,
        "premises": org.premises,
        "services": org.services,
        "founded_on": org.founded_on,
        "filed_on": org.filed_on,
    }


@staff_page(*VIEW)
def org_detail(request, public_id):
    return _org_page(request, public_id)


def _org_page(request, public_id, *, phone: str = "", reveal_form=None):
    actor = request.actor
    org = sel.social_org_get(actor=actor, public_id=public_id)
    org.unit_name = sel.unit_name_map([org.unit_path]).get(org.unit_path, org.unit_path)
    editable = sel.social_org_editable(actor=actor, org=org)
    evaluations = list(sel.evaluation_list(org=org))
    language = translation.get_language()
    for evaluation in evaluations:
        evaluation.lines = [
            (c.label(language), evaluation.scores.get(c.key, "—"), c.max_points)
            for c in criteria_from_data(evaluation.criteria)
        ]
    return render(
        request,
        "partners/staff/org.html",
        {
            "org": org,
            "evaluations": evaluations,
            "members": sel.members_of(org=org) if editable else [],
            "editable": editable,
            "member_form": MemberForm(),
            "reveal_form": reveal_form or ReasonForm(),
            "phone": phone,
        },
    )


@staff_page(PARTNERS_EDIT)
def org_deregister(request, public_id):
    actor = request.actor
    org = sel.social_org_get(actor=actor, public_id=public_id)
    form = DeregisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            social_org_deregister(actor=actor, public_id=public_id, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("%(name)s was deregistered.") % {"name": org.name})
            return redirect("portal:partners:org", org.public_id)
    return render(request, "partners/staff/deregister.html", {"form": form, "org": org})


@staff_page(PARTNERS_EDIT)
def org_phone(request, public_id):
    """Reveal the responsible person's phone with a reason (audited): shown on this answer only,
    never kept in the session."""
    if request.method != "POST":
        return redirect("portal:partners:org", public_id)
    form = ReasonForm(request.POST)
    phone = ""
    if form.is_valid():
        try:
            phone = social_org_phone_reveal(
                actor=request.actor, public_id=public_id, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
    return _org_page(request, public_id, phone=phone, reveal_form=form)


@staff_page(PARTNERS_EDIT)
def org_members(request, public_id):
    if request.method != "POST":
        return redirect("portal:partners:org", public_id)
    username = request.POST.get("username", "").strip()
    try:
        if request.POST.get("action") == "unlink":
            member_unlink(actor=request.actor, public_id=public_id, username=username)
            messages.success(request, _("Account %(username)s unlinked.") % {"username": username})
        else:
            member_link(actor=request.actor, public_id=public_id, username=username)
            messages.success(request, _("Account %(username)s linked.") % {"username": username})
    except DomainError as exc:
        messages.error(request, str(exc.fields[0].message if exc.fields else exc.message))
    return redirect("portal:partners:org", public_id)


@staff_page(PARTNERS_EDIT)
def org_evaluate(request, public_id):
    actor = request.actor
    org = sel.social_org_get(actor=actor, public_id=public_id)
    sheet = sheet_ensure_default()
    criteria = criteria_from_data(sheet.criteria)
    initial = {"year": timezone.localdate().year}
    form = EvaluationForm(request.POST or None, criteria=criteria, language=translation.get_language(), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = evaluation_record(
                actor=actor,
                public_id=public_id,
                year=form.cleaned_data["year"],
                scores=form.scores(),
                note=form.cleaned_data["note"],
                sheet_id=sheet.pk,
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(
                request,
                _("Evaluation saved: %(total)s points, grade %(grade)s")
                % {"total": evaluation.total, "grade": evaluation.grade or _("not graded")},
            )
            return redirect("portal:partners:org", org.public_id)
    return render(request, "partners/staff/evaluate.html", {"form": form, "org": org, "sheet": sheet})


@staff_page(PARTNERS_EDIT)
def register_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = social_orgs_import(actor=request.actor, data=form.cleaned_data["file"].read())
        except DomainError as exc:
            add_domain_errors(form, exc)
    return render(request, "partners/staff/import.html", {"form": form, "result": result})


@staff_page(PARTNERS_EDIT)
def register_template(request):
    return _xlsx(template_xlsx(), "social-organisations-template")


# ---- the scoring sheet --------------------------------------------------------------------------------


def _sheet_lines(sheet) -> tuple[str, str]:
    criteria = "\n".join(
        f"{c['key']} | {c['name']} | {c.get('name_en', '')} | {c['max_points']} | {c.get('weight', 1)}"
        for c in sheet.criteria
    )
    thresholds = "\n".join(f"{grade} | {minimum:g}" for grade, minimum in sheet.thresholds)
    return criteria, thresholds


def _parse_sheet(form) -> tuple[list[dict], list[list]]:
    criteria = []
    for line in form.cleaned_data["criteria"].splitlines():
        parts = [p.strip() for p in line.split("|")]
        if len(parts) == 5 and all(parts[:2]):
            key, name, name_en, max_points, weight = parts
            criteria.append({"key": key, "name": name, "name_en": name_en, "max_points": max_points, "weight": weight})
        elif line.strip():
            form.add_error("criteria", _("This line is not key | name | English name | maximum | weight: %s") % line)
    thresholds = []
    for line in form.cleaned_data["thresholds"].splitlines():
        parts = [p.strip() for p in line.split("|")]
        try:
            thresholds.append([parts[0], float(parts[1])])
        except (IndexError, ValueError):
            if line.strip():
                form.add_error("thresholds", _("This line is not grade | minimum: %s") % line)
    return criteria, thresholds


@staff_page(*VIEW)
def sheet(request):
    actor = request.actor
    current = sheet_ensure_default()
    editable = sel.may_edit(actor) and actor.citywide
    criteria, thresholds = _sheet_lines(current)
    form = SheetForm(
        request.POST or None,
        initial={"name": current.name, "criteria": criteria, "thresholds": thresholds, "verified": current.verified},
    )
    if editable and request.method == "POST" and form.is_valid():
        rows, grades = _parse_sheet(form)
        if not form.errors:
            try:
                sheet_save(
                    actor=actor,
                    sheet_id=current.pk,
                    name=form.cleaned_data["name"],
                    criteria=rows,
                    thresholds=grades,
                    verified=form.cleaned_data["verified"],
                )
            except DomainError as exc:
                add_domain_errors(form, exc)
            else:
                messages.success(request, _("Scoring sheet saved."))
                return redirect("portal:partners:sheet")
    language = translation.get_language()
    return render(
        request,
        "partners/staff/sheet.html",
        {
            "sheet": current,
            "criteria": [(c.label(language), c.max_points, c.weight) for c in criteria_from_data(current.criteria)],
            "form": form,
            "editable": editable,
        },
    )


# ---- stations and social workers -----------------------------------------------------------------------


@staff_page(*VIEW)
def stations(request):
    actor = request.actor
    under, brand = request.GET.get("under", "").strip(), request.GET.get("brand", "")
    page = _with_unit_names(
        Paginator(sel.station_list(actor=actor, under=under, brand=brand), PAGE_SIZE).get_page(request.GET.get("page")),
        "street_path",
    )
    return render(
        request,
        "partners/staff/stations.html",
        {
            "page": page,
            "areas": sel.unit_choices(actor=actor, kinds=("district", "street")),
            "filters": {"under": under, "brand": brand},
            "may_edit": sel.may_edit(actor),
            "missing": len(sel.streets_without_station(actor=actor)),
        },
    )


@staff_page(PARTNERS_EDIT)
def station_edit(request, public_id=None):
    actor = request.actor
    station = sel.station_get(actor=actor, public_id=public_id) if public_id else None
    streets = sel.streets_without_station(actor=actor)
    initial = {}
    if station:
        streets = [
            (station.street_path, sel.unit_name_map([station.street_path]).get(station.street_path, "")),
            *streets,
        ]
        initial = {
            k: getattr(station, k) for k in ("name", "address", "opened_on", "brand", "brand_year", "brand_reason")
        } | {"street": station.street_path}
    form = StationForm(request.POST or None, streets=streets, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = station_save(actor=actor, data=StationInput(**form.cleaned_data), public_id=public_id)
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("Station saved: %(name)s") % {"name": saved.name})
            return redirect("portal:partners:station", saved.public_id)
    return render(request, "partners/staff/station_form.html", {"form": form, "station": station})


@staff_page(*VIEW)
def station_detail(request, public_id):
    actor = request.actor
    station = sel.station_get(actor=actor, public_id=public_id)
    station.unit_name = sel.unit_name_map([station.street_path]).get(station.street_path, "")
    return render(
        request,
        "partners/staff/station.html",
        {
            "station": station,
            "workers": sel.worker_list(actor=actor, station=station),
            "may_edit": sel.may_edit(actor),
        },
    )


@staff_page(PARTNERS_EDIT)
def worker_edit(request, station_id, public_id=None):
    actor = request.actor
    station = sel.station_get(actor=actor, public_id=station_id)
    worker = sel.worker_get(actor=actor, public_id=public_id) if public_id else None
    initial = (
        {k: getattr(worker, k) for k in ("name", "certificate_level", "certificate_number", "since", "active")}
        if worker
        else {"active": True, "certificate_level": CertificateLevel.NONE}
    )
    form = WorkerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            worker_save(actor=actor, station_id=station_id, data=WorkerInput(**form.cleaned_data), public_id=public_id)
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("Social worker saved: %(name)s") % {"name": form.cleaned_data["name"]})
            return redirect("portal:partners:station", station.public_id)
    return render(request, "partners/staff/worker_form.html", {"form": form, "station": station, "worker": worker})


# ---- premises --------------------------------------------------------------------------------------------


@staff_page(*VIEW)
def premises(request):
    actor = request.actor
    status, under = request.GET.get("status", ""), request.GET.get("under", "").strip()
    if request.GET.get("todo") == "ending":
        rows = sel.premises_terms_ending(actor=actor, today=timezone.localdate())
    else:
        rows = sel.premises_list(actor=actor, status=status, under=under)
    page = _with_unit_names(Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")), "path")
    return render(
        request,
        "partners/staff/premises.html",
        {
            "page": page,
            "statuses": PremisesStatus.choices,
            "areas": sel.unit_choices(actor=actor, kinds=("district", "street")),
            "filters": {"status": status, "under": under},
            "may_edit": sel.may_edit(actor),
            "today": timezone.localdate(),
        },
    )


@staff_page(PARTNERS_EDIT)
def premises_edit(request, public_id=None):
    actor = request.actor
    found = sel.premises_get(actor=actor, public_id=public_id) if public_id else None
    initial = (
        {
            k: getattr(found, k)
            for k in ("offerer", "state_owned", "address", "area_m2", "term_from", "term_to", "conditions")
        }
        | {"unit": found.path}
        if found
        else {}
    )
    form = PremisesForm(request.POST or None, units=sel.unit_choices(actor=actor), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = premises_save(actor=actor, data=PremisesInput(**form.cleaned_data), public_id=public_id)
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("Premises saved."))
            return redirect("portal:partners:premises-detail", saved.public_id)
    return render(request, "partners/staff/premises_form.html", {"form": form, "premises": found})


@staff_page(*VIEW)
def premises_detail(request, public_id):
    actor = request.actor
    found = sel.premises_get(actor=actor, public_id=public_id)
    names = sel.unit_name_map([found.path, found.community_path])
    found.unit_name = names.get(found.path, found.path)
    found.community_name = names.get(found.community_path, "")
    use_form = PremisesUseForm(
        request.POST if request.POST.get("to") == PremisesStatus.IN_USE else None,
        communities=sel.unit_choices(actor=actor, kinds=("community", "village")),
        initial={"opened_on": timezone.localdate()},
    )
    return_form = ReasonForm(request.POST if request.POST.get("to") == PremisesStatus.RETURNED else None)
    if request.method == "POST" and sel.may_edit(actor):
        to = request.POST.get("to", "")
        form = use_form if to == PremisesStatus.IN_USE else return_form
        if form.is_valid():
            try:
                premises_transition(actor=actor, public_id=public_id, to=to, **form.cleaned_data)
            except DomainError as exc:
                add_domain_errors(form, exc)
            else:
                messages.success(request, _("Premises updated."))
                return redirect("portal:partners:premises-detail", public_id)
    return render(
        request,
        "partners/staff/premises_detail.html",
        {"premises": found, "use_form": use_form, "return_form": return_form, "may_edit": sel.may_edit(actor)},
    )


# ---- figures ---------------------------------------------------------------------------------------------


@staff_page(*VIEW)
def figures(request):
    actor = request.actor
    if not sel.staff_may_view(actor):
        return redirect("portal:partners:home")
    data = sel.partner_figures(actor=actor, under=request.GET.get("under", "").strip())
    return render(
        request,
        "partners/staff/figures.html",
        {
            "figures": data,
            "charts": figures_charts(data),
            "kinds": OrgKind.choices,
            "grades": GRADES,
            "areas": sel.unit_choices(actor=actor, kinds=("city", "district", "street")),
            "baseline": BASELINE_ORGS,
            "is_city": len(data.root_path) <= 4,
        },
    )


def _today() -> date:
    return timezone.localdate()
