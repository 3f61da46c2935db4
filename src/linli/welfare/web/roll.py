"""Staff pages of the roll (在册), its reviews (动态管理) and the monthly payroll (发放名册). Each view:
actor → form → one service or selector → page; outside the scope a household or payroll is a
404."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from linli.accounts.domain import WELFARE_DECIDE, WELFARE_INTAKE, WELFARE_REVEAL, WELFARE_REVIEW
from linli.areas.selectors import unit_names
from linli.core.charts import Chart, Series
from linli.core.crypto import mask_name
from linli.core.errors import DomainError
from linli.core.forms import DateInput, add_domain_errors
from linli.core.web import staff_page
from linli.welfare.domain.classes import CLASS_ORDER, PAID_CLASSES, AssistanceClass
from linli.welfare.domain.roll import (
    ChangeKind,
    Outcome,
    PayrollState,
    RecipientState,
    add_months,
    month_start,
    review_status,
)
from linli.welfare.rules.facts import Income
from linli.welfare.selectors.roll import (
    PAGE_SIZE,
    open_reviews,
    payroll_get,
    payroll_lines,
    payroll_list,
    payroll_months,
    payroll_totals,
    recipient_changes,
    recipient_determinations,
    recipient_get,
    recipient_list,
    review_counts,
    review_due_list,
    review_get,
    roll_figures,
)
from linli.welfare.services import roll as services

ROLL = (WELFARE_INTAKE, WELFARE_REVIEW, WELFARE_DECIDE)
INCOME_LABELS = {
    "wage": gettext_lazy("Wages"),
    "business": gettext_lazy("Business income"),
    "property": gettext_lazy("Property income"),
    "transfer": gettext_lazy("Pensions and support received"),
    "other": gettext_lazy("Other counted income"),
    "special_care": gettext_lazy("Special-care allowances"),
    "scholarship": gettext_lazy("Scholarships and grants"),
    "disability_allowance": gettext_lazy("Disability allowances"),
    "assistance": gettext_lazy("Social assistance received"),
}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason for the change"), max_length=300)
    confirm = forms.BooleanField(label=gettext_lazy("I confirm this change"), required=False)


class AccountForm(forms.Form):
    bank_name = forms.CharField(label=gettext_lazy("Bank"), max_length=60)
    account_number = forms.CharField(label=gettext_lazy("Account number"), max_length=40)
    reason = forms.CharField(label=gettext_lazy("Reason for the change"), max_length=300)


class RevealForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason for revealing"), max_length=300)


class RecomputeForm(forms.Form):
    scope = forms.ChoiceField(label=gettext_lazy("Area"))
    on = forms.DateField(label=gettext_lazy("Rules of the date"), widget=DateInput())


class GenerateForm(forms.Form):
    district = forms.ChoiceField(label=gettext_lazy("District"))
    month = forms.CharField(label=gettext_lazy("Month"), widget=forms.TextInput(attrs={"type": "month"}))


class CorrectionForm(forms.Form):
    line = forms.IntegerField(widget=forms.HiddenInput)
    difference = forms.DecimalField(label=gettext_lazy("Amount to add (negative to deduct)"), decimal_places=2)
    reason = forms.CharField(label=gettext_lazy("Reason for the correction"), max_length=300)


def _months_choice(value: str) -> date | None:
    try:
        year, month = value.split("-")
        return date(int(year), int(month), 1)
    except (ValueError, TypeError):
        return None


def _areas(actor) -> list[tuple[str, str]]:
    """The actor's own scope paths, named (a community, a street, a district)."""
    names = unit_names(actor.scope_paths)
    return [(p, names.get(p, p)) for p in actor.scope_paths if p.isdigit()]


def _classes() -> list[tuple[str, str]]:
    return [(c.value, str(c.label)) for c in CLASS_ORDER]


def _with_units(rows, attr: str = "path", length: int = 12):
    names = unit_names({getattr(r, attr)[:length] for r in rows})
    for row in rows:
        row.unit_name = names.get(getattr(row, attr)[:length], getattr(row, attr)[:length])
        if hasattr(row, "head_name"):
            row.head_masked = mask_name(row.head_name)
    return rows


def _class_chart(figures) -> Chart:
    return Chart(
        id="welfare-roll-classes",
        kind="bars",
        title=_("Households on the roll per class"),
        category_label=_("Assistance class"),
        categories=[f.label for f in figures],
        series=[
            Series(_("Households"), [f.households for f in figures]),
            Series(_("Members"), [f.members for f in figures]),
        ],
    )


