"""Forms for the resident pool's staff pages. Their field names are the services' FieldError
names, so a DomainError's field details land next to the right input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core.errors import DomainError
from linli.core.forms import DateInput, DateTimeInput
from linli.core.forms import add_domain_errors as add_field_errors
from linli.residents.domain import (
    CareKind,
    ConsentMethod,
    Disability,
    Education,
    Employment,
    Gender,
    MoveKind,
    Relation,
    ResidenceType,
)

# Service field names that have no input of the same name on the form they come from.
FIELD_ALIASES = {"consent_method": "sensitive_consent", "household": "household", "visited_at": "visited_at"}


def add_domain_errors(form: forms.Form, error: DomainError) -> None:
    """Put each field error next to its input; the rest (or the message) at the top."""
    add_field_errors(form, error, FIELD_ALIASES)


def _blank(choices) -> list[tuple[str, str]]:
    return [("", "—"), *[(v, label) for v, label in choices if v]]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name, ID number, phone or address"), max_length=50, required=False)


class HouseholdForm(forms.Form):
    building = forms.ChoiceField(label=_("Building"))
    room = forms.CharField(label=_("Room"), max_length=20, help_text=_("Unit-floor and door, e.g. 2-1103"))
    residence_type = forms.ChoiceField(label=_("Residence type"), choices=ResidenceType.choices)

    def __init__(self, *args, buildings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].choices = [
            ("", "—"),
            *[(b.code, f"{b.name} · {b.address or b.code}") for b in buildings],
        ]


class ResidentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    gender = forms.ChoiceField(label=_("Gender"), choices=_blank(Gender.choices))
    birth_date = forms.DateField(label=_("Birth date"), widget=DateInput())
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("Phone"), max_length=20, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    ethnicity = forms.CharField(label=_("Ethnicity"), max_length=20, required=False)
    relation = forms.ChoiceField(label=_("Relation to head"), choices=Relation.choices, initial=Relation.SELF)
    party_member = forms.BooleanField(label=_("Party member"), required=False)
    education = forms.ChoiceField(label=_("Education level"), choices=_blank(Education.choices), required=False)
    employment = forms.ChoiceField(label=_("Employment"), choices=_blank(Employment.choices), required=False)
    disability = forms.ChoiceField(label=_("Disability level"), choices=Disability.choices, required=False)
    sensitive_consent = forms.ChoiceField(
        label=_("Consent to record disability"),
        choices=_blank(ConsentMethod.choices),
        required=False,
        help_text=_("Required when a disability level is recorded (separate consent, PIPL art. 29)."),
    )
    notes = forms.CharField(label=_("Notes"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class VisitForm(forms.Form):
    household = forms.ChoiceField(label=_("Household"))
    findings = forms.CharField(
        label=_("What you found"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    follow_up_needed = forms.BooleanField(label=_("Follow-up needed"), required=False)
    visited_at = forms.DateTimeField(
        label=_("Visited at"),
        required=False,
        help_text=_("Leave empty for now."),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def __init__(self, *args, households=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].choices = [("", "—"), *households]


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to see it?"),
        max_length=500,
        required=False,  # the service says what a reason needs, in the same words as the API
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class MoveForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What happened"), choices=[(k.value, k.label) for k in MoveKind if k != MoveKind.MOVE_IN]
    )
    on = forms.DateField(label=_("Date"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("Where to, or the certificate or decision it rests on. Kept on the record and in the audit log."),
    )
    confirm = forms.BooleanField(
        label=_("I have checked: this ends the person's active record in this community."), required=True
    )


class CareFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Care group"), choices=[("", _("All groups")), *CareKind.choices], required=False)
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)


def right_field(role: str, field_name: str) -> str:
    return f"right-{role}-{field_name}"


def right_codes(rights) -> str:
    return ",".join(sorted(f"{role}:{field_name}" for role, field_name in rights))


class RevealRightsForm(forms.Form):
    """The role × field matrix as check boxes (one per role holding `residents.reveal` and sealed
    field), the reason and a confirmation. `seen` carries the table as the page showed it, so that
    an edit made meanwhile by someone else is not silently undone."""

    seen = forms.CharField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=500,
        error_messages={"required": _("Give the reason for the change")},  # the service's words
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    confirm = forms.BooleanField(
        label=_("I have checked: the change applies at once to everyone holding these roles."), required=True
    )

    def __init__(self, *args, current: frozenset[tuple[str, str]], roles, fields, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles, self.sealed = roles, fields
        self.fields["seen"].initial = right_codes(current)
        for role, role_label in roles:
            for field_name, field_label in fields:
                self.fields[right_field(role, field_name)] = forms.BooleanField(
                    label=f"{role_label} · {field_label}", required=False, initial=(role, field_name) in current
                )

    def rows(self) -> list[dict]:
        """The matrix for the template: a row per role, a cell (bound check box) per field."""
        return [
            {"label": role_label, "cells": [self[right_field(role, field_name)] for field_name, _ in self.sealed]}
            for role, role_label in self.roles
        ]

    def rights(self) -> set[tuple[str, str]]:
        return {
            (role, field_name)
            for role, _ in self.roles
            for field_name, _ in self.sealed
            if self.cleaned_data.get(right_field(role, field_name))
        }

    def seen_rights(self) -> frozenset[tuple[str, str]]:
        pairs = (code.partition(":") for code in self.cleaned_data.get("seen", "").split(","))
        return frozenset((role, field_name) for role, colon, field_name in pairs if colon)
