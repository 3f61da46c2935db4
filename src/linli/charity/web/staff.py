"""Staff pages of charity and micro-funds: the needs queue, a need with its proposals, matches and
timeline; offers (and walk-in donors); micro-funds with their ledger, payments waiting for a
decision and the XLSX export; figures. Each view: actor → form → one service or selector → page;
outside the scope a need, offer or fund is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.accounts.domain import CHARITY_MANAGE, CHARITY_OFFER
from linli.areas.selectors import community_paths
from linli.charity.decision_routes import decision_links
from linli.charity.domain import (
    PLACE_LABELS,
    EntryKind,
    Kind,
    NeedState,
    actions_from,
    category_label,
    step_label,
    yuan,
)
from linli.charity.exports import ledger_xlsx
from linli.charity.selectors import (
    community_names,
    figures,
    fund_entries,
    fund_get,
    fund_list,
    fund_totals,
    manages,
    match_get,
    match_list,
    need_counts,
    need_get,
    need_list,
    need_matches,
    need_proposals,
    need_steps,
    offer_get,
    offer_list,
    requests_waiting,
)
from linli.charity.services import (
    CorrectionInput,
    DonationInput,
    FundInput,
    NeedInput,
    OfferInput,
    PaymentInput,
    RequestInput,
    correction_record,
    donation_record,
    fund_save,
    match_cancel,
    match_confirm,
    match_deliver,
    need_act,
    need_note,
    need_post,
    offer_contact,
    offer_post,
    payment_record,
    payment_request,
    request_withdraw,
)
from linli.charity.web.charts import money_chart, needs_chart
from linli.charity.web.forms import (
    CorrectionForm,
    DonationForm,
    FundForm,
    MatchForm,
    NeedForm,
    NoteForm,
    OfferForm,
    PaymentForm,
    RequestForm,
)
from linli.core.errors import DomainError, not_found
from linli.core.forms import add_domain_errors
from linli.core.web import staff_page, xlsx_response

PAGE_SIZE = 30


def _communities(actor) -> list[tuple[str, str]]:
    return community_paths(actor=actor)


def _names(rows, attr: str = "community_path"):
    names = community_names({getattr(r, attr) for r in rows})
    for row in rows:
        row.community_name = names.get(getattr(row, attr), getattr(row, attr))
    return rows


# ---------------------------------------------------------------- needs


@staff_page(CHARITY_MANAGE, CHARITY_OFFER)
def home(request):
    """The needs queue of the actor's area with counts per state (a donor's account, which has no
    queue, is sent to its own offers)."""
    actor = request.actor
    if not manages(actor):
        return redirect("portal:giving:my")
    state = request.GET.get("state", "open")
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "").strip()[:40]
    needs = need_list(actor=actor, state="" if state == "all" else state, kind=kind, q=q)
    page = Paginator(needs, PAGE_SIZE).get_page(request.GET.get("page"))
    _names(page.object_list)
    counts = need_counts(actor=actor)
    tabs = [(value, label, counts.get(value, 0)) for value, label in NeedState.choices]
    return render(
        request,
        "charity/staff/home.html",
        {
            "page": page,
            "tabs": tabs,
            "state": state,
            "kind": kind,
            "q": q,
            "kinds": Kind.choices,
            "overdue": counts["overdue"],
            "today": timezone.localdate(),
            "section": "needs",
        },
    )


@staff_page(CHARITY_MANAGE)
def need_new(request):
    actor = request.actor
    communities = _communities(actor)
    form = NeedForm(request.POST or None, communities=communities)
    if request.method == "POST" and form.is_valid():
        try:
            need = need_post(actor=actor, data=NeedInput(**form.cleaned_data))
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Need posted: %(title)s") % {"title": need.title})
            return redirect("portal:charity:need", public_id=need.public_id)
    return render(request, "charity/staff/need_form.html", {"form": form, "section": "needs"})


def _need_page(request, need, *, failed: str = "", failed_id: str = "", form=None, status: int = 200):
    actor = request.actor
    proposals = need_proposals(need=need)
    matches = need_matches(need)
    steps = [(s, step_label(s.action)) for s in need_steps(need)]
    actions = [a for a in actions_from(need.state) if a in {"acknowledge", "close"}]
    return render(
        request,
        "charity/staff/need.html",
        {
            "need": need,
            "community": community_names([need.community_path]).get(need.community_path, ""),
            "category": category_label(need.category),
            "note": need_note(actor=actor, need=need),
            "proposals": [(row, PLACE_LABELS[row.proposal.place_rank]) for row in proposals],
            "matches": matches,
            "steps": steps,
            "actions": actions,
            "failed": failed,
            "failed_id": failed_id,
            "form": form,
            "section": "needs",
        },
        status=status,
    )


@staff_page(CHARITY_MANAGE)
def need(request, public_id):
    return _need_page(request, need_get(actor=request.actor, public_id=public_id))


@require_POST
@staff_page(CHARITY_MANAGE)
def need_match(request, public_id):
    actor = request.actor
    found = need_get(actor=actor, public_id=public_id)
    form = MatchForm(request.POST)
    if form.is_valid():
        try:
            match_confirm(
                actor=actor, need=found, offer_id=form.cleaned_data["offer"], quantity=form.cleaned_data["quantity"]
            )
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Match confirmed."))
            return redirect("portal:charity:need", public_id=public_id)
    found = need_get(actor=actor, public_id=public_id)
    return _need_page(request, found, failed="match", failed_id=request.POST.get("offer", ""), form=form, status=422)


@require_POST
@staff_page(CHARITY_MANAGE)
def need_step(request, public_id, action):
    actor = request.actor
    found = need_get(actor=actor, public_id=public_id)
    form = NoteForm(request.POST)
    form.is_valid()
    try:
        need_act(actor=actor, need=found, action=action, note=form.cleaned_data.get("note", ""))
    except DomainError as error:
        add_domain_errors(form, error)
        return _need_page(request, found, failed=action, form=form, status=422)
    messages.success(request, _("Saved."))
    return redirect("portal:charity:need", public_id=public_id)


@require_POST
@staff_page(CHARITY_MANAGE)
def match_step(request, public_id, action):
    actor = request.actor
    match = match_get(actor=actor, public_id=public_id)
    form = NoteForm(request.POST)
    form.is_valid()
    note = form.cleaned_data.get("note", "")
    try:
        if action == "deliver":
            match_deliver(actor=actor, match=match, note=note)
        elif action == "cancel":
            match_cancel(actor=actor, match=match, reason=note)
        else:
            raise not_found("操作", "Action")
    except DomainError as error:
        if error.status == 404:
            raise
        add_domain_errors(form, error)
        return _need_page(request, match.need, failed=action, failed_id=str(match.public_id), form=form, status=422)
    messages.success(request, _("Delivery recorded.") if action == "deliver" else _("Match cancelled."))
    return redirect("portal:charity:need", public_id=match.need.public_id)


@staff_page(CHARITY_MANAGE)
def deliveries(request):
    """Matches confirmed and not yet delivered in the actor's area."""
    matches = list(match_list(actor=request.actor, state="confirmed")[:200])
    return render(request, "charity/staff/deliveries.html", {"matches": matches, "section": "deliveries"})


