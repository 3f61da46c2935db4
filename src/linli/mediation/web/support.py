"""Safe community, stage support: the restricted support cases' staff pages (thin: parse, one
service or selector, render).

The restricted list (holders and the assigned worker; names masked), opening a case (holders),
one case (what it is; read in clear only with a reason, logged each time; entries; assignment and
closing for holders), the exports (masked; unmasked with a reason, holders only), the lead form
any staff worker files a domestic-violence lead with, and the filer's receipts. A page or a case
the actor may not read is the same 404 as a missing one."""

from __future__ import annotations

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from linli.areas.selectors import community_paths, unit_names
from linli.core.errors import DomainError, not_found
from linli.core.forms import DateInput, add_domain_errors, needed
from linli.core.web import xlsx_response
from linli.mediation.domain.support import EntryKind, SupportKind, SupportState
from linli.mediation.selectors import support as sel
from linli.mediation.services import support as svc
from linli.residents.selectors import care_people_search, care_person

PAGE_SIZE = 30
DATE = DateInput()


def _page_for(allowed):
    """A staff page that exists only for actors `allowed(actor)` says yes to (404 otherwise)."""

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not allowed(request.actor):
                raise not_found("页面", "Page")
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


readers_page = _page_for(sel.may_read_any)  # holders, and staff accounts assigned a case
holders_page = _page_for(sel.may_hold)
filers_page = _page_for(svc.may_file_lead)


# ---- forms -----------------------------------------------------------------------------------


class OpenForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of support"), choices=SupportKind.choices)
    person_ref = forms.CharField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=gettext_lazy("Name (when not in the resident pool)"), max_length=50, required=False)
    path = forms.ChoiceField(label=gettext_lazy("Community"), required=False)
    plan = forms.CharField(
        label=gettext_lazy("Support plan (kept sealed)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    opened_on = forms.DateField(label=gettext_lazy("Support began on (if before today)"), widget=DATE, required=False)
    until = forms.DateField(label=gettext_lazy("Support until"), widget=DATE, required=False)
    assigned = forms.CharField(label=gettext_lazy("Assigned worker (staff account)"), max_length=150, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        held = sel.held_kinds(actor)
        self.fields["kind"].choices = [(k, label) for k, label in SupportKind.choices if k in held]
        self.fields["path"].choices = [("", "—"), *community_paths(actor=actor)]


class LeadForm(forms.Form):
    person_ref = forms.CharField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=gettext_lazy("Name (when not in the resident pool)"), max_length=50, required=False)
    path = forms.ChoiceField(label=gettext_lazy("Community"), required=False)
    what_was_seen = needed(
        forms.CharField(
            label=gettext_lazy("What you saw or heard"), widget=forms.Textarea(attrs={"rows": 5}), required=False
        )
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["path"].choices = [("", "—"), *_communities_near(actor)]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason for reading"), max_length=300)


class EntryForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of entry"), choices=EntryKind.choices)
    on = forms.DateField(label=gettext_lazy("Day"), widget=DATE, required=False)
    note = forms.CharField(
        label=gettext_lazy("Note (kept sealed)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class AssignForm(forms.Form):
    assigned = forms.CharField(label=gettext_lazy("Assigned worker (staff account)"), max_length=150, required=False)


class CloseForm(forms.Form):
    reason = needed(
        forms.CharField(
            label=gettext_lazy("Reason for closing (kept sealed)"),
            widget=forms.Textarea(attrs={"rows": 2}),
            required=False,
        )
    )
    confirmed = forms.BooleanField(
        label=gettext_lazy("I confirm closing this case; it cannot be reopened"), required=False
    )


class ExportForm(forms.Form):
    reason = needed(forms.CharField(label=gettext_lazy("Reason for exporting names"), max_length=300, required=False))


def _posted_form(request) -> tuple[str, object]:
    """(the person search's text, the form's data). The search is posted, so a name never lands
    in a URL or an access log; a search posts no form."""
    if request.method != "POST":
        return "", None
    if "search" in request.POST:
        return request.POST.get("q", "").strip()[:40], None
    return "", request.POST


def _communities_near(actor) -> list[tuple[str, str]]:
    """The communities a worker may file a lead for: their scope's, or (a grid worker) their grid's."""
    found = community_paths(actor=actor)
    if found:
        return found
    names = unit_names({p[:12] for p in actor.scope_paths if len(p) > 12})
    return sorted(names.items())


# ---- the list, opening, exports -------------------------------------------------------------


@readers_page
def case_list(request):
    actor = request.actor
    kind, state = request.GET.get("kind", ""), request.GET.get("state", "open")
    cases = sel.support_case_list(actor=actor, kind=kind, state=state)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": sel.support_rows(page.object_list),
        "kind": kind,
        "state": state,
        "kinds": SupportKind.choices,
        "states": SupportState.choices,
        "holder": sel.may_hold(actor),
        "export_form": ExportForm(),
    }
    return render(request, "mediation/staff/support/list.html", context)


@holders_page
def case_open(request):
    actor, (q, data) = request.actor, _posted_form(request)
    form = OpenForm(data, actor=actor, initial={"person_ref": request.GET.get("person", "")})
    if data is not None and form.is_valid():
        try:
            case = svc.support_case_open(actor=actor, data=svc.SupportCaseInput(**form.cleaned_data))
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("The case is opened."))
            return redirect("portal:mediation:support-case", case.public_id)
    people = care_people_search(actor=actor, q=q) if q else []
    ref = request.GET.get("person") or request.POST.get("person_ref", "")
    chosen = care_person(actor=actor, public_id=ref) if ref else None
    context = {"form": form, "q": q, "people": people, "chosen": chosen}
    return render(request, "mediation/staff/support/open.html", context, status=422 if form.errors else 200)


@readers_page
def export(request):
    """GET: the masked export of what the actor reads; POST: the unmasked one, with a reason."""
    actor, params = request.actor, request.POST if request.method == "POST" else request.GET
    kind, state = params.get("kind", ""), params.get("state", "")
    unmasked = request.method == "POST"
    try:
        content = svc.support_export(
            actor=actor, kind=kind, state=state, unmasked=unmasked, reason=params.get("reason", "")
        )
    except DomainError as error:
        if error.status == 404:
            raise
        form = ExportForm(request.POST)
        add_domain_errors(form, error)
        context = {"export_form": form, "kind": kind, "state": state}
        return render(request, "mediation/staff/support/export.html", context, status=422)
    name = _("support-cases-with-names.xlsx") if unmasked else _("support-cases.xlsx")
    return xlsx_response(content, name)


# ---- one case --------------------------------------------------------------------------------


def _case_page(request, public_id, reason: str, given=None, status=200, read=False):
    actor, given = request.actor, given or {}
    view = svc.support_case_read(actor=actor, public_id=public_id, reason=reason) if read or reason else None
    case = view.case if view else sel.support_case_get(actor=actor, public_id=public_id)
    context = {
        "case": case,
        "view": view,
        "reason": reason,
        "community": unit_names([case.path]).get(case.path, ""),
        "reason_form": given.get("reason") or ReasonForm(),
        "entry_form": given.get("entry") or EntryForm(initial={"on": DATE.format_value(timezone.localdate())}),
        "assign_form": given.get("assign") or AssignForm(),
        "close_form": given.get("close") or CloseForm(),
    }
    return render(request, "mediation/staff/support/case.html", context, status=status)


@readers_page
def case(request, public_id):
    """GET: what the case is (number, kind, state, dates) and the reason form; POST: read it."""
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


ACTS = {
    "entry": (EntryForm, _("The entry is recorded.")),
    "assign": (AssignForm, _("The worker is assigned and told.")),
    "close": (CloseForm, _("The case is closed.")),
}


def _act(actor, public_id, which: str, form):
    data = form.cleaned_data
    if which == "entry":
        return svc.support_entry_add(
            actor=actor, public_id=public_id, kind=data["kind"], on=data.get("on"), note=data.get("note", "")
        )
    if which == "assign":
        return svc.support_assign(actor=actor, public_id=public_id, username=data.get("assigned", ""))
    return svc.support_case_close(
        actor=actor, public_id=public_id, reason=data.get("reason", ""), confirmed=bool(data.get("confirmed"))
    )


@readers_page
@require_POST
def case_act(request, public_id):
    which = request.POST.get("act", "")
    if which not in ACTS:
        raise not_found("页面", "Page")
    form_class, done = ACTS[which]
    form, reason = form_class(request.POST), request.POST.get("read_reason", "")
    if not form.is_valid():
        return _case_page(request, public_id, reason, {which: form}, status=422)
    try:
        _act(request.actor, public_id, which, form)
    except DomainError as error:
        if error.status == 404:
            raise
        add_domain_errors(form, error)
        return _case_page(request, public_id, reason, {which: form}, status=error.status)
    messages.success(request, str(done))
    return _case_page(request, public_id, reason)


# ---- the lead form and the filer's receipts -------------------------------------------------


@filers_page
def lead(request):
    actor, (q, data) = request.actor, _posted_form(request)
    form = LeadForm(data, actor=actor, initial={"person_ref": request.GET.get("person", "")})
    if data is not None and form.is_valid():
        try:
            filed = svc.support_lead_file(actor=actor, **form.cleaned_data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            return redirect("portal:mediation:support-receipt", filed.number)
    people = care_people_search(actor=actor, q=q) if q else []
    ref = request.GET.get("person") or request.POST.get("person_ref", "")
    chosen = care_person(actor=actor, public_id=ref) if ref else None
    context = {"form": form, "q": q, "people": people, "chosen": chosen}
    return render(request, "mediation/staff/support/lead.html", context, status=422 if form.errors else 200)


@filers_page
def receipts(request):
    return render(request, "mediation/staff/support/receipts.html", {"receipts": sel.my_receipts(actor=request.actor)})


@filers_page
def receipt(request, number):
    found = sel.receipt_get(actor=request.actor, number=number)
    return render(request, "mediation/staff/support/receipt.html", {"receipt": found})


staff_urls = [
    path("support/", case_list, name="support-list"),
    path("support/open/", case_open, name="support-open"),
    path("support/export/", export, name="support-export"),
    path("support/lead/", lead, name="support-lead"),
    path("support/receipts/", receipts, name="support-receipts"),
    path("support/receipts/<str:number>/", receipt, name="support-receipt"),
    path("support/<uuid:public_id>/", case, name="support-case"),
    path("support/<uuid:public_id>/act/", case_act, name="support-act"),
]
resident_urls: list = []
