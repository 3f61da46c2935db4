"""Staff pages of the facility registry and the 15-minute life circle: the registry with XLSX
import and export, compliance tables (service-facility area per community, shelter per street,
short opening hours), the coverage map, analysis runs and the city's kinds. Each view: actor →
form → one service or selector → page; outside the scope a facility or run is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.domain import FACILITY_ANALYSE, FACILITY_EDIT, FACILITY_KIND_EDIT, FACILITY_VIEW
from linli.areas.selectors import map_view_settings, unit_names
from linli.core.errors import DomainError, not_found
from linli.core.forms import add_domain_errors
from linli.core.web import staff_page, xlsx_response
from linli.facilities.domain import FacilityStatus
from linli.facilities.exports import compliance_xlsx, registry_xlsx, run_xlsx, template_xlsx
from linli.facilities.imports import facilities_import
from linli.facilities.selectors import (
    area_choices,
    circle_distances,
    compliance_rows,
    compliance_summary,
    coverage_changes,
    district_summary,
    facility_get,
    facility_list,
    kind_get,
    kind_list,
    kinds_editable,
    network_current,
    plan_targets,
    run_figures,
    run_get,
    run_latest,
    run_list,
    run_previous,
    scope_root,
    shelter_rows,
    short_hours_by_district,
    short_hours_rows,
    siting_with_places,
    street_summary,
)
from linli.facilities.services import (
    FacilityInput,
    KindInput,
    RunInput,
    circle_distance_set,
    facility_save,
    kind_save,
)
from linli.facilities.tasks import analysis_queue
from linli.facilities.web.charts import area_chart, ratings_chart
from linli.facilities.web.forms import CirclesForm, FacilityForm, ImportForm, KindForm, RunForm

PAGE_SIZE = 50


def _xlsx(data: bytes, name: str) -> HttpResponse:
    return xlsx_response(data, f"{name}-{timezone.localdate():%Y%m%d}.xlsx")


def _with_unit_names(rows, path_field: str = "path"):
    """Each row gains `unit_name`, the name of the unit at its path (one query for all)."""
    names = unit_names({getattr(row, path_field) for row in rows})
    for row in rows:
        row.unit_name = names.get(getattr(row, path_field), getattr(row, path_field))
    return rows


# ---- registry ---------------------------------------------------------------------------------


@staff_page(FACILITY_VIEW)
def registry(request):
    actor = request.actor
    kind, status, q, under = (request.GET.get(k, "").strip() for k in ("kind", "status", "q", "under"))
    facilities = facility_list(actor=actor, kind=kind, status=status, q=q, under=under)
    if request.GET.get("format") == "xlsx":
        return _xlsx(registry_xlsx(actor=actor, kind=kind, under=under), "facilities")
    page = _with_unit_names(Paginator(facilities, PAGE_SIZE).get_page(request.GET.get("page")))
    return render(
        request,
        "facilities/staff/registry.html",
        {
            "page": page,
            "kinds": kind_list(),
            "statuses": FacilityStatus.choices,
            "areas": area_choices(actor=actor),
            "filters": {"kind": kind, "status": status, "q": q, "under": under},
            "may_edit": actor.has_perm(FACILITY_EDIT),
        },
    )


@staff_page(FACILITY_EDIT)
def facility_edit(request, public_id=None):
    actor = request.actor
    facility = facility_get(actor=actor, public_id=public_id) if public_id else None
    kinds = kind_list()
    initial = _initial(facility) if facility else {}
    form = FacilityForm(request.POST or None, kinds=kinds, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = facility_save(actor=actor, data=FacilityInput(**form.cleaned_data), public_id=public_id)
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("Facility saved: %(name)s") % {"name": saved.name})
            return redirect("portal:facilities:registry")
    return render(
        request,
        "facilities/staff/facility_form.html",
        {"form": form, "facility": facility, "map": map_view_settings(actor=actor)},
    )


def _initial(facility) -> dict:
    return {
        "kind": facility.kind.code,
        "name": facility.name,
        "unit": facility.path,
        "lat": facility.lat,
        "lng": facility.lng,
        "floor_area_m2": facility.floor_area_m2,
        "opening_hours": facility.opening_hours,
        "operator": facility.operator,
        "capacity": facility.capacity if facility.capacity is not None else "",
        "address": facility.address,
        "status": facility.status,
        "note": facility.note,
    }


@staff_page(FACILITY_EDIT)
def registry_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = facilities_import(actor=request.actor, data=form.cleaned_data["file"].read())
        except DomainError as exc:
            add_domain_errors(form, exc)
    return render(request, "facilities/staff/import.html", {"form": form, "result": result})


@staff_page(FACILITY_EDIT)
def registry_template(request):
    return _xlsx(template_xlsx(), "facilities-template")


# ---- compliance -------------------------------------------------------------------------------


@staff_page(FACILITY_VIEW)
def compliance(request):
    actor = request.actor
    root = scope_root(actor, request.GET.get("under", "").strip())
    if request.GET.get("format") == "xlsx":
        return _xlsx(compliance_xlsx(scope_path=root), "facility-compliance")
    context = _city_compliance(root) if len(root) < 6 else _area_compliance(root)
    context |= {"root": root, "areas_choice": area_choices(actor=actor), "targets": plan_targets(scope_path=root)}
    return render(request, "facilities/staff/compliance.html", context)


def _city_compliance(root: str) -> dict:
    """The city summarises first: one row per district (with a link to its page), its shelter
    row and how many facilities open too few hours; streets and communities one district at a
    time. A whole city's tables were 85,000 px tall and took seconds."""
    areas = compliance_rows(scope_path=root)
    districts = district_summary(areas)
    short = short_hours_by_district(scope_path=root)
    return {
        "districts": [(d, short.get(d.path, 0)) for d in districts],
        "summary": compliance_summary(areas),
        "chart": ratings_chart(districts, _("District")),
        "shelters": shelter_rows(scope_path=root, streets=False),
        "short_hours_total": sum(short.values()),
    }


