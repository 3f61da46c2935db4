"""Public and resident pages of charity (phone first, elder mode): the city's open needs with "I
can help", a donor's own offers and what became of them, and every micro-fund's public ledger.
Reading needs no log-in; offering does (a resident or an organisation's account)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.areas.selectors import units_under
from linli.charity.domain import CATEGORY_BY_CODE, Kind, category_label
from linli.charity.exports import donor_shown
from linli.charity.selectors import (
    community_names,
    fund_entries,
    fund_totals,
    my_offers,
    offer_get,
    org_choices,
    public_fund_get,
    public_funds,
    public_need_get,
    public_needs,
)
from linli.charity.services import OfferInput, offer_post, offer_withdraw
from linli.charity.web.forms import OfferForm
from linli.core.errors import DomainError
from linli.core.forms import add_domain_errors
from linli.core.masking import mask_personal_numbers

RESIDENT_LOGIN = "portal:login"
PAGE_SIZE = 20
CITY = "2101"


def _areas() -> list[tuple[str, str]]:
    """Districts and streets of the city for the area filter (indented streets)."""
    rows = units_under(under=CITY, kinds=("district", "street"))
    return [(path, name if len(path) == 6 else f"　{name}") for path, name, _rural in rows]


def _public(needs):
    names = community_names({n.community_path for n in needs})
    for need in needs:
        need.community_name = names.get(need.community_path, "")
        need.shown_description = mask_personal_numbers(need.description)
        need.category_name = category_label(need.category)
    return needs


def home(request):
    kind = request.GET.get("kind", "")
    under = request.GET.get("area", "")
    needs = public_needs(kind=kind, under=under)
    page = Paginator(needs, PAGE_SIZE).get_page(request.GET.get("page"))
    _public(page.object_list)
    funds = list(public_funds()[:50])
    names = community_names({f.community_path for f in funds})
    for f in funds:
        f.community_name = names.get(f.community_path, "")
    return render(
        request,
        "charity/resident/home.html",
        {"page": page, "kind": kind, "area": under, "kinds": Kind.choices, "areas": _areas(), "funds": funds},
    )


def need(request, public_id):
    found = _public([public_need_get(public_id)])[0]
    return render(request, "charity/resident/need.html", {"need": found})


def _offer_form(request, initial: dict):
    orgs = org_choices(request.actor) if request.actor.user_id else []
    return OfferForm(request.POST or None, initial=initial, orgs=orgs)


@login_required(login_url=RESIDENT_LOGIN)
def help_need(request, public_id):
    """ "I can help": an offer made for this need (the community sees it first among proposals)."""
    found = _public([public_need_get(public_id)])[0]
    category = CATEGORY_BY_CODE.get(found.category)
    initial = {
        "kind": found.kind,
        "category": found.category,
        "title": found.title,
        "quantity": found.remaining,
        "unit": found.unit or (category.unit if category else ""),
    }
    form = _offer_form(request, initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data | {"for_need": found.public_id}
        try:
            offer_post(actor=request.actor, data=OfferInput(**data))
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Thank you! The community will contact you to arrange it."))
            return redirect("portal:giving:my")
    return render(request, "charity/resident/offer.html", {"form": form, "need": found})


@login_required(login_url=RESIDENT_LOGIN)
def offer(request):
    form = _offer_form(request, {})
    if request.method == "POST" and form.is_valid():
        try:
            offer_post(actor=request.actor, data=OfferInput(**form.cleaned_data))
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Thank you! Your offer is recorded; the community will match it to a need."))
            return redirect("portal:giving:my")
    return render(request, "charity/resident/offer.html", {"form": form, "need": None})


@login_required(login_url=RESIDENT_LOGIN)
def mine(request):
    """A donor's offers with the outcome of each: matched, delivered, received."""
    return render(request, "charity/resident/mine.html", {"offers": my_offers(actor=request.actor)})


@require_POST
@login_required(login_url=RESIDENT_LOGIN)
def withdraw(request, public_id):
    """The donor takes back what is not yet given (confirmed matches stand); a reason is asked."""
    offer = offer_get(actor=request.actor, public_id=public_id)
    try:
        offer_withdraw(actor=request.actor, offer=offer, reason=request.POST.get("reason", ""))
    except DomainError as error:
        messages.error(request, str(error.fields[0].message if error.fields else error.message))
    else:
        messages.success(request, _("Offer withdrawn."))
    return redirect("portal:giving:my")


def fund(request, public_id):
    """A micro-fund's public ledger: income, spending, balance and receipts; donors named only if
    they did not ask to stay anonymous; nobody's phone or ID."""
    found = public_fund_get(public_id)
    entries = fund_entries(found)
    for entry in entries:
        entry.donor_public = donor_shown(entry)
    return render(
        request,
        "charity/resident/fund.html",
        {
            "fund": found,
            "community": community_names([found.community_path]).get(found.community_path, ""),
            "entries": entries,
            "totals": fund_totals(found),
        },
    )