# ---------------------------------------------------------------- offers


@staff_page(CHARITY_MANAGE)
def offers(request):
    actor = request.actor
    state = request.GET.get("state", "available")
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "").strip()[:40]
    rows = offer_list(actor=actor, state="" if state == "all" else state, kind=kind, q=q)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    _names(page.object_list, "path")
    return render(
        request,
        "charity/staff/offers.html",
        {"page": page, "state": state, "kind": kind, "q": q, "kinds": Kind.choices, "section": "offers"},
    )


@staff_page(CHARITY_MANAGE)
def offer_new(request):
    """A walk-in donor's offer, recorded by staff (their phone sealed, their name kept)."""
    actor = request.actor
    form = OfferForm(request.POST or None, walk_in=True, communities=_communities(actor))
    if request.method == "POST" and form.is_valid():
        try:
            offer = offer_post(actor=actor, data=OfferInput(**form.cleaned_data))
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Offer recorded: %(title)s") % {"title": offer.title})
            return redirect("portal:charity:offers")
    return render(request, "charity/staff/offer_form.html", {"form": form, "section": "offers"})


@require_POST
@staff_page(CHARITY_MANAGE)
def offer_reveal(request, public_id):
    """A walk-in donor's phone, with a reason (audited); shown once on its own page."""
    actor = request.actor
    offer = offer_get(actor=actor, public_id=public_id)
    try:
        contact = offer_contact(actor=actor, offer=offer, reason=request.POST.get("reason", ""))
    except DomainError as error:
        messages.error(request, str(error.fields[0].message if error.fields else error.message))
        return redirect("portal:charity:offers")
    return render(
        request, "charity/staff/offer_contact.html", {"offer": offer, "contact": contact, "section": "offers"}
    )


# ---------------------------------------------------------------- funds