def _month_chart(months, *, amounts: bool) -> Chart:
    values = months.amounts if amounts else months.households
    return Chart(
        id="welfare-roll-months-amounts" if amounts else "welfare-roll-months",
        kind="line" if amounts else "bars",
        title=_("Amounts paid per class and month (yuan)") if amounts else _("Households paid per class and month"),
        category_label=_("Month"),
        categories=[f"{m:%Y-%m}" for m in months.months],
        series=[
            Series(str(AssistanceClass(c).label), [float(v) for v in values[c]] if amounts else values[c])
            for c in (AssistanceClass.TEKUN, AssistanceClass.DIBAO)
            if c in values
        ],
    )


# ================================================================ the roll


@staff_page(*ROLL)
def roll_home(request):
    actor = request.actor
    state = request.GET.get("state", "")
    cls = request.GET.get("class", "")
    under = request.GET.get("under", "")
    name = request.GET.get("name", "").strip()[:20]
    today = timezone.localdate()
    rows = recipient_list(actor=actor, state=state, assistance_class=cls, under=under, name=name)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    _with_units(page.object_list)
    for row in page.object_list:
        row.review_status = review_status(row.next_review_on, today)
    figures = roll_figures(actor=actor, under=under)
    months = payroll_months(actor=actor, today=today)
    return render(
        request,
        "welfare/staff/roll/home.html",
        {
            "page": page,
            "figures": figures,
            "total_households": sum(f.households for f in figures),
            "total_amount": sum((f.amount for f in figures), Decimal("0")),
            "class_chart": _class_chart(figures),
            "month_chart": _month_chart(months, amounts=False),
            "amount_chart": _month_chart(months, amounts=True),
            "state": state,
            "cls": cls,
            "under": under,
            "name": name,
            "states": RecipientState.choices,
            "classes": _classes(),
            "areas": _areas(actor),
            "section": "roll",
        },
    )


def _recipient_page(request, recipient, *, forms_with_errors: dict | None = None, status: int = 200):
    actor = request.actor
    forms_with_errors = forms_with_errors or {}
    household = services.recipient_facts(actor=actor, recipient=recipient)
    members = []
    if household is not None:
        for i, m in enumerate(household.members, start=1):
            members.append(
                {
                    "n": i,
                    "age": (timezone.localdate() - m.birth_date).days // 365,
                    "employed": m.employed,
                    "incomes": [
                        (str(INCOME_LABELS.get(x.source, x.source)), x.monthly) for x in m.incomes if x.source != "wage"
                    ],
                    "wage": sum((x.monthly for x in m.incomes if x.source == "wage"), Decimal("0")),
                }
            )
    reviews = list(recipient.reviews.filter(state="proposed"))
    return render(
        request,
        "welfare/staff/roll/recipient.html",
        {
            "r": recipient,
            "unit_name": unit_names([recipient.path[:12]]).get(recipient.path[:12], ""),
            "head_masked": mask_name(recipient.head_name),
            "changes": recipient_changes(recipient),
            "determinations": recipient_determinations(recipient),
            "household": household,
            "members": members,
            "review": reviews[0] if reviews else None,
            "reason_form": forms_with_errors.get("review") or ReasonForm(),
            "stop_form": forms_with_errors.get("stop") or ReasonForm(),
            "account_form": forms_with_errors.get("account") or AccountForm(),
            "reveal_form": forms_with_errors.get("reveal") or RevealForm(),
            "facts_error": forms_with_errors.get("facts"),
            "revealed": forms_with_errors.get("revealed", ""),
            "may_stop": actor.has_perm(WELFARE_DECIDE) and recipient.state != RecipientState.STOPPED,
            "may_reveal": actor.has_perm(WELFARE_REVEAL),
            "today": timezone.localdate(),
            "section": "roll",
        },
        status=status,
    )


@staff_page(*ROLL)
def recipient(request, public_id):
    return _recipient_page(request, recipient_get(actor=request.actor, public_id=public_id))


