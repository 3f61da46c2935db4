"""Forms of the charity pages. Field names follow the services' FieldError names (title,
beneficiary, quantity, amount, decision_text, …) so that each refusal lands next to its input;
amounts are text so the service names the problem (yuan, two places)."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.charity.domain import CATEGORIES, Kind, Reach
from linli.core.forms import DateInput

DATE = DateInput()
MONEY = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
NUMBER = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})


def category_choices() -> list:
    groups: dict[str, list] = {}
    for category in CATEGORIES:
        groups.setdefault(str(Kind(category.kind).label), []).append((category.code, _category_name(category)))
    return [("", _("No particular category")), *groups.items()]


def _category_name(category) -> str:
    from linli.core.errors import Msg

    return str(Msg(category.zh, category.en))


class NeedForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    category = forms.ChoiceField(label=_("Category"), required=False)
    title = forms.CharField(
        label=_("What is needed"), max_length=60, widget=forms.TextInput(attrs={"placeholder": _("e.g. A wheelchair")})
    )
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, initial=1, widget=NUMBER)
    unit = forms.CharField(label=_("Unit"), max_length=8, initial="件")
    beneficiary = forms.CharField(
        label=_("For whom (shown publicly)"),
        max_length=40,
        help_text=_("A form of address and a short situation only, e.g. 王女士，独居老人. No ID or phone numbers."),
    )
    description = forms.CharField(
        label=_("Description (shown publicly)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    needed_by = forms.DateField(label=_("Needed by"), required=False, widget=DATE)
    community = forms.ChoiceField(label=_("Community"))
    note = forms.CharField(
        label=_("Internal note (staff only, encrypted)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Address, contact and circumstances: seen only by charity staff of the community."),
    )

    def __init__(self, *args, communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()
        self.fields["community"].choices = list(communities)


class OfferForm(forms.Form):
    """A donor's own offer (resident or organisation) or a walk-in donor recorded by staff."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    category = forms.ChoiceField(label=_("Category"), required=False)
    title = forms.CharField(
        label=_("What you offer"), max_length=60, widget=forms.TextInput(attrs={"placeholder": _("e.g. Winter coats")})
    )
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, initial=1, widget=NUMBER)
    unit = forms.CharField(label=_("Unit"), max_length=8, initial="件")
    description = forms.CharField(
        label=_("Description"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    reach = forms.ChoiceField(label=_("Area served"), choices=Reach.choices, initial=Reach.COMMUNITY)
    available_until = forms.DateField(label=_("Available until"), required=False, widget=DATE)
    anonymous = forms.BooleanField(label=_("Give anonymously (my name is never shown publicly)"), required=False)
    org = forms.TypedChoiceField(label=_("Give as"), required=False, coerce=uuid.UUID, empty_value=None)
    donor_name = forms.CharField(label=_("Donor's name or organisation"), required=False, max_length=100)
    donor_contact = forms.CharField(label=_("Donor's phone (encrypted)"), required=False, max_length=40)
    community = forms.ChoiceField(label=_("Community"), required=False)

    def __init__(self, *args, orgs=(), communities=(), walk_in=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()
        if orgs:
            self.fields["org"].choices = [("", _("Myself")), *orgs]
        else:
            del self.fields["org"]
        if walk_in:
            self.fields["donor_name"].required = True
            self.fields["community"].choices = list(communities)
        else:
            for name in ("donor_name", "donor_contact", "community"):
                del self.fields[name]


class MatchForm(forms.Form):
    offer = forms.UUIDField(widget=forms.HiddenInput)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, widget=NUMBER)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class FundForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    community = forms.ChoiceField(label=_("Community"), required=False)
    purpose = forms.CharField(
        label=_("Purpose (shown publicly)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    threshold = forms.CharField(
        label=_("Decision threshold (yuan)"),
        initial="5000.00",
        widget=MONEY,
        help_text=_("Payments above it need the residents' decision recorded. Default ¥5,000; editable."),
    )

    def __init__(self, *args, communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        if communities:
            self.fields["community"].choices = list(communities)
        else:
            del self.fields["community"]


class DonationForm(forms.Form):
    amount = forms.CharField(label=_("Amount (yuan)"), widget=MONEY)
    on = forms.DateField(label=_("Date"), widget=DATE)
    receipt = forms.CharField(label=_("Receipt number"), max_length=40)
    donor_name = forms.CharField(label=_("Donor"), required=False, max_length=100)
    anonymous = forms.BooleanField(label=_("Anonymous (the donor's name is not shown publicly)"), required=False)


class PaymentForm(forms.Form):
    amount = forms.CharField(label=_("Amount (yuan)"), widget=MONEY)
    on = forms.DateField(label=_("Date"), widget=DATE)
    purpose = forms.CharField(label=_("What it pays for"), max_length=200)
    payee = forms.CharField(label=_("Payee"), max_length=100)
    receipt = forms.CharField(label=_("Invoice or receipt number"), max_length=40)
    decision_text = forms.CharField(
        label=_("Residents' decision"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    decision_on = forms.DateField(label=_("Decision date"), required=False, widget=DATE)
    decision_ref = forms.CharField(label=_("Meeting or reference"), required=False, max_length=100)
    request = forms.UUIDField(required=False, widget=forms.HiddenInput)


class RequestForm(forms.Form):
    purpose = forms.CharField(label=_("What it pays for"), max_length=200)
    payee = forms.CharField(label=_("Payee"), max_length=100)
    amount = forms.CharField(label=_("Amount (yuan)"), widget=MONEY)


class CorrectionForm(forms.Form):
    corrects = forms.ChoiceField(label=_("Entry to correct"))
    amount = forms.CharField(
        label=_("Amount (yuan; negative to take off)"), widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["corrects"].choices = list(entries)