def _area_compliance(root: str) -> dict:
    """A district (per street, then each community) or a street (each community)."""
    areas = compliance_rows(scope_path=root)
    streets = street_summary(areas) if len(root) < 9 else []
    return {
        "rows": areas,
        "streets": streets,
        "summary": compliance_summary(areas),
        "chart": ratings_chart(streets, _("Street")) if streets else area_chart(areas) if areas else None,
        "shelters": shelter_rows(scope_path=root),
        "short_hours": _with_unit_names(short_hours_rows(scope_path=root)),
    }


# ---- map --------------------------------------------------------------------------------------


@staff_page(FACILITY_VIEW)
def coverage_map(request):
    actor = request.actor
    run = run_latest(actor=actor)
    kinds = [k for k in kind_list() if k.circle]
    kind = request.GET.get("kind") or (run.params.get("site_kind") if run else "") or (kinds[0].code if kinds else "")
    figures = run_figures(actor=actor, run=run) if run else {}
    siting = siting_with_places(actor=actor, siting=figures.get("siting"))
    return render(
        request,
        "facilities/staff/map.html",
        {
            "run": run,
            "kinds": kinds,
            "kind": kind,
            "kind_figures": figures.get("coverage", {}).get(kind),
            "sites": siting if siting.get("kind") == kind else {},
            "map": map_view_settings(actor=actor),
        },
    )


# ---- runs -------------------------------------------------------------------------------------


@staff_page(FACILITY_VIEW)
def runs(request):
    actor = request.actor
    may_run = actor.has_perm(FACILITY_ANALYSE)
    form = RunForm(request.POST or None, areas=area_choices(actor=actor), kinds=kind_list()) if may_run else None
    if request.method == "POST" and may_run and form.is_valid():
        try:
            run = analysis_queue(actor=actor, data=RunInput(**form.cleaned_data))
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            return redirect("portal:facilities:run", run.public_id)
    page = _with_unit_names(Paginator(run_list(actor=actor), PAGE_SIZE).get_page(request.GET.get("page")), "scope_path")
    kinds = {k.code: k.name for k in kind_list(include_inactive=True)}
    for run in page:
        run.site_kind_name = kinds.get(run.params.get("site_kind", ""), "")
    context = {"form": form, "page": page, "network": network_current()}
    return render(request, "facilities/staff/runs.html", context, status=400 if form and form.errors else 200)


@staff_page(FACILITY_VIEW)
def run_page(request, public_id):
    actor = request.actor
    run = run_get(actor=actor, public_id=public_id)
    if request.GET.get("format") == "xlsx" and run.status == "done":
        return _xlsx(run_xlsx(actor=actor, run=run), f"facility-analysis-{run.created_at:%Y%m%d}")
    figures = run_figures(actor=actor, run=run)
    previous = run_previous(actor=actor, run=run)
    changes = coverage_changes(figures, run_figures(actor=actor, run=previous) if previous else None)
    kinds = {k.code: k for k in kind_list(include_inactive=True)}
    context = {
        "run": run,
        "previous": previous,
        "figures": figures,
        "coverage": [(kinds.get(code), data, changes.get(code)) for code, data in figures.get("coverage", {}).items()],
        "summary": compliance_summary(figures.get("compliance", [])),
        "site_kind": kinds.get((figures.get("siting") or {}).get("kind", "")),
        "siting": siting_with_places(actor=actor, siting=figures.get("siting")),
        "area_name": unit_names([run.scope_path]).get(run.scope_path, run.scope_path),
    }
    if request.htmx and run.status in ("queued", "running"):
        return render(request, "facilities/staff/run.html#progress", context)
    return render(request, "facilities/staff/run.html", context)


# ---- kinds (city data) ------------------------------------------------------------------------


@staff_page(FACILITY_VIEW)
def kinds(request):
    actor = request.actor
    may_edit = kinds_editable(actor)
    form = CirclesForm(request.POST or None, distances=circle_distances()) if may_edit else None
    if request.method == "POST" and may_edit and form.is_valid():
        try:
            for key, metres in form.cleaned_data.items():
                circle_distance_set(actor=actor, key=key, walk_distance_m=metres)
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("Walking distances saved."))
            return redirect("portal:facilities:kinds")
    return render(
        request,
        "facilities/staff/kinds.html",
        {
            "kinds": kind_list(include_inactive=True),
            "distances": circle_distances(),
            "form": form,
            "may_edit": may_edit,
        },
    )


@staff_page(FACILITY_KIND_EDIT)
def kind_edit(request, code):
    if not kinds_editable(request.actor):
        raise not_found("页面", "Page")
    kind = kind_get(code)
    form = KindForm(request.POST or None, initial=vars(kind))
    if request.method == "POST" and form.is_valid():
        try:
            kind_save(actor=request.actor, code=code, data=KindInput(**form.cleaned_data))
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("Facility kind saved."))
            return redirect("portal:facilities:kinds")
    return render(request, "facilities/staff/kind.html", {"form": form, "kind": kind})
