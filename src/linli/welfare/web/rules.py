"""Staff pages of the rules: the parameter table as of a date (example values marked, the city's
values with who and why), each parameter's history, the form to add a dated change (the city's
civil-affairs officer), and the trial calculator (试算) that saves nothing."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.accounts.domain import WELFARE_DECIDE, WELFARE_INTAKE, WELFARE_REVIEW, WELFARE_RULES
from linli.core.errors import DomainError, validation_failed
from linli.core.forms import DateInput, add_domain_errors
from linli.core.web import staff_page
from linli.welfare.domain.rules import TRIAL_MAX_MEMBERS, trial_facts
from linli.welfare.rules.engine import CLASS_LABELS, format_parameter, yuan
from linli.welfare.rules.parameters import ParameterMissing, definitions
from linli.welfare.selectors.rules import (
    may_edit_rules,
    parameter_history,
    parameter_table,
    recent_changes,
    rules_trial,
)
from linli.welfare.services.rules import parameter_change_record

READERS = (WELFARE_RULES, WELFARE_INTAKE, WELFARE_REVIEW, WELFARE_DECIDE)

GROUPS = {
    "dibao": gettext_lazy("Dibao (minimum living allowance)"),
    "tekun": gettext_lazy("Extreme-poverty support (tekun)"),
    "edge": gettext_lazy("Near-dibao households"),
    "income": gettext_lazy("Counting income"),
    "rigid": gettext_lazy("Rigid expenditure deducted"),
    "property": gettext_lazy("Household property"),
    "addon": gettext_lazy("Classified add-ons"),
    "review": gettext_lazy("Dynamic review"),
    "temporary": gettext_lazy("Temporary assistance"),
    "employment": gettext_lazy("Working age"),
    "notice": gettext_lazy("Public notice period"),
    "refusal": gettext_lazy("Refusals"),
}
UNIT_LABELS = {
    "yuan": "",
    "yuan_person_month": gettext_lazy("per person per month"),
    "yuan_household_month": gettext_lazy("per household per month"),
    "factor": gettext_lazy("times"),
    "share": "",
    "months": gettext_lazy("months"),
    "years": gettext_lazy("years of age"),
    "days": gettext_lazy("days"),
    "working_days": gettext_lazy("working days"),
    "count": "",
    "level": gettext_lazy("(disability level)"),
    "flag": "",
}


def _english() -> bool:
    return (translation.get_language() or "").startswith("en")


def _label(item) -> str:
    return item.label_en if _english() else item.label_zh


def _shown(unit: str, shown: str, value) -> str:
    if unit == "flag" and value is not None:
        return _("Yes") if value >= 1 else _("No")
    suffix = UNIT_LABELS.get(unit, "")
    return f"{shown} {suffix}".strip()


def _date(text: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        return default


class ChangeForm(forms.Form):
    """Only shape here: the service checks every value and names each problem at once."""

    name = forms.ChoiceField(label=gettext_lazy("Parameter"))
    value = forms.CharField(label=gettext_lazy("New value"), max_length=30, required=False)
    valid_from = forms.CharField(label=gettext_lazy("Applies from"), required=False, widget=DateInput())
    reason = forms.CharField(label=gettext_lazy("Reason for the change"), max_length=300, required=False)
    document = forms.CharField(
        label=gettext_lazy("Document number"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("The city's document that sets the value, e.g. 沈民发〔2026〕12号"),
    )
    confirm_past = forms.BooleanField(
        label=gettext_lazy("I confirm a date in the past: determinations already made are not recomputed"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].choices = [(name, f"{_label(item)} · {name}") for name, item in definitions().items()]


def _change(request, form: ChangeForm):
    """Record the change in a bound form; the row, or None with the errors on the form."""
    if not form.is_valid():
        return None
    try:
        return parameter_change_record(actor=request.actor, **form.cleaned_data)
    except DomainError as error:
        add_domain_errors(form, error)
        return None


@staff_page(*READERS)
def home(request):
    actor = request.actor
    today = timezone.localdate()
    on = _date(request.GET.get("on"), today)
    may_edit = may_edit_rules(actor)
    form = ChangeForm(request.POST or None, initial={"valid_from": (today + dt.timedelta(days=1)).isoformat()})
    if request.method == "POST":
        if not may_edit:
            raise Http404
        row = _change(request, form)
        if row is not None:
            messages.success(
                request,
                _("Parameter change recorded: %(label)s, applies from %(day)s")
                % {"label": _label(definitions()[row.name]), "day": row.valid_from},
            )
            return redirect(f"{reverse('portal:welfare:rules')}?on={row.valid_from.isoformat()}")
    groups: dict[str, dict] = {}
    for entry in parameter_table(actor=actor, on=on):
        item = definitions()[entry.row.name]
        key = entry.row.name.split(".")[0]
        groups.setdefault(key, {"label": GROUPS.get(key, key), "rows": []})["rows"].append(
            {
                "name": entry.row.name,
                "label": _label(item),
                "shown": _shown(item.unit, entry.shown_value, entry.row.value),
                "valid_from": entry.row.valid_from,
                "example": entry.row.example,
                "change": entry.change,
                "missing": entry.row.value is None,
            }
        )
    return render(
        request,
        "welfare/staff/rules/home.html",
        {
            "groups": [
                groups[key] for key in sorted(groups, key=lambda k: list(GROUPS).index(k) if k in GROUPS else 99)
            ],
            "on": on,
            "today": today,
            "may_edit": may_edit,
            "form": form,
            "recent": [
                {
                    "c": c,
                    "label": _label(definitions()[c.name]) if c.name in definitions() else c.name,
                    "shown": _shown(definitions()[c.name].unit, format_parameter(c.name, c.value), c.value)
                    if c.name in definitions()
                    else str(c.value),
                }
                for c in recent_changes(actor=actor, limit=10)
            ],
            "section": "table",
        },
    )


@staff_page(*READERS)
def parameter(request, name: str):
    actor = request.actor
    today = timezone.localdate()
    on = _date(request.GET.get("on"), today)
    item = definitions().get(name)
    if item is None:
        raise Http404
    may_edit = may_edit_rules(actor)
    form = ChangeForm(
        request.POST or None, initial={"name": name, "valid_from": (today + dt.timedelta(days=1)).isoformat()}
    )
    if request.method == "POST":
        if not may_edit:
            raise Http404
        row = _change(request, form)
        if row is not None:
            done = _("Parameter change recorded: %(label)s, applies from %(day)s")
            messages.success(request, done % {"label": _label(item), "day": row.valid_from})
            return redirect("portal:welfare:rules-parameter", name=row.name)
    try:
        history = parameter_history(actor=actor, name=name, on=on)
    except ParameterMissing:
        raise Http404 from None
    return render(
        request,
        "welfare/staff/rules/parameter.html",
        {
            "item": item,
            "label": _label(item),
            "reference": item.reference if _english() else item.reference_zh,
            "history": [{"entry": h, "shown": _shown(item.unit, h.shown_value, h.value)} for h in history],
            "may_edit": may_edit,
            "form": form,
            "on": on,
            "section": "table",
        },
    )


# ------------------------------------------------------------------ the trial calculator

TRIAL_ROWS = 6
MEMBER_FIELDS = (
    "age",
    "wage",
    "transfer",
    "other",
    "disability_level",
    "serious_illness",
    "unable_to_work",
    "care_need",
)


class TrialForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("Date of the calculation"), widget=DateInput())
    area = forms.ChoiceField(
        label=gettext_lazy("Standard"),
        choices=[("urban", gettext_lazy("Urban standard")), ("rural", gettext_lazy("Rural standard"))],
    )
    deposits = forms.CharField(label=gettext_lazy("Deposits and financial assets (yuan)"), required=False)
    vehicle_value = forms.CharField(label=gettext_lazy("Value of motor vehicles (yuan)"), required=False)
    homes = forms.IntegerField(
        label=gettext_lazy("Dwellings owned"), min_value=0, max_value=20, initial=1, required=False
    )
    medical_costs = forms.CharField(label=gettext_lazy("Own-paid medical costs a month (yuan)"), required=False)
    education_costs = forms.CharField(label=gettext_lazy("Education costs a month (yuan)"), required=False)
    disability_costs = forms.CharField(label=gettext_lazy("Disability care costs a month (yuan)"), required=False)
    has_able_supporter = forms.BooleanField(
        label=gettext_lazy("A relative obliged and able to support"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        levels = [("", gettext_lazy("None")), *[(str(n), _("Level %(n)s") % {"n": n}) for n in range(1, 5)]]
        care = [
            ("", gettext_lazy("Cares for themself")),
            ("partial", gettext_lazy("Partly dependent")),
            ("full", gettext_lazy("Fully dependent")),
        ]
        for n in range(1, TRIAL_ROWS + 1):
            self.fields[f"m{n}_age"] = forms.CharField(label=gettext_lazy("Age"), required=False, max_length=3)
            self.fields[f"m{n}_wage"] = forms.CharField(label=gettext_lazy("Wages a month"), required=False)
            self.fields[f"m{n}_transfer"] = forms.CharField(
                label=gettext_lazy("Pension and support a month"), required=False
            )
            self.fields[f"m{n}_other"] = forms.CharField(
                label=gettext_lazy("Other counted income a month"), required=False
            )
            self.fields[f"m{n}_disability_level"] = forms.ChoiceField(
                label=gettext_lazy("Disability"), choices=levels, required=False
            )
            self.fields[f"m{n}_serious_illness"] = forms.BooleanField(
                label=gettext_lazy("Seriously ill"), required=False
            )
            self.fields[f"m{n}_unable_to_work"] = forms.BooleanField(
                label=gettext_lazy("Unable to work for another reason"), required=False
            )
            self.fields[f"m{n}_care_need"] = forms.ChoiceField(
                label=gettext_lazy("Care need"), choices=care, required=False
            )

    def member_rows(self):
        return [[self[f"m{n}_{field}"] for field in MEMBER_FIELDS] for n in range(1, TRIAL_ROWS + 1)]

    def facts_data(self) -> tuple[dict, dict[str, str]]:
        """The API's shape of the facts, and how its field names map back to this form's."""
        data = self.cleaned_data
        members = []
        aliases: dict[str, str] = {}
        for n in range(1, TRIAL_ROWS + 1):
            if not (data.get(f"m{n}_age") or "").strip():
                continue
            index = len(members)
            members.append(
                {
                    "age": data[f"m{n}_age"],
                    "incomes": {s: data.get(f"m{n}_{s}") or "0" for s in ("wage", "transfer", "other")},
                    "disability_level": data.get(f"m{n}_disability_level") or "",
                    "serious_illness": data.get(f"m{n}_serious_illness"),
                    "unable_to_work": data.get(f"m{n}_unable_to_work"),
                    "care_need": data.get(f"m{n}_care_need") or "",
                }
            )
            for field in MEMBER_FIELDS:
                aliases[f"members.{index}.{field}"] = f"m{n}_{field}"
            for source in ("wage", "transfer", "other"):
                aliases[f"members.{index}.incomes.{source}"] = f"m{n}_{source}"
        aliases["members"] = "m1_age"
        facts = {
            "area": data.get("area"),
            "members": members,
            "deposits": data.get("deposits"),
            "vehicle_value": data.get("vehicle_value"),
            "homes": 1 if data.get("homes") is None else data.get("homes"),
            "medical_costs": data.get("medical_costs"),
            "education_costs": data.get("education_costs"),
            "disability_costs": data.get("disability_costs"),
            "has_able_supporter": data.get("has_able_supporter"),
        }
        return facts, aliases


@staff_page(*READERS)
def trial(request):
    today = timezone.localdate()
    form = TrialForm(request.POST or None, initial={"on": today, "area": "urban", "homes": 1})
    result = None
    if request.method == "POST" and form.is_valid():
        facts, aliases = form.facts_data()
        household, problems = trial_facts(facts, form.cleaned_data["on"])
        try:
            if problems or household is None:
                raise validation_failed(problems)
            result = rules_trial(actor=request.actor, household=household, on=form.cleaned_data["on"])
        except DomainError as error:
            add_domain_errors(form, error, aliases)
    english = _english()
    return render(
        request,
        "welfare/staff/rules/trial.html",
        {
            "form": form,
            "result": result,
            "class_label": (CLASS_LABELS[result.assistance_class][1 if english else 0]) if result else "",
            "shown": {
                "amount": yuan(result.monthly_amount),
                "per_capita": yuan(result.per_capita_income),
                "standard": yuan(result.standard),
            }
            if result
            else {},
            "trace": [
                {
                    "label": line.label("en" if english else "zh"),
                    "value": line.shown("en" if english else "zh"),
                    "parameters": [
                        {"name": p[0], "label": p[2] if english else p[1], "value": p[3]} for p in line.parameters
                    ],
                }
                for line in (result.trace if result else ())
            ],
            "max_members": TRIAL_MAX_MEMBERS,
            "section": "trial",
        },
    )
