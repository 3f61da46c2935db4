"""Forms of the time-bank pages. Field names follow the services' FieldError names (service,
units, beneficiary, minutes, recipient, reason, provider, confirmed) so that each refusal lands
next to its input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core.forms import DateTimeInput
from linli.timebank.domain import Beneficiary


class ExchangeForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"), widget=forms.RadioSelect)
    units = forms.IntegerField(label=_("How many times (or hours)"), min_value=1, max_value=20, initial=1)
    beneficiary = forms.ChoiceField(
        label=_("Who is it for?"),
        choices=[c for c in Beneficiary.choices if c[0] != Beneficiary.NEIGHBOUR],
        initial=Beneficiary.SELF,
    )
    note = forms.CharField(
        label=_("When and where (for the community worker)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("e.g. Tuesday afternoon, my father's flat")}),
    )

    def __init__(self, *args, choices=(), pool=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = list(choices)
        if pool:  # a community pool pays for a neighbour in need, nobody else
            self.fields["beneficiary"].choices = [(Beneficiary.NEIGHBOUR, Beneficiary.NEIGHBOUR.label)]
            self.fields["beneficiary"].initial = Beneficiary.NEIGHBOUR


class DonationForm(forms.Form):
    TO_POOL, TO_VOLUNTEER = "pool", "volunteer"
    to = forms.ChoiceField(
        label=_("Donate to"),
        choices=[(TO_POOL, _("My community's pool (for neighbours in need)")), (TO_VOLUNTEER, _("Another volunteer"))],
        widget=forms.RadioSelect,
        initial=TO_POOL,
    )
    recipient = forms.UUIDField(
        label=_("The volunteer's number (ask your community worker)"),
        required=False,
        error_messages={"invalid": _("This is not a volunteer number.")},
    )
    minutes = forms.IntegerField(label=_("Minutes to donate"), min_value=1, max_value=100_000)
    reason = forms.CharField(label=_("Why (required)"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    confirmed = forms.BooleanField(
        label=_("I understand a donation cannot be taken back"),
        required=False,
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you cancelling it?"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class StepForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    provider = forms.UUIDField(
        label=_("Providing volunteer"),
        required=False,
        error_messages={"invalid": _("This is not a volunteer number.")},
    )
    scheduled_for = forms.DateTimeField(
        label=_("Scheduled for"),
        required=False,
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CorrectionForm(forms.Form):
    minutes = forms.IntegerField(
        label=_("Minutes (negative takes minutes back)"), min_value=-100_000, max_value=100_000
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class LookupForm(forms.Form):
    holder = forms.UUIDField(
        label=_("Volunteer number"), error_messages={"invalid": _("This is not a volunteer number.")}
    )


class ServiceForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=60)
    name_en = forms.CharField(label=_("Name (English)"), max_length=80)
    unit_zh = forms.CharField(label=_("Unit (Chinese)"), max_length=10)
    unit_en = forms.CharField(label=_("Unit (English)"), max_length=20)
    minutes_per_unit = forms.IntegerField(label=_("Minutes per unit"), min_value=1, max_value=1440)
    is_active = forms.BooleanField(label=_("Offered for exchange"), required=False, initial=True)


class ExpiryForm(forms.Form):
    years = forms.IntegerField(
        label=_("Unspent hours expire after (years; empty: never)"), min_value=1, max_value=50, required=False
    )
    verified = forms.BooleanField(label=_("Verified against the city's rules"), required=False)
    source = forms.CharField(label=_("Source (document name or number)"), max_length=300, required=False)
