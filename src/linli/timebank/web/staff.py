"""Staff pages of the time bank: the exchange queue and one exchange with its steps, volunteers'
accounts and ledgers in scope (with corrections), the community pools, the service catalogue
and the expiry rule (the city's), and the monthly figures."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from linli.accounts.domain import CATALOGUE_EDIT, TIMEBANK_MANAGE
from linli.core.charts import Chart, Series
from linli.core.errors import DomainError
from linli.core.forms import add_domain_errors
from linli.core.web import staff_page
from linli.timebank.domain import ExchangeState, HolderKind, minutes_text, transition_for
from linli.timebank.selectors import (
    QUEUE_STATES,
    account_get,
    account_list,
    exchange_counts,
    exchange_get,
    exchange_list,
    exchange_note,
    exchange_steps,
    expiry_rule,
    holder_names,
    ledger,
    may_edit_rules,
    month_figures,
    provider_choices,
    service_list,
    unit_name_map,
)
from linli.timebank.services import (
    ExchangeInput,
    ServiceEdit,
    StepInput,
    correction_record,
    exchange_act,
    exchange_request,
    expiry_rule_set,
    service_save,
)
from linli.timebank.web.forms import CorrectionForm, ExchangeForm, ExpiryForm, LookupForm, ServiceForm, StepForm
from linli.timebank.web.resident import service_choices

PAGE = 30


def _lang() -> str:
    return "en" if (translation.get_language() or "").startswith("en") else "zh"


def _service_name(service) -> str:
    return service.name_en if _lang() == "en" else service.name_zh


@staff_page(TIMEBANK_MANAGE, CATALOGUE_EDIT)
def home(request):
    actor = request.actor
    counts = exchange_counts(actor=actor)
    labels = {
        ExchangeState.REQUESTED: _("To arrange"),
        ExchangeState.ARRANGED: _("To deliver"),
        ExchangeState.DELIVERED: _("To confirm"),
    }
    queues = [(state, labels[state], counts[state]) for state in QUEUE_STATES]
    return render(request, "timebank/staff/home.html", {"queues": queues, "rules": may_edit_rules(actor)})


@staff_page(TIMEBANK_MANAGE)
def exchanges(request):
    actor = request.actor
    state = request.GET.get("state", "open")
    if state not in {"open", "", *ExchangeState.values}:
        state = "open"
    counts = exchange_counts(actor=actor)
    page = Paginator(exchange_list(actor=actor, state=state), PAGE).get_page(request.GET.get("page"))
    language = _lang()
    names = unit_name_map([x.path for x in page])
    rows = [(x, _service_name(x.service), minutes_text(x.minutes, language), names.get(x.path, x.path)) for x in page]
    tabs = (
        [("open", _("Open"), sum(counts.values()))]
        + [(s, ExchangeState(s).label, counts[s]) for s in QUEUE_STATES]
        + [
            (ExchangeState.CONFIRMED, ExchangeState.CONFIRMED.label, None),
            (ExchangeState.CANCELLED, ExchangeState.CANCELLED.label, None),
        ]
    )
    context = {"page": page, "rows": rows, "state": state, "tabs": tabs}
    return render(request, "timebank/staff/exchanges.html", context)


@staff_page(TIMEBANK_MANAGE)
def exchange(request, public_id):
    actor = request.actor
    row = exchange_get(actor=actor, public_id=public_id)
    form = StepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            row = exchange_act(
                actor=actor,
                public_id=public_id,
                data=StepInput(
                    data["action"],
                    reason=data["reason"],
                    provider=data["provider"],
                    scheduled_for=data["scheduled_for"],
                ),
            )
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Saved: %(state)s.") % {"state": row.get_state_display()})
            return redirect("portal:timebank:exchange", public_id=public_id)
    actions = [a for a in ("arrange", "deliver", "confirm", "cancel") if transition_for(a, row.state)]
    names = holder_names(actor=actor, holders=[row.account.holder])
    context = {
        "x": row,
        "service": _service_name(row.service),
        "minutes": minutes_text(row.minutes, _lang()),
        "note": exchange_note(row),
        "steps": exchange_steps(row),
        "actions": actions,
        "form": form,
        "holder_name": names.get(str(row.account.holder), ""),
        "unit": unit_name_map([row.path]).get(row.path, row.path),
        "providers": provider_choices(actor=actor, path=row.path, exclude=row.account.holder)
        if "arrange" in actions
        else [],
    }
    return render(request, "timebank/staff/exchange.html", context, status=400 if form.errors else 200)


@staff_page(TIMEBANK_MANAGE)
def accounts(request):
    actor = request.actor
    lookup = LookupForm(request.GET if "holder" in request.GET else None)
    if lookup.is_bound and lookup.is_valid():
        return redirect("portal:timebank:account", holder=lookup.cleaned_data["holder"])
    kind = request.GET.get("kind", HolderKind.VOLUNTEER)
    if kind not in HolderKind.values:
        kind = HolderKind.VOLUNTEER
    page = Paginator(account_list(actor=actor, kind=kind), PAGE).get_page(request.GET.get("page"))
    names = holder_names(actor=actor, holders=[a.holder for a in page]) if kind == HolderKind.VOLUNTEER else {}
    units = unit_name_map([a.path for a in page])
    language = _lang()
    rows = [
        (
            a,
            names.get(str(a.holder), "") or units.get(a.path, a.path),
            units.get(a.path, a.path),
            minutes_text(a.balance, language),
            minutes_text(a.held, language) if a.held else "",
        )
        for a in page
    ]
    context = {"page": page, "rows": rows, "kind": kind, "lookup": lookup, "pool": HolderKind.POOL}
    return render(request, "timebank/staff/accounts.html", context)


@staff_page(TIMEBANK_MANAGE)
def account(request, holder):
    actor = request.actor
    row = account_get(actor=actor, holder=holder)
    asking = request.method == "POST" and request.POST.get("form") == "exchange"
    pool = row.kind == HolderKind.POOL
    ask = ExchangeForm(request.POST if asking else None, choices=service_choices(), pool=pool, prefix="x")
    if asking and ask.is_valid():
        data = ask.cleaned_data
        try:
            made = exchange_request(
                actor=actor,
                data=ExchangeInput(
                    service=data["service"],
                    units=data["units"],
                    beneficiary=data["beneficiary"],
                    note=data["note"],
                    holder=row.holder,
                ),
            )
        except DomainError as error:
            add_domain_errors(ask, error)
        else:
            messages.success(request, _("The exchange was requested; arrange it now."))
            return redirect("portal:timebank:exchange", public_id=made.public_id)
    form = CorrectionForm(request.POST if request.method == "POST" and not asking else None)
    if request.method == "POST" and not asking and form.is_valid():
        try:
            correction_record(
                actor=actor, holder=holder, minutes=form.cleaned_data["minutes"], reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("The correction was recorded."))
            return redirect("portal:timebank:account", holder=holder)
    language = _lang()
    page = Paginator(ledger(row), PAGE).get_page(request.GET.get("page"))
    name = holder_names(actor=actor, holders=[row.holder]).get(str(row.holder), "")
    unit = unit_name_map([row.path]).get(row.path, row.path)
    context = {
        "a": row,
        "name": name or (f"{unit} · {_('Community pool')}" if row.kind == HolderKind.POOL else ""),
        "unit": unit,
        "balance": minutes_text(row.balance, language),
        "held": minutes_text(row.held, language),
        "available": minutes_text(row.available, language),
        "page": page,
        "rows": [(e, minutes_text(e.minutes, language), minutes_text(e.balance_after, language)) for e in page],
        "form": form,
        "ask": ask,
        "pool": pool,
    }
    status = 400 if form.errors or ask.errors else 200
    return render(request, "timebank/staff/account.html", context, status=status)


@staff_page(TIMEBANK_MANAGE, CATALOGUE_EDIT)
def services(request):
    actor = request.actor
    editable = may_edit_rules(actor)
    form = ServiceForm(request.POST or None)
    if request.method == "POST":
        if not editable:
            messages.error(request, _("Only the city edits the catalogue."))
            return redirect("portal:timebank:services")
        if form.is_valid():
            try:
                service_save(actor=actor, data=ServiceEdit(**form.cleaned_data))
            except DomainError as error:
                add_domain_errors(form, error)
            else:
                messages.success(request, _("The catalogue was saved."))
                return redirect("portal:timebank:services")
    language = _lang()
    rows = [(s, minutes_text(s.minutes_per_unit, language)) for s in service_list(include_inactive=True)]
    context = {"rows": rows, "form": form, "editable": editable}
    return render(request, "timebank/staff/services.html", context, status=400 if form.errors else 200)


@staff_page(TIMEBANK_MANAGE, CATALOGUE_EDIT)
def expiry(request):
    actor = request.actor
    rule = expiry_rule()
    editable = may_edit_rules(actor)
    initial = {"years": rule.years, "verified": rule.verified, "source": rule.source}
    form = ExpiryForm(request.POST or None, initial=initial)
    if request.method == "POST" and editable and form.is_valid():
        try:
            expiry_rule_set(actor=actor, **form.cleaned_data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("The expiry rule was saved."))
            return redirect("portal:timebank:expiry")
    context = {"rule": rule, "form": form, "editable": editable}
    return render(request, "timebank/staff/expiry.html", context, status=400 if form.errors else 200)


@staff_page(TIMEBANK_MANAGE)
def figures(request):
    actor = request.actor
    since = (timezone.localtime() - timedelta(days=365)).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    months = month_figures(actor=actor, since=since)
    categories = [m.month.strftime("%Y-%m") for m in months]
    hours = _("hours")
    chart = Chart(
        id="tb-months",
        kind="bars",
        title=_("Time-bank hours per month"),
        category_label=_("Month"),
        categories=categories,
        series=[
            Series(_("Earned"), [round(m.earned / 60, 1) for m in months], unit=hours),
            Series(_("Spent"), [round(m.spent / 60, 1) for m in months], unit=hours),
            Series(_("Donated"), [round(m.donated / 60, 1) for m in months], unit=hours),
            Series(_("Expired"), [round(m.expired / 60, 1) for m in months], unit=hours),
        ],
    )
    language = _lang()
    table = [
        (
            m.month.strftime("%Y-%m"),
            minutes_text(m.earned, language),
            minutes_text(m.spent, language),
            minutes_text(m.donated, language),
            minutes_text(m.expired, language),
        )
        for m in months
    ]
    return render(
        request,
        "timebank/staff/figures.html",
        {"chart": chart, "table": table, "back": reverse("portal:timebank:home")},
    )