@staff_page(CHARITY_MANAGE)
def funds(request):
    actor = request.actor
    rows = _names(list(fund_list(actor=actor)))
    form = FundForm(request.POST or None, communities=_communities(actor))
    if request.method == "POST" and form.is_valid():
        try:
            fund = fund_save(actor=actor, data=FundInput(**form.cleaned_data))
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Micro-fund opened: %(name)s") % {"name": fund.name})
            return redirect("portal:charity:fund", public_id=fund.public_id)
    return render(request, "charity/staff/funds.html", {"funds": rows, "form": form, "section": "funds"})


FUND_FORMS = {
    "donation": DonationForm,
    "payment": PaymentForm,
    "request": RequestForm,
    "correction": CorrectionForm,
    "settings": FundForm,
}


def _fund_forms(fund, entries, bound: dict | None = None) -> dict:
    today = timezone.localdate()
    choices = [(str(e.public_id), f"{e.on:%Y-%m-%d} {e.get_kind_display()} {yuan(e.amount)}") for e in entries]
    forms = {
        "donation": DonationForm(initial={"on": today}),
        "payment": PaymentForm(initial={"on": today}),
        "request": RequestForm(),
        "correction": CorrectionForm(entries=choices),
        "settings": FundForm(initial={"name": fund.name, "purpose": fund.purpose, "threshold": fund.threshold}),
    }
    for name, form in (bound or {}).items():
        forms[name] = form
    return forms


@staff_page(CHARITY_MANAGE)
def fund(request, public_id):
    actor = request.actor
    found = fund_get(actor=actor, public_id=public_id)
    entries = fund_entries(found)
    if request.GET.get("format") == "xlsx":
        name = f"{found.name}-{timezone.localdate():%Y%m%d}.xlsx"
        return xlsx_response(ledger_xlsx(fund=found, entries=entries), name)
    bound: dict = {}
    status = 200
    which = request.POST.get("form", "") if request.method == "POST" else ""
    if which in FUND_FORMS:
        if which == "correction":
            form = CorrectionForm(request.POST, entries=[(str(e.public_id), str(e.public_id)) for e in entries])
        else:
            form = FUND_FORMS[which](request.POST)
        if form.is_valid():
            try:
                _fund_write(actor, found, which, form.cleaned_data)
            except DomainError as error:
                add_domain_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("portal:charity:fund", public_id=public_id)
        bound[which] = form
        status = 422
    waiting = list(requests_waiting(actor=actor, fund=found))
    for waiting_request in waiting:  # the apps above that put a request to the residents (decision_routes)
        waiting_request.decision_links = decision_links(actor, waiting_request)  # type: ignore[attr-defined]
    return render(
        request,
        "charity/staff/fund.html",
        {
            "fund": found,
            "community": community_names([found.community_path]).get(found.community_path, ""),
            "entries": entries,
            "totals": fund_totals(found),
            "waiting": waiting,
            "forms": _fund_forms(found, entries, bound),
            "failed": which if bound else "",
            "kinds": EntryKind,
            "section": "funds",
        },
        status=status,
    )


def _fund_write(actor, fund, which: str, data: dict) -> None:
    if which == "donation":
        donation_record(actor=actor, fund=fund, data=DonationInput(**data))
    elif which == "payment":
        payment_record(actor=actor, fund=fund, data=PaymentInput(**data))
    elif which == "request":
        payment_request(actor=actor, fund=fund, data=RequestInput(**data))
    elif which == "correction":
        correction_record(actor=actor, fund=fund, data=CorrectionInput(**data))
    else:
        fund_save(actor=actor, fund=fund, data=FundInput(**data))


@require_POST
@staff_page(CHARITY_MANAGE)
def request_drop(request, public_id):
    actor = request.actor
    waiting = requests_waiting(actor=actor).filter(public_id=public_id).first()
    if waiting is None:
        raise not_found("待决支出", "Payment request")
    try:
        request_withdraw(actor=actor, request=waiting, reason=request.POST.get("reason", ""))
    except DomainError as error:
        messages.error(request, str(error.fields[0].message if error.fields else error.message))
    else:
        messages.success(request, _("Payment request withdrawn."))
    return redirect("portal:charity:fund", public_id=waiting.fund.public_id)


# ---------------------------------------------------------------- figures


@staff_page(CHARITY_MANAGE)
def figures_page(request):
    data = figures(actor=request.actor)
    return render(
        request,
        "charity/staff/figures.html",
        {"figures": data, "needs_chart": needs_chart(data), "money_chart": money_chart(data), "section": "figures"},
    )
