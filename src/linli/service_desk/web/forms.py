"""Forms of the desk's pages. Field names follow the services' FieldError names so that each
refusal lands next to its input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.service_desk.domain import (
    Channel,
    Decision,
    DeliveryMethod,
    FollowUpMethod,
    MaterialStatus,
    ProxyConsentMethod,
    RatingLevel,
    RectificationVerdict,
)

DATE = forms.DateInput(attrs={"type": "date"})


class LookupForm(forms.Form):
    id_number = forms.CharField(
        label=_("Applicant's ID number"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "autofocus": True}),
        help_text=_("Any resident of the city, whichever community they live in (全市通办)."),
    )


class IntakeForm(forms.Form):
    """Step two: item, channel, the materials checklist and, for proxy or home handling, the
    consent or the visit. The checklist fields are added per item's materials."""

    item_code = forms.ChoiceField(label=_("Service item"))
    channel = forms.ChoiceField(
        label=_("How is it handled?"),
        choices=[(c.value, c.label) for c in (Channel.WINDOW, Channel.PROXY, Channel.HOME)],
        widget=forms.RadioSelect,
        initial=Channel.WINDOW,
    )
    desk_path = forms.ChoiceField(label=_("Accepting window"), required=False)
    deferred_until = forms.DateField(
        label=_("Promised material due by"), required=False, widget=DATE, help_text=_("Only with 容缺 materials.")
    )
    proxy_method = forms.ChoiceField(
        label=_("Consent given by"), required=False, choices=[("", "—"), *ProxyConsentMethod.choices]
    )
    proxy_reason = forms.CharField(label=_("Why by proxy"), required=False, max_length=200)
    proxy_valid_until = forms.DateField(label=_("Consent valid until"), required=False, widget=DATE)
    home_visit_at = forms.DateTimeField(
        label=_("Home visit at"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    note = forms.CharField(
        label=_("Details of the application"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, items=(), desks=(), materials=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item_code"].choices = [("", "—"), *[(i.code, f"{i.code} {i.current.name}") for i in items]]
        self.fields["desk_path"].choices = list(desks)
        if len(desks) <= 1:
            self.fields["desk_path"].widget = forms.HiddenInput()
        self.materials = list(materials)
        for material in self.materials:
            if material.pool_held:
                continue
            choices = [(MaterialStatus.PROVIDED, _("Provided")), (MaterialStatus.MISSING, _("Missing"))]
            if material.deferrable:
                choices.insert(1, (MaterialStatus.DEFERRED, _("Promised later (容缺)")))
            self.fields[f"checklist.{material.key}"] = forms.ChoiceField(
                label=material.name,
                choices=choices,
                widget=forms.RadioSelect,
                initial=MaterialStatus.MISSING,
                required=False,
            )

    def checklist(self) -> dict[str, str]:
        return {
            name.split(".", 1)[1]: value
            for name, value in self.cleaned_data.items()
            if name.startswith("checklist.") and value
        }


class ApplyForm(forms.Form):
    """A resident's online application: what they will send and a few words."""

    note = forms.CharField(
        label=_("Anything the office should know"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, materials=(), **kwargs):
        super().__init__(*args, **kwargs)
        for material in materials:
            if material.pool_held:
                continue
            self.fields[f"checklist.{material.key}"] = forms.BooleanField(
                label=material.name, required=False, help_text=_("I have it ready to show or send")
            )

    def checklist(self) -> dict[str, str]:
        return {
            name.split(".", 1)[1]: MaterialStatus.PROVIDED
            for name, value in self.cleaned_data.items()
            if name.startswith("checklist.") and value
        }


class StepForm(forms.Form):
    """One form for every workflow step; each step uses the fields it needs."""

    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    decision = forms.ChoiceField(label=_("Decision"), required=False, choices=[("", "—"), *Decision.choices])
    delivery_method = forms.ChoiceField(
        label=_("Delivered by"), required=False, choices=[("", "—"), *DeliveryMethod.choices]
    )
    score = forms.TypedChoiceField(
        label=_("Rating given by the applicant"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *RatingLevel.choices],
    )


class FollowUpForm(forms.Form):
    method = forms.ChoiceField(label=_("How"), choices=FollowUpMethod.choices)
    summary = forms.CharField(label=_("What the resident said"), widget=forms.Textarea(attrs={"rows": 2}))
    resident_satisfied = forms.NullBooleanField(label=_("Resident satisfied now"), required=False)


class RectificationCloseForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Verdict"), choices=RectificationVerdict.choices)
    summary = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}))
