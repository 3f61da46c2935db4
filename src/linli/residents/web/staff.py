"""Staff pages of the resident pool. Each view: actor → form → one service or selector → page.
Scope, field sets and masking are the selectors'; outside the scope every page is a 404."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from linli.accounts.domain import ACCOUNTS_MANAGE, DESK_ACCEPT, RESIDENTS_EDIT, RESIDENTS_VIEW, RESIDENTS_VISIT, Role
from linli.areas.selectors import building_list, grid_get, grid_list, org_unit_children, org_unit_get, org_unit_top
from linli.core.errors import DomainError, not_found
from linli.core.web import staff_page as core_staff_page
from linli.core.workbench import PersonRef, person_groups
from linli.residents.domain import (
    FIELD_SETS,
    REVEAL_ROLES,
    SEALED_FIELDS,
    CareKind,
    ResidentStatus,
    exact_number_kind,
)
from linli.residents.selectors import (
    PoolRates,
    can_edit_reveal_rights,
    care_list,
    household_get,
    household_list,
    household_members,
    household_timeline,
    household_visits,
    pool_rates,
    pool_rates_by_child,
    resident_card,
    resident_cards,
    resident_get,
    resident_search,
    reveal_rights,
    visit_plan,
)
from linli.residents.services import (
    ResidentInput,
    home_visit_record,
    household_register,
    resident_add,
    resident_move,
    resident_reveal,
    resident_search_audit,
    reveal_rights_set,
)
from linli.residents.web.charts import rates_chart
from linli.residents.web.forms import (
    CareFilterForm,
    HouseholdForm,
    MoveForm,
    ResidentForm,
    RevealForm,
    RevealRightsForm,
    SearchForm,
    VisitForm,
    add_domain_errors,
)

FIELD_LABELS = {
    "name": gettext_lazy("Full name"),
    "gender": gettext_lazy("Gender"),
    "birth_date": gettext_lazy("Birth date"),
    "age": gettext_lazy("Age"),
    "ethnicity": gettext_lazy("Ethnicity"),
    "id_number": gettext_lazy("ID number"),
    "phone": gettext_lazy("Phone"),
    "relation": gettext_lazy("Relation to head"),
    "party_member": gettext_lazy("Party member"),
    "education": gettext_lazy("Education level"),
    "employment": gettext_lazy("Employment"),
    "disability": gettext_lazy("Disability"),
    "notes": gettext_lazy("Notes"),
    "care_groups": gettext_lazy("Care groups"),
    "address": gettext_lazy("Address"),
    "status": gettext_lazy("Status"),
}
PAGE_SIZE = 50


def staff_page(permission: str = RESIDENTS_VIEW):
    """Logged in, and holding `permission`; otherwise the page does not exist for them (404)."""
    return core_staff_page(permission)


def care_labels(kinds) -> list[str]:
    return [str(CareKind(k).label) for k in kinds or []]


def card_rows(card) -> list[dict]:
    """A card as labelled rows for a template: value shown, and whether it may be revealed."""
    rows = []
    for name, value in card.fields.items():
        if name == "care_groups":
            value = "、".join(care_labels(value)) or "—"
        elif isinstance(value, bool):
            value = _("Yes") if value else _("No")
        rows.append(
            {
                "name": name,
                "label": FIELD_LABELS.get(name, name),
                "value": value if value not in ("", None) else "—",
                "revealable": name in SEALED_FIELDS and name in card.revealable and value not in ("", None),
            }
        )
    return rows


def _can(request, permission: str) -> bool:
    return request.actor.has_perm(permission)


# --- search, resident card, reveal, move --------------------------------------------------


@staff_page()
def search(request):
    """One box. Sent by POST so that an ID number or phone never lands in a URL (history,
    proxy logs, Referer); `?q=` still works for links to names and addresses, but a whole ID or
    phone number in the URL is not looked up: the page comes back without it, with a note."""
    from_url = request.method != "POST"
    form = SearchForm(request.GET if from_url else request.POST)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    if from_url and exact_number_kind(q):
        # to the bare page: the number is neither looked up nor kept in the address bar or in
        # links built from the current address (the language switch's "next")
        messages.error(request, _("Type an ID or phone number into the box: it must not travel in a web address."))
        return redirect("portal:residents:search")
    found = list(resident_search(actor=request.actor, q=q)[:PAGE_SIZE]) if q else []
    if q:
        resident_search_audit(actor=request.actor, q=q, found=found)
    cards = resident_cards(actor=request.actor, residents=found)
    context = {"form": form, "q": q, "cards": cards}
    template = "residents/staff/search.html#results" if request.htmx else "residents/staff/search.html"
    return render(request, template, context)


@staff_page()
def resident_page(request, public_id):
    resident = resident_get(actor=request.actor, public_id=public_id)
    return _resident_render(request, resident, MoveForm())


def _resident_render(request, resident, move_form, status=200):
    card = resident_card(actor=request.actor, resident=resident)
    active = resident.status == ResidentStatus.ACTIVE
    person = PersonRef(public_id=str(resident.public_id), user_id=resident.user_id)
    context = {
        "resident": resident,
        "card": card,
        "rows": card_rows(card),
        "move_form": move_form,
        "can_edit": _can(request, RESIDENTS_EDIT) and active,
        "can_intake": _can(request, DESK_ACCEPT) and active,
        "can_visit": _can(request, RESIDENTS_VISIT) and active and resident.household_id is not None,
        "records": person_groups(actor=request.actor, person=person),
        "visits": household_visits(resident.household, limit=5) if resident.household_id else [],
    }
    return render(request, "residents/staff/resident.html", context, status=status)


@staff_page()
def reveal(request, public_id, field_name: str):
    """GET: the small form asking why; POST: the plaintext once, with a note that it was logged.
    HTMX swaps either into the card's row; without JavaScript it is a page of its own."""
    resident = resident_get(actor=request.actor, public_id=public_id)
    form = RevealForm(request.POST or None)
    context = {
        "resident": resident,
        "field": field_name,
        "label": FIELD_LABELS.get(field_name, field_name),
        "value": None,
    }
    if request.method == "POST" and form.is_valid():
        try:
            context["value"] = resident_reveal(
                actor=request.actor, resident=resident, field_name=field_name, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            if error.status not in (409, 422):
                raise
            add_domain_errors(form, error)
    context["form"] = form
    template = "residents/staff/reveal.html#reveal" if request.htmx else "residents/staff/reveal.html"
    # HTMX swaps only 2xx answers, so the form with its error comes back as 200 there
    return render(request, template, context, status=400 if form.errors and not request.htmx else 200)


@require_POST
@staff_page(RESIDENTS_EDIT)
def move(request, public_id):
    resident = resident_get(actor=request.actor, public_id=public_id)
    form = MoveForm(request.POST)
    if form.is_valid():
        household = resident.household
        try:
            data = {k: v for k, v in form.cleaned_data.items() if k != "confirm"}
            resident_move(actor=request.actor, resident=resident, **data)
        except DomainError as error:
            if error.status not in (409, 422):
                raise
            add_domain_errors(form, error)
        else:
            messages.success(request, _("%(name)s: the move was recorded.") % {"name": resident.name})
            return (
                redirect("portal:residents:household", household.public_id)
                if household
                else redirect("portal:residents:search")
            )
    return _resident_render(request, resident, form, status=400)


# --- households ---------------------------------------------------------------------------


@staff_page()
def households(request):
    """Pick a grid, then a building; the households of the choice, 50 to a page."""
    actor = request.actor
    community = request.GET.get("community", "")[:12]
    grids = grid_list(actor=actor, community=org_unit_get(actor=actor, code=community) if community else None)
    grid_code, building_code = request.GET.get("grid", "")[:15], request.GET.get("building", "")[:20]
    grid = grid_get(actor=actor, code=grid_code) if grid_code else None
    buildings = building_list(actor=actor, grid=grid).order_by("code") if grid else []
    page = None
    if grid or building_code:
        found = household_list(actor=actor, grid_path=grid.path if grid else "", building_code=building_code)
        page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "grids": grids.order_by("path"),
        "grid": grid,
        "buildings": buildings,
        "building_code": building_code,
        "community": community,
        "page": page,
        "can_edit": _can(request, RESIDENTS_EDIT),
    }
    return render(request, "residents/staff/households.html", context)


