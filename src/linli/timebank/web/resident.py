"""Resident pages of the time bank (phone first, elder mode): my balance, stars and hours, my
ledger, spending hours on a service (an exchange), cancelling a request, donating minutes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from linli.core.errors import DomainError, not_found
from linli.core.forms import add_domain_errors
from linli.timebank.domain import HELD_STATES, minutes_text
from linli.timebank.selectors import (
    account_of,
    exchange_get,
    exchange_list,
    ledger,
    service_list,
    volunteer_of_user,
)
from linli.timebank.services import (
    DonationInput,
    ExchangeInput,
    StepInput,
    donation_make,
    exchange_act,
    exchange_request,
)
from linli.timebank.web.forms import CancelForm, DonationForm, ExchangeForm

RESIDENT_LOGIN = "portal:login"
LEDGER_PAGE = 20


def _english() -> bool:
    return (translation.get_language() or "").startswith("en")


def service_name(service) -> str:
    return service.name_en if _english() else service.name_zh


def service_choices() -> list[tuple[str, str]]:
    english = _english()
    return [
        (
            s.code,
            f"{s.name_en if english else s.name_zh} · "
            + (
                f"{minutes_text(s.minutes_per_unit, 'en')} per {s.unit_en}"
                if english
                else f"每{s.unit_zh} {minutes_text(s.minutes_per_unit)}"
            ),
        )
        for s in service_list()
    ]


def _parts(minutes: int, language: str) -> list[str]:
    """ "14 小时 30 分钟" as ["14 小时", "30 分钟"]: each part kept on one line (large figures,
    elder mode) so a number never parts from its unit."""
    text = minutes_text(minutes, language)
    words = text.split(" ")
    return [" ".join(words[i : i + 2]) for i in range(0, len(words), 2)]


def _volunteer_or_page(request):
    volunteer = volunteer_of_user(request.actor.user_id)
    if volunteer is None:
        return None, render(request, "timebank/resident/not_volunteer.html", {})
    return volunteer, None


@login_required(login_url=RESIDENT_LOGIN)
def home(request):
    volunteer, page = _volunteer_or_page(request)
    if page is not None:
        return page
    account = account_of(volunteer.public_id)
    entries = Paginator(ledger(account), LEDGER_PAGE).get_page(request.GET.get("page"))
    exchanges = list(exchange_list(actor=request.actor, mine=True)[:10])
    language = "en" if _english() else "zh"
    balance, held = (account.balance, account.held) if account else (0, 0)
    context = {
        "volunteer": volunteer,
        "balance": _parts(balance, language),
        "available": _parts(balance - held, language),
        "held": minutes_text(held, language) if held else "",
        "total_hours": _parts(volunteer.total_minutes, language),
        "stars": range(volunteer.star_level),
        "page": entries,
        "rows": [(e, minutes_text(e.minutes, language), minutes_text(e.balance_after, language)) for e in entries],
        "exchanges": [(x, service_name(x.service), minutes_text(x.minutes, language)) for x in exchanges],
        "cancellable": HELD_STATES,
    }
    return render(request, "timebank/resident/home.html", context)


@login_required(login_url=RESIDENT_LOGIN)
def exchange(request):
    volunteer, page = _volunteer_or_page(request)
    if page is not None:
        return page
    form = ExchangeForm(request.POST or None, choices=service_choices())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            exchange_request(
                actor=request.actor,
                data=ExchangeInput(
                    service=data["service"], units=data["units"], beneficiary=data["beneficiary"], note=data["note"]
                ),
            )
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Your request was sent. Your community will arrange it and tell you."))
            return redirect("portal:my-timebank:home")
    account = account_of(volunteer.public_id)
    available = account.available if account else 0
    context = {"form": form, "available": minutes_text(available, "en" if _english() else "zh")}
    return render(request, "timebank/resident/exchange.html", context, status=400 if form.errors else 200)


@login_required(login_url=RESIDENT_LOGIN)
def cancel(request, public_id):
    exchange_row = exchange_get(actor=request.actor, public_id=public_id)
    if exchange_row.requested_by != request.actor.user_id:
        raise not_found("兑换", "Exchange")
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            exchange_act(
                actor=request.actor,
                public_id=public_id,
                data=StepInput("cancel", reason=form.cleaned_data["reason"]),
            )
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("The request was cancelled and its minutes are yours to use again."))
            return redirect("portal:my-timebank:home")
    context = {"form": form, "exchange": exchange_row, "service": service_name(exchange_row.service)}
    return render(request, "timebank/resident/cancel.html", context, status=400 if form.errors else 200)


@login_required(login_url=RESIDENT_LOGIN)
def donate(request):
    volunteer, page = _volunteer_or_page(request)
    if page is not None:
        return page
    form = DonationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            donation_make(
                actor=request.actor,
                data=DonationInput(
                    minutes=data["minutes"],
                    reason=data["reason"],
                    to_pool=data["to"] == DonationForm.TO_POOL,
                    recipient=data.get("recipient"),
                    confirmed=data["confirmed"],
                ),
            )
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Thank you. The minutes were donated."))
            return redirect("portal:my-timebank:home")
    account = account_of(volunteer.public_id)
    context = {
        "form": form,
        "available": minutes_text(account.available if account else 0, "en" if _english() else "zh"),
    }
    return render(request, "timebank/resident/donate.html", context, status=400 if form.errors else 200)