@require_POST
@staff_page(*ROLL)
def recipient_facts(request, public_id):
    """The worker updates the members' monthly incomes (e.g. a member found work) and the
    household is determined again with the current rules: the proposal is shown beside the
    current class and amount, to be confirmed with a reason."""
    actor = request.actor
    found = recipient_get(actor=actor, public_id=public_id)
    household = services.recipient_facts(actor=actor, recipient=found)
    if household is None:
        return redirect("portal:welfare:roll-recipient", public_id=public_id)
    members = []
    problems = []
    for i, member in enumerate(household.members, start=1):
        raw = request.POST.get(f"wage_{i}", "").strip() or "0"
        try:
            wage = Decimal(raw).quantize(Decimal("0.01"))
        except InvalidOperation:
            problems.append(i)
            wage = Decimal("0")
        others = tuple(x for x in member.incomes if x.source != "wage")
        incomes = ((Income("wage", wage),) if wage else ()) + others
        employed = bool(request.POST.get(f"employed_{i}")) or wage > 0
        members.append(dataclasses.replace(member, incomes=incomes, employed=employed))
    if problems:
        error = _("The wage of member %(n)s is not an amount") % {"n": problems[0]}
        return _recipient_page(request, found, forms_with_errors={"facts": error}, status=422)
    try:
        services.recipient_facts_update(
            actor=actor,
            recipient=found,
            household=dataclasses.replace(household, members=tuple(members)),
            reason=request.POST.get("reason", ""),
        )
        services.review_household(actor=actor, recipient=found)
    except DomainError as error:
        detail = "; ".join(str(f.message) for f in error.fields) or str(error.message)
        return _recipient_page(request, found, forms_with_errors={"facts": detail}, status=422)
    messages.success(request, _("Facts updated and the household determined again with the current rules."))
    return redirect("portal:welfare:roll-recipient", public_id=public_id)


@require_POST
@staff_page(*ROLL)
def recipient_redetermine(request, public_id):
    actor = request.actor
    found = recipient_get(actor=actor, public_id=public_id)
    try:
        services.review_household(actor=actor, recipient=found)
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("portal:welfare:roll-recipient", public_id=public_id)


@require_POST
@staff_page(WELFARE_DECIDE)
def recipient_stop(request, public_id):
    actor = request.actor
    found = recipient_get(actor=actor, public_id=public_id)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.recipient_stop(
            actor=actor,
            recipient=found,
            reason=request.POST.get("reason", ""),
            confirm=bool(request.POST.get("confirm")),
        )
    except DomainError as error:
        add_domain_errors(form, error)
        return _recipient_page(request, found, forms_with_errors={"stop": form}, status=422)
    messages.success(request, _("Assistance stopped; the household keeps its row and gets a notice."))
    return redirect("portal:welfare:roll-recipient", public_id=public_id)


@require_POST
@staff_page(*ROLL)
def recipient_account(request, public_id):
    actor = request.actor
    found = recipient_get(actor=actor, public_id=public_id)
    form = AccountForm(request.POST)
    form.is_valid()
    try:
        services.recipient_account_set(
            actor=actor,
            recipient=found,
            bank_name=request.POST.get("bank_name", ""),
            account_number=request.POST.get("account_number", ""),
            reason=request.POST.get("reason", ""),
        )
    except DomainError as error:
        add_domain_errors(form, error)
        return _recipient_page(request, found, forms_with_errors={"account": form}, status=422)
    messages.success(request, _("Payee account recorded."))
    return redirect("portal:welfare:roll-recipient", public_id=public_id)


@require_POST
@staff_page(WELFARE_REVEAL)
def recipient_reveal(request, public_id):
    actor = request.actor
    found = recipient_get(actor=actor, public_id=public_id)
    form = RevealForm(request.POST)
    form.is_valid()
    try:
        number = services.recipient_account_reveal(actor=actor, recipient=found, reason=request.POST.get("reason", ""))
    except DomainError as error:
        add_domain_errors(form, error)
        return _recipient_page(request, found, forms_with_errors={"reveal": form}, status=422)
    return _recipient_page(request, found, forms_with_errors={"revealed": number})


@staff_page(*ROLL)
def change_notice(request, public_id, change_id):
    """The printable change notice (变更告知书) for a household without an account."""
    found = recipient_get(actor=request.actor, public_id=public_id)
    change = found.changes.filter(public_id=change_id).first()
    if change is None:
        return redirect("portal:welfare:roll-recipient", public_id=public_id)
    return render(
        request,
        "welfare/staff/roll/notice.html",
        {
            "r": found,
            "c": change,
            "unit_name": unit_names([found.path[:12]]).get(found.path[:12], ""),
            "head_masked": mask_name(found.head_name),
            "kind_label": ChangeKind(change.kind).label,
        },
    )


