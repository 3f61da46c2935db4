"""Safe community, stage screening: pages (thin: parse, one service or selector, render).

The summary of a street or district for a month (each community filed, due or overdue, the
counts, the totals, a 12-month trend; an XLSX export), the community's report form pre-filled
from the disputes registered there, a report's page with its correction form (with a reason)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from linli.accounts.domain import MEDIATION_SCREEN, MEDIATION_VIEW, SAFETY_FIGURES
from linli.areas.selectors import unit_names
from linli.core.charts import Chart, Series
from linli.core.errors import DomainError, not_found
from linli.core.forms import add_domain_errors
from linli.core.sheets import Sheet, workbook
from linli.core.web import staff_page, xlsx_response
from linli.mediation.domain.screening import FIRST_YEAR, LAST_YEAR, RiskLevel, month_start, previous_month
from linli.mediation.selectors import screening as sel
from linli.mediation.services import screening as svc

READERS = (MEDIATION_VIEW, SAFETY_FIGURES, MEDIATION_SCREEN)
RISK_ROWS = 3


class ScreeningForm(forms.Form):
    found = forms.IntegerField(label=gettext_lazy("Disputes found this month"), min_value=0)
    in_mediation = forms.IntegerField(
        label=gettext_lazy("Of those, still in mediation at the month's end"), min_value=0
    )
    resolved = forms.IntegerField(label=gettext_lazy("Of those, resolved"), min_value=0)
    escalated_risks = forms.IntegerField(label=gettext_lazy("Risks that may escalate"), min_value=0)
    note = forms.CharField(
        label=gettext_lazy("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, RISK_ROWS + 1):
            self.fields[f"risk{n}_level"] = forms.ChoiceField(
                label=_("Risk %(n)s: level") % {"n": n}, choices=[("", "—"), *RiskLevel.choices], required=False
            )
            self.fields[f"risk{n}_description"] = forms.CharField(
                label=_("Risk %(n)s: what it is (no names)") % {"n": n}, max_length=200, required=False
            )
            self.fields[f"risk{n}_measure"] = forms.CharField(
                label=_("Risk %(n)s: measure taken") % {"n": n}, max_length=200, required=False
            )

    def data_input(self) -> svc.ScreeningInput:
        data = self.cleaned_data
        risks = [
            svc.RiskInput(data[f"risk{n}_level"], data[f"risk{n}_description"], data[f"risk{n}_measure"])
            for n in range(1, RISK_ROWS + 1)
            if data[f"risk{n}_level"] or data[f"risk{n}_description"]
        ]
        counts = {k: data[k] for k in ("found", "in_mediation", "resolved", "escalated_risks")}
        return svc.ScreeningInput(**counts, note=data["note"], risks=risks)


class CorrectForm(ScreeningForm):
    reason = forms.CharField(label=gettext_lazy("Reason for the correction"), max_length=300)
    confirm = forms.BooleanField(
        label=gettext_lazy("I confirm: the filed counts are replaced (the old ones are kept in the audit log).")
    )


def _month(value: str | None, default: dt.date) -> dt.date:
    """A month from "2026-11" (or a day of it); the default when missing or wrong."""
    try:
        month = month_start(dt.date.fromisoformat(f"{value}-01" if value and len(value) == 7 else value or ""))
    except ValueError:
        return default
    return month if FIRST_YEAR <= month.year <= LAST_YEAR else default


def _trend_chart(trend) -> Chart:
    return Chart(
        id="screening-trend",
        kind="line",
        title=_("Disputes screened per month"),
        category_label=_("Month"),
        categories=[date_format(p.month, "Y-m") for p in trend],
        series=[
            Series(_("Found"), [p.found for p in trend]),
            Series(_("In mediation"), [p.in_mediation for p in trend]),
            Series(_("Resolved"), [p.resolved for p in trend]),
            Series(_("Risks that may escalate"), [p.escalated_risks for p in trend]),
        ],
    )


@staff_page(*READERS)
def summary(request):
    actor, today = request.actor, timezone.localdate()
    month = _month(request.GET.get("month"), previous_month(today))
    found = sel.screening_summary(actor=actor, path=request.GET.get("path", ""), month=month, today=today)
    context = {"s": found, "chart": _trend_chart(found.trend), "month_value": f"{month:%Y-%m}"}
    context |= {"may_file": actor.has_perm(MEDIATION_SCREEN), "report_month": sel.report_month(today)}
    return render(request, "mediation/staff/screening/summary.html", context)


@staff_page(*READERS)
def export(request):
    actor, today = request.actor, timezone.localdate()
    month = _month(request.GET.get("month"), previous_month(today))
    found = sel.screening_summary(actor=actor, path=request.GET.get("path", ""), month=month, today=today, trend=False)
    headers = [_("Community"), _("Status"), _("Found"), _("In mediation"), _("Resolved"), _("Risks that may escalate")]
    headers += [_("Filed by"), _("Filed at")]
    rows = []
    for line in found.lines:
        s = line.screening
        counts = [s.found, s.in_mediation, s.resolved, s.escalated_risks] if s else [None] * 4
        filed = [s.filed_by_name, timezone.localtime(s.filed_at).strftime("%Y-%m-%d %H:%M")] if s else ["", ""]
        rows.append([line.name, line.status_label, *counts, *filed])
    totals = found.totals
    rows.append([_("Total"), "", totals.found, totals.in_mediation, totals.resolved, totals.escalated_risks, "", ""])
    content = workbook([Sheet(f"{month:%Y-%m}", headers, rows, {0: 24})])
    return xlsx_response(content, f"{_('Dispute screening')}-{found.name}-{month:%Y%m}.xlsx")


def _file_page(request, community: str, month: dt.date, form, status=200):
    context = {"form": form, "community": community, "month": month, "month_value": f"{month:%Y-%m}"}
    context["community_name"] = unit_names([community]).get(community, community)
    context["existing"] = sel.screening_of(actor=request.actor, path=community, month=month)
    return render(request, "mediation/staff/screening/file.html", context, status=status)


@staff_page(MEDIATION_SCREEN)
def file(request):
    actor, today = request.actor, timezone.localdate()
    communities = dict(sel.filing_communities(actor=actor))
    community = request.GET.get("path") or request.POST.get("path") or next(iter(communities), "")
    if community not in communities:
        raise not_found("社区", "Community")
    month = _month(request.GET.get("month") or request.POST.get("month"), sel.report_month(today))
    if request.method != "POST":
        suggestion = sel.screening_suggestion(community, month)
        initial = {k: getattr(suggestion, k) for k in ("found", "in_mediation", "resolved", "escalated_risks")}
        return _file_page(request, community, month, ScreeningForm(initial=initial))
    form = ScreeningForm(request.POST)
    if form.is_valid():
        try:
            filed = svc.screening_file(actor=actor, path=community, month=month, data=form.data_input())
        except DomainError as error:
            if error.status == 404:
                raise
            add_domain_errors(form, error)
        else:
            messages.success(request, _("The screening report is filed."))
            return redirect("portal:mediation:screening-detail", filed.public_id)
    return _file_page(request, community, month, form, status=422)


def _detail_page(request, screening, form=None, status=200):
    actor = request.actor
    may_correct = actor.has_perm(MEDIATION_SCREEN) and actor.sees_path(screening.path)
    initial = {k: getattr(screening, k) for k in ("found", "in_mediation", "resolved", "escalated_risks", "note")}
    for n, risk in enumerate(screening.risks.all(), start=1):
        if n <= RISK_ROWS:
            initial |= {f"risk{n}_level": risk.level, f"risk{n}_description": risk.description}
            initial[f"risk{n}_measure"] = risk.measure
    context = {"r": screening, "may_correct": may_correct, "form": form or CorrectForm(initial=initial)}
    context["community_name"] = unit_names([screening.path]).get(screening.path, screening.path)
    return render(request, "mediation/staff/screening/detail.html", context, status=status)


@staff_page(*READERS)
def detail(request, public_id):
    return _detail_page(request, sel.screening_get(actor=request.actor, public_id=public_id))


@staff_page(MEDIATION_SCREEN)
@require_POST
def correct(request, public_id):
    screening = sel.screening_get(actor=request.actor, public_id=public_id)
    form = CorrectForm(request.POST)
    if form.is_valid():
        try:
            svc.screening_correct(
                actor=request.actor, screening=screening, data=form.data_input(), reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            if error.status == 404:
                raise
            add_domain_errors(form, error)
        else:
            messages.success(request, _("The screening report is corrected."))
            return redirect("portal:mediation:screening-detail", screening.public_id)
    return _detail_page(request, screening, form, status=422)


staff_urls = [
    path("screening/", summary, name="screening-summary"),
    path("screening/export/", export, name="screening-export"),
    path("screening/file/", file, name="screening-file"),
    path("screening/<uuid:public_id>/", detail, name="screening-detail"),
    path("screening/<uuid:public_id>/correct/", correct, name="screening-correct"),
]
resident_urls: list = []