@staff_page()
def household_page(request, public_id):
    household = household_get(actor=request.actor, public_id=public_id)
    cards = resident_cards(actor=request.actor, residents=household_members(household))
    members = [{"card": c, "rows": card_rows(c)} for c in cards]
    groups = sorted({k for c in cards for k in c.fields.get("care_groups", [])})
    context = {
        "household": household,
        "members": members,
        "care_groups": care_labels(groups),
        "timeline": household_timeline(household),
        "can_edit": _can(request, RESIDENTS_EDIT),
        "can_visit": _can(request, RESIDENTS_VISIT),
    }
    return render(request, "residents/staff/household.html", context)


@staff_page(RESIDENTS_EDIT)
def household_new(request):
    buildings = building_list(actor=request.actor).order_by("code")[:2000]
    initial = {"building": request.GET.get("building", "")[:20]}
    form = HouseholdForm(request.POST or None, buildings=buildings, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            household = household_register(
                actor=request.actor,
                building_code=form.cleaned_data["building"],
                room=form.cleaned_data["room"],
                residence_type=form.cleaned_data["residence_type"],
            )
        except DomainError as error:
            if error.status not in (409, 422):
                raise
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Household registered. Now add its members."))
            return redirect("portal:residents:member-new", household.public_id)
    return render(request, "residents/staff/household_form.html", {"form": form}, status=400 if form.errors else 200)


@staff_page(RESIDENTS_EDIT)
def member_new(request, public_id):
    household = household_get(actor=request.actor, public_id=public_id)
    form = ResidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            resident = resident_add(actor=request.actor, household=household, data=ResidentInput(**form.cleaned_data))
        except DomainError as error:
            if error.status not in (409, 422):
                raise
            add_domain_errors(form, error)
        else:
            messages.success(request, _("%(name)s was added to the household.") % {"name": resident.name})
            return redirect("portal:residents:household", household.public_id)
    context = {"form": form, "household": household}
    return render(request, "residents/staff/member_form.html", context, status=400 if form.errors else 200)


# --- care lists, visit plan, visits, rates ------------------------------------------------


@staff_page()
def care(request):
    form = CareFilterForm(request.GET)
    kind, overdue = (form.cleaned_data["kind"], form.cleaned_data["overdue"]) if form.is_valid() else ("", False)
    rows = care_list(actor=request.actor, kind=kind, overdue_only=overdue)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = [{"row": row, "labels": care_labels(row.kinds)} for row in page]
    context = {"form": form, "page": page, "rows": shown, "total": len(rows)}
    return render(request, "residents/staff/care.html", context)


@staff_page(RESIDENTS_VISIT)
def plan(request):
    items = visit_plan(actor=request.actor)
    return render(request, "residents/staff/plan.html", {"items": items})


@staff_page(RESIDENTS_VISIT)
def visit_new(request):
    """The phone form: which household, what was found, whether someone must follow up."""
    actor = request.actor
    choices = [(str(i.household.public_id), _plan_label(i)) for i in visit_plan(actor=actor)]
    wanted = request.GET.get("household") or request.POST.get("household")
    if wanted and wanted not in {c[0] for c in choices}:
        chosen = household_get(actor=actor, public_id=_uuid(wanted))
        choices.insert(0, (str(chosen.public_id), str(chosen)))
    form = VisitForm(request.POST or None, households=choices, initial={"household": wanted})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        household = household_get(actor=actor, public_id=_uuid(data.pop("household")))
        try:
            home_visit_record(actor=actor, household=household, **data)
        except DomainError as error:
            if error.status not in (409, 422):
                raise
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Visit to %(household)s recorded.") % {"household": household})
            return redirect("portal:residents:plan")
    return render(request, "residents/staff/visit_form.html", {"form": form}, status=400 if form.errors else 200)


def _plan_label(item) -> str:
    names = "、".join(item.residents)
    return f"{item.household} · {names}" if names else str(item.household)


def _uuid(value: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise not_found("户", "Household") from None


@staff_page()
def rates(request, code: str = ""):
    actor = request.actor
    unit = org_unit_get(actor=actor, code=code) if code else org_unit_top(actor=actor).first()
    if unit is None:
        raise not_found("单位", "Org unit")
    children = list(org_unit_children(actor=actor, code=unit.code)) if unit.kind in CHILD_KIND else []
    rows = _children_rates(actor, unit, children)
    context = {
        "unit": unit,
        "rates": _sum_rates(rows) if rows else pool_rates(actor=actor, path=unit.path),
        "children": rows,
        "child_heading": CHILD_KIND.get(unit.kind, ""),
        "chart": rates_chart(unit.name, rows) if rows else None,
        "is_community": unit.kind in {"community", "village"},
    }
    return render(request, "residents/staff/rates.html", context)


# Units whose children the rates page lists, and what the children are called.
CHILD_KIND = {
    "city": gettext_lazy("By district"),
    "district": gettext_lazy("By street"),
    "street": gettext_lazy("By community"),
}


def _sum_rates(rows) -> PoolRates:
    """The unit's figures as the sum of its children's: every community lies under one child,
    so this is `pool_rates` of the unit without counting everything a second time."""
    total = PoolRates()
    for _child, figures in rows:
        total.add(figures)
    return total


def _children_rates(actor, unit, children):
    if not children:
        return []
    by_child = pool_rates_by_child(actor=actor, path=unit.path, child_length=len(children[0].path))
    return [(child, by_child.get(child.path, PoolRates())) for child in children]


# --- reveal rights (the city's table) -----------------------------------------------------


@staff_page(ACCOUNTS_MANAGE)
def reveal_rights_page(request):
    """The role × field matrix of who may reveal which sealed field, for the city's administrator:
    check boxes, a reason and a confirmation; each saved change is one audit line."""
    actor = request.actor
    if not can_edit_reveal_rights(actor):
        raise not_found("页面", "Page")
    current = reveal_rights()
    roles = [(role, Role(role).label) for role in REVEAL_ROLES]
    sealed = [(field_name, FIELD_LABELS[field_name]) for field_name in SEALED_FIELDS]
    form = RevealRightsForm(request.POST or None, current=current, roles=roles, fields=sealed)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                change = reveal_rights_set(
                    actor=actor, rights=form.rights(), reason=form.cleaned_data["reason"], seen=form.seen_rights()
                )
            except DomainError as error:
                if error.status not in (409, 422):
                    raise
                add_domain_errors(form, error)
                status = error.status
            else:
                if change.granted or change.revoked:
                    messages.success(request, _("Reveal rights saved; they apply from now on."))
                else:
                    messages.info(request, _("Nothing was changed."))
                return redirect("portal:residents:reveal-rights")
        status = 409 if status == 409 else 400
    without = [Role(role).label for role in FIELD_SETS if role not in REVEAL_ROLES]
    context = {"form": form, "rows": form.rows(), "sealed": sealed, "without": without}
    return render(request, "residents/staff/reveal_rights.html", context, status=status)