# ================================================================ reviews


@staff_page(*ROLL)
def reviews(request):
    actor = request.actor
    today = timezone.localdate()
    under = request.GET.get("under", "")
    outcome = request.GET.get("outcome", "")
    proposals = open_reviews(actor=actor, under=under, outcome=outcome)
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    for review in page.object_list:
        review.head_masked = mask_name(review.recipient.head_name)
        review.changed = review.outcome != Outcome.UNCHANGED
    _with_units(page.object_list)
    due = list(review_due_list(actor=actor, today=today, under=under)[:PAGE_SIZE])
    _with_units(due)
    for row in due:
        row.review_status = review_status(row.next_review_on, today)
    areas = _areas(actor)
    form = RecomputeForm(initial={"on": today})
    form.fields["scope"].choices = areas
    return render(
        request,
        "welfare/staff/roll/reviews.html",
        {
            "page": page,
            "due": due,
            "counts": review_counts(actor=actor, today=today, under=under),
            "outcomes": Outcome.choices,
            "outcome": outcome,
            "under": under,
            "areas": areas,
            "form": form,
            "batch_form": ReasonForm(),
            "section": "reviews",
        },
    )


@require_POST
@staff_page(*ROLL)
def reviews_recompute(request):
    actor = request.actor
    form = RecomputeForm(request.POST)
    form.fields["scope"].choices = _areas(actor)
    if form.is_valid():
        try:
            run = services.review_recompute(actor=actor, scope=form.cleaned_data["scope"], on=form.cleaned_data["on"])
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(n)s households computed with the rules of %(on)s: %(d)s differ from the roll.")
                % {"n": run.households, "on": f"{run.on:%Y-%m-%d}", "d": run.differences},
            )
    else:
        messages.error(request, _("Choose an area and a date."))
    return redirect("portal:welfare:roll-reviews")


@require_POST
@staff_page(*ROLL)
def reviews_confirm_unchanged(request):
    actor = request.actor
    under = request.POST.get("under", "") or (actor.scope_paths[0] if actor.scope_paths else "")
    try:
        done = services.review_confirm_unchanged(actor=actor, under=under, reason=request.POST.get("reason", ""))
    except DomainError as error:
        detail = "; ".join(str(f.message) for f in error.fields) or str(error.message)
        messages.error(request, detail)
    else:
        messages.success(request, _("%(n)s unchanged reviews confirmed.") % {"n": done})
    return redirect("portal:welfare:roll-reviews")


@require_POST
@staff_page(*ROLL)
def review_confirm(request, public_id):
    actor = request.actor
    review = review_get(actor=actor, public_id=public_id)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.review_confirm(
            actor=actor, review=review, reason=request.POST.get("reason", ""), confirm=bool(request.POST.get("confirm"))
        )
    except DomainError as error:
        add_domain_errors(form, error)
        return _recipient_page(request, review.recipient, forms_with_errors={"review": form}, status=422)
    messages.success(request, _("Review confirmed; the roll changed and the household gets a notice."))
    return redirect("portal:welfare:roll-recipient", public_id=review.recipient.public_id)


# ================================================================ payroll


def _districts(actor) -> list[tuple[str, str]]:
    paths = sorted({p[:6] for p in actor.scope_paths if len(p) >= 6})
    names = unit_names(paths)
    return [(p, names.get(p, p)) for p in paths]


@staff_page(*ROLL)
def payrolls(request):
    actor = request.actor
    today = timezone.localdate()
    rows = list(payroll_list(actor=actor)[:36])
    form = GenerateForm(initial={"month": f"{add_months(month_start(today), 1):%Y-%m}"})
    form.fields["district"].choices = _districts(actor)
    return render(
        request,
        "welfare/staff/roll/payrolls.html",
        {
            "rows": rows,
            "form": form,
            "may_generate": actor.has_perm(WELFARE_DECIDE),
            "section": "payroll",
        },
    )


@require_POST
@staff_page(WELFARE_DECIDE)
def payroll_generate(request):
    actor = request.actor
    month = _months_choice(request.POST.get("month", ""))
    if month is None:
        messages.error(request, _("Choose a month."))
        return redirect("portal:welfare:payrolls")
    try:
        payroll = services.payroll_generate(actor=actor, district_path=request.POST.get("district", ""), month=month)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("portal:welfare:payrolls")
    messages.success(request, _("Payroll generated from the roll."))
    return redirect("portal:welfare:payroll", public_id=payroll.public_id)


