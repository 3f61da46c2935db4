"""Care services, stage statements: pages (thin: parse, one service or selector, render). Family
care beds (/staff/care/beds/), provider figures (/staff/care/providers/figures/), monthly
statements (/staff/care/statements/), and the provider's own figures and statements
(/provider/figures/, /provider/statements/). The route lists at the end are joined in
`web/urls.py`, `web/resident_urls.py` and `web/provider_urls.py`."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.accounts.domain import CARE_FIGURES, CARE_MANAGE, CARE_PAY, CARE_PROVIDE, CARE_VIEW
from linli.care.domain.statements import StatementState, month_parse, month_start
from linli.care.selectors.statements import (
    area_provider_figures,
    bed_eligibility,
    bed_get,
    bed_list,
    bed_months,
    beds_below_plan,
    dispatcher_provider,
    figures_months,
    own_provider_figures,
    payable_providers,
    provider_statement_get,
    provider_statement_list,
    providers_serving,
    statement_get,
    statement_lines,
    statement_list,
    statement_pending_visits,
    statement_supplementary,
    statement_totals,
)
from linli.care.services.statements import (
    BedInput,
    bed_end,
    bed_plan_read_record,
    bed_register,
    statement_approve,
    statement_correct,
    statement_export_record,
    statement_generate,
    statement_pay,
    statement_visit_add,
)
from linli.care.statements_exports import statement_pdf, statement_xlsx
from linli.core.charts import PERCENT, Chart, Series
from linli.core.crypto import unseal
from linli.core.errors import DomainError, not_found
from linli.core.forms import DateInput, add_domain_errors
from linli.core.web import staff_page, xlsx_response
from linli.residents.selectors import care_people_search, care_person

DATE = DateInput()
PLAN_CONTEXT = "care.bed.plan"


def _english() -> bool:
    return (get_language() or "").startswith("en")


# ================================================================ family care beds


class BedForm(forms.Form):
    """Required fields are marked for the reader, while the service says what is missing in its
    own words (both languages, every problem at once): an empty required field is passed on as
    empty. (The same as `welfare.web.relief.ServiceForm`; care cannot import its sibling.)"""

    person = forms.ChoiceField(label=gettext_lazy("Elder"))
    provider = forms.ChoiceField(label=gettext_lazy("Provider"))
    visits_per_week = forms.IntegerField(
        label=gettext_lazy("Visits per week (1–7)"), widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    plan = forms.CharField(
        label=gettext_lazy("Service plan: care needs (kept sealed)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    started_on = forms.DateField(label=gettext_lazy("Start date"), widget=DATE)

    def is_valid(self) -> bool:
        super().is_valid()
        for name, problems in list(self.errors.as_data().items()):
            if name in self.fields and all(p.code == "required" for p in problems):
                del self._errors[name]
                empty = None if isinstance(self.fields[name], forms.DateField | forms.IntegerField) else ""
                self.cleaned_data.setdefault(name, empty)
        return not self._errors

    def __init__(self, *args, people=(), providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", _("— search for the elder first —")), *people]
        self.fields["provider"].choices = [("", "—"), *providers]


def _bed_people(actor, q: str, chosen: str) -> list[tuple[str, str]]:
    """The elders found, those the bed item allows first, each labelled with whether it does
    (and why not), so the worker does not pick someone the registration would refuse."""
    found = care_people_search(actor=actor, q=q)
    if chosen and all(str(p.public_id) != chosen for p in found):
        person = care_person(actor=actor, public_id=chosen)
        if person is not None:
            found.append(person)
    refusals = bed_eligibility(found, timezone.localdate())
    people = []
    for p in found:
        refusal = refusals.get(str(p.public_id))
        verdict = _("not eligible: %(reason)s") % {"reason": refusal} if refusal else _("eligible for a bed")
        people.append((refusal is not None, p.public_id, f"{p.name} · {p.id_number_masked} · {p.address} · {verdict}"))
    return [(ref, label) for _refused, ref, label in sorted(people, key=lambda row: row[0])]


@staff_page(CARE_MANAGE, CARE_VIEW)
def beds(request):
    actor = request.actor
    today = timezone.localdate()
    below = request.GET.get("below") == "1"
    beds_shown = beds_below_plan(actor=actor, month=month_start(today)) if below else bed_list(actor=actor)
    rows = list(beds_shown[:200])
    figures = bed_months(rows, month_start(today))
    for bed in rows:
        bed.figures = figures[bed.pk]
    return render(request, "care/staff/statements/beds.html", {"rows": rows, "below": below, "today": today})


@staff_page(CARE_MANAGE)
def bed_new(request):
    actor = request.actor
    q = request.GET.get("q", request.POST.get("q", "")).strip()[:40]
    providers = [(str(p.public_id), p.name) for p in providers_serving(actor=actor, on=timezone.localdate())]
    form = BedForm(
        request.POST or None,
        people=_bed_people(actor, q, request.POST.get("person", "")),
        providers=providers,
        initial={"started_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = BedInput(data["person"], data["provider"], data["visits_per_week"], data["plan"], data["started_on"])
        try:
            bed = bed_register(actor=actor, data=values)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(
                request,
                _("Family care bed %(number)s registered; this week's visits are scheduled.") % {"number": bed.number},
            )
            return redirect("portal:care:statements-bed", bed.public_id)
    return render(request, "care/staff/statements/bed_new.html", {"form": form, "q": q})


@staff_page(CARE_MANAGE, CARE_VIEW)
def bed_detail(request, public_id):
    actor = request.actor
    bed = bed_get(actor=actor, public_id=public_id)
    plan = ""
    if request.method == "POST" and request.POST.get("action") == "reveal" and actor.has_perm(CARE_MANAGE):
        reason = request.POST.get("reason", "").strip()
        if len(reason) < 2:
            messages.error(request, _("Give the reason for reading the plan."))
        else:
            bed_plan_read_record(actor=actor, bed=bed, reason=reason)
            plan = unseal(bed.plan_sealed, context=PLAN_CONTEXT) if bed.plan_sealed else ""
    month = month_start(timezone.localdate())
    context = {
        "bed": bed,
        "plan": plan,
        "figures": bed_months([bed], month)[bed.pk],
        "may_manage": actor.has_perm(CARE_MANAGE),
    }
    return render(request, "care/staff/statements/bed.html", context)


@require_POST
@staff_page(CARE_MANAGE)
def bed_end_view(request, public_id):
    bed = bed_get(actor=request.actor, public_id=public_id)
    try:
        bed_end(
            actor=request.actor,
            bed=bed,
            reason=request.POST.get("reason", ""),
            confirmed=request.POST.get("confirm") == "1",
        )
        messages.success(request, _("The bed has ended; its visits still scheduled are cancelled."))
    except DomainError as error:
        messages.error(request, "；".join(str(f.message) for f in error.fields) or str(error.message))
    return redirect("portal:care:statements-bed", bed.public_id)


# ================================================================ provider figures


def _figures_context(rows, months) -> dict:
    names = sorted({r.provider_name for r in rows})
    labels = [f"{m:%Y-%m}" for m in months]
    by_key = {(r.provider_name, r.month): r for r in rows}
    series = [
        Series(name, [getattr(by_key.get((name, m)), "on_time_rate", None) for m in months], unit=PERCENT)
        for name in names[:8]
    ]
    chart = Chart("care-provider-months", "line", _("On-time rate by month"), _("Month"), labels, series)
    return {"rows": rows, "chart": chart, "months": months}


@staff_page(CARE_VIEW, CARE_FIGURES)
def figures(request):
    months = figures_months(timezone.localdate())
    rows = area_provider_figures(actor=request.actor, months=months)
    return render(request, "care/staff/statements/figures.html", _figures_context(rows, months))


@staff_page(CARE_PROVIDE)
def provider_figures(request):
    provider = dispatcher_provider(request.actor)
    if provider is None:
        raise not_found("页面", "Page")
    months = figures_months(timezone.localdate())
    context = _figures_context(own_provider_figures(provider=provider, months=months), months) | {"provider": provider}
    return render(request, "care/provider/statements/figures.html", context)


# ================================================================ statements


class GenerateForm(forms.Form):
    provider = forms.ChoiceField(label=gettext_lazy("Provider"))
    month = forms.CharField(label=gettext_lazy("Month"), widget=forms.TextInput(attrs={"type": "month"}))

    def __init__(self, *args, providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", "—"), *providers]


@staff_page(CARE_PAY, CARE_VIEW)
def statements(request):
    actor = request.actor
    state = request.GET.get("state", "")
    state = state if state in StatementState.values else ""
    providers = payable_providers(actor=actor)
    form = GenerateForm(request.POST or None, providers=[(str(p.public_id), p.name) for p in providers])
    if request.method == "POST" and form.is_valid():
        provider = next((p for p in providers if str(p.public_id) == form.cleaned_data["provider"]), None)
        month = month_parse(form.cleaned_data["month"])
        if month is None:
            form.add_error("month", _("Give the month as year and month."))
        else:
            try:
                statement = statement_generate(actor=actor, provider=provider, month=month)
                return redirect("portal:care:statements-detail", statement.public_id)
            except DomainError as error:
                add_domain_errors(form, error)
    rows = list(statement_list(actor=actor, state=state)[:200])
    context = {
        "rows": rows,
        "state": state,
        "states": StatementState.choices,
        "form": form,
        "may_pay": actor.has_perm(CARE_PAY),
    }
    return render(request, "care/staff/statements/list.html", context)


def _statement_context(statement) -> dict:
    lines = statement_lines(statement)
    by_item, by_community = statement_totals(lines, english=_english())
    return {
        "statement": statement,
        "lines": lines,
        "by_item": by_item,
        "by_community": by_community,
        "english": _english(),
    }


@staff_page(CARE_PAY, CARE_VIEW)
def statement_detail(request, public_id):
    statement = statement_get(actor=request.actor, public_id=public_id)
    context = _statement_context(statement) | {
        "pending": statement_pending_visits(statement),
        "supplementary": statement_supplementary(statement),
        "may_pay": request.actor.has_perm(CARE_PAY),
        "today": timezone.localdate(),
    }
    return render(request, "care/staff/statements/detail.html", context)


def _act(request, public_id, act, done: str):
    statement = statement_get(actor=request.actor, public_id=public_id)
    try:
        act(statement)
        messages.success(request, done)
    except DomainError as error:
        problems = [str(f.message) for f in error.fields]
        messages.error(request, "；".join(problems) if problems else str(error.message))
    return redirect("portal:care:statements-detail", statement.public_id)


@require_POST
@staff_page(CARE_PAY)
def statement_add(request, public_id):
    visit = request.POST.get("visit", "")
    return _act(
        request,
        public_id,
        lambda s: statement_visit_add(actor=request.actor, statement=s, visit_ref=visit),
        _("The visit is on the statement."),
    )


@require_POST
@staff_page(CARE_PAY)
def statement_regenerate(request, public_id):
    return _act(
        request,
        public_id,
        lambda s: statement_generate(actor=request.actor, provider=s.provider, month=s.month),
        _("Visits verified since were added."),
    )


@require_POST
@staff_page(CARE_PAY)
def statement_approve_view(request, public_id):
    reason, confirmed = request.POST.get("reason", ""), request.POST.get("confirm") == "1"
    return _act(
        request,
        public_id,
        lambda s: statement_approve(actor=request.actor, statement=s, reason=reason, confirmed=confirmed),
        _("The statement is approved and frozen."),
    )


@require_POST
@staff_page(CARE_PAY)
def statement_pay_view(request, public_id):
    paid_on = _date(request.POST.get("paid_on", ""))
    reference = request.POST.get("reference", "")
    return _act(
        request,
        public_id,
        lambda s: statement_pay(actor=request.actor, statement=s, paid_on=paid_on, reference=reference),
        _("The payment is recorded."),
    )


@require_POST
@staff_page(CARE_PAY)
def statement_correct_view(request, public_id):
    p = request.POST
    return _act(
        request,
        public_id,
        lambda s: statement_correct(
            actor=request.actor,
            statement=s,
            visit_ref=p.get("visit", ""),
            government=p.get("government", ""),
            resident=p.get("resident", ""),
            reason=p.get("reason", ""),
        ),
        _("The correction is a line of the supplementary statement."),
    )


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None  # the service names the field


def _export(request, statement, file_format: str) -> HttpResponse:
    if file_format not in ("xlsx", "pdf"):
        raise not_found("文件", "File")
    context = _statement_context(statement)
    args = (statement, context["lines"], context["by_item"], context["by_community"])
    statement_export_record(actor=request.actor, statement=statement, file_format=file_format)
    if file_format == "xlsx":
        content, filename = statement_xlsx(*args)
        return xlsx_response(content, filename)
    response = HttpResponse(statement_pdf(*args), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{statement.number}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@staff_page(CARE_PAY, CARE_VIEW)
def statement_export(request, public_id, file_format):
    return _export(request, statement_get(actor=request.actor, public_id=public_id), file_format)


@staff_page(CARE_PROVIDE)
def provider_statements(request):
    rows = list(provider_statement_list(provider=dispatcher_provider(request.actor))[:200])
    return render(request, "care/provider/statements/list.html", {"rows": rows})


@staff_page(CARE_PROVIDE)
def provider_statement(request, public_id):
    statement = provider_statement_get(provider=dispatcher_provider(request.actor), public_id=public_id)
    return render(request, "care/provider/statements/detail.html", _statement_context(statement))


@staff_page(CARE_PROVIDE)
def provider_statement_export(request, public_id, file_format):
    statement = provider_statement_get(provider=dispatcher_provider(request.actor), public_id=public_id)
    return _export(request, statement, file_format)


staff_urls = [
    path("beds/", beds, name="statements-beds"),
    path("beds/new/", bed_new, name="statements-bed-new"),
    path("beds/<uuid:public_id>/", bed_detail, name="statements-bed"),
    path("beds/<uuid:public_id>/end/", bed_end_view, name="statements-bed-end"),
    path("providers/figures/", figures, name="statements-figures"),
    path("statements/", statements, name="statements-list"),
    path("statements/<uuid:public_id>/", statement_detail, name="statements-detail"),
    path("statements/<uuid:public_id>/add/", statement_add, name="statements-add"),
    path("statements/<uuid:public_id>/regenerate/", statement_regenerate, name="statements-regenerate"),
    path("statements/<uuid:public_id>/approve/", statement_approve_view, name="statements-approve"),
    path("statements/<uuid:public_id>/pay/", statement_pay_view, name="statements-pay"),
    path("statements/<uuid:public_id>/correct/", statement_correct_view, name="statements-correct"),
    path("statements/<uuid:public_id>/export.<str:file_format>", statement_export, name="statements-export"),
]
resident_urls: list = []
provider_urls = [
    path("figures/", provider_figures, name="statements-figures"),
    path("statements/", provider_statements, name="statements-list"),
    path("statements/<uuid:public_id>/", provider_statement, name="statements-detail"),
    path("statements/<uuid:public_id>/export.<str:file_format>", provider_statement_export, name="statements-export"),
]