def _payroll_page(request, payroll, *, approve_error: str = "", correction: CorrectionForm | None = None, status=200):
    actor = request.actor
    under = request.GET.get("under", "")
    lines = payroll_lines(actor=actor, payroll=payroll, under=under)
    page = Paginator(lines, PAGE_SIZE).get_page(request.GET.get("page"))
    _with_units(page.object_list)
    totals = payroll_totals(actor=actor, payroll=payroll, length=9)
    names = unit_names([t.path for t in totals])
    for t in totals:
        t.name = names.get(t.path, t.path)
    chart = Chart(
        id="welfare-payroll-streets",
        kind="hbars",
        title=_("Amount per street (yuan)"),
        category_label=_("Street"),
        categories=[t.name for t in totals],
        series=[Series(_("Amount paid"), [float(t.amount) for t in totals])],
    )
    corrections = list(payroll.lines.filter(corrects__isnull=False).select_related("corrects__payroll")[:50])
    return render(
        request,
        "welfare/staff/roll/payroll.html",
        {
            "p": payroll,
            "page": page,
            "totals": totals,
            "sum_households": sum(t.households for t in totals),
            "sum_members": sum(t.members for t in totals),
            "sum_amount": sum((t.amount for t in totals), Decimal("0")),
            "chart": chart,
            "frozen": payroll.state == PayrollState.APPROVED,
            "may_decide": actor.has_perm(WELFARE_DECIDE),
            "may_reveal": actor.has_perm(WELFARE_REVEAL),
            "approve_error": approve_error,
            "correction": correction or CorrectionForm(),
            "corrections": corrections,
            "paid_classes": PAID_CLASSES,
            "section": "payroll",
        },
        status=status,
    )


@staff_page(*ROLL)
def payroll(request, public_id):
    return _payroll_page(request, payroll_get(actor=request.actor, public_id=public_id))


@require_POST
@staff_page(WELFARE_DECIDE)
def payroll_approve(request, public_id):
    actor = request.actor
    found = payroll_get(actor=actor, public_id=public_id)
    try:
        services.payroll_approve(
            actor=actor, payroll=found, note=request.POST.get("note", ""), confirm=bool(request.POST.get("confirm"))
        )
    except DomainError as error:
        detail = "; ".join(str(f.message) for f in error.fields) or str(error.message)
        return _payroll_page(request, found, approve_error=detail, status=422)
    messages.success(request, _("Payroll approved and frozen."))
    return redirect("portal:welfare:payroll", public_id=public_id)


@require_POST
@staff_page(WELFARE_DECIDE)
def payroll_correct(request, public_id):
    actor = request.actor
    found = payroll_get(actor=actor, public_id=public_id)
    form = CorrectionForm(request.POST)
    if form.is_valid():
        line = payroll_lines(actor=actor, payroll=found).filter(pk=form.cleaned_data["line"]).first()
        if line is None:
            form.add_error(None, _("That line is not in this payroll."))
        else:
            try:
                correction = services.payroll_correct(
                    actor=actor,
                    line=line,
                    difference=form.cleaned_data["difference"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as error:
                add_domain_errors(form, error)
            else:
                messages.success(request, _("Correction line added to the supplementary payroll."))
                return redirect("portal:welfare:payroll", public_id=correction.payroll.public_id)
    return _payroll_page(request, found, correction=form, status=422)


@staff_page(*ROLL)
def payroll_export(request, public_id):
    """The bank file: GET gives the masked file; POST with a reason the full one (WELFARE_REVEAL)."""
    actor = request.actor
    found = payroll_get(actor=actor, public_id=public_id)
    file_format = request.GET.get("format") or request.POST.get("format", "xlsx")
    reveal = request.method == "POST"
    try:
        content, filename, content_type = services.payroll_export(
            actor=actor, payroll=found, file_format=file_format, reveal=reveal, reason=request.POST.get("reason", "")
        )
    except DomainError as error:
        detail = "; ".join(str(f.message) for f in error.fields) or str(error.message)
        if error.status == 403:
            raise
        return _payroll_page(request, found, approve_error=detail, status=422)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
