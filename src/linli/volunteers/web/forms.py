"""Forms of the volunteer pages: they parse and show errors; every rule is in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core.forms import DateTimeInput
from linli.volunteers.domain import SignUpMode, Skill

DATETIME = DateTimeInput()
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class RegisterForm(forms.Form):
    name = forms.CharField(label=_("Real name"), max_length=50)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        help_text=_("18 characters; checked and stored encrypted, shown to staff only masked."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    registered_path = forms.ChoiceField(label=_("Your community"))
    skills = forms.MultipleChoiceField(
        label=_("What you can help with"), choices=Skill.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    availability = forms.CharField(
        label=_("When you are free"), max_length=200, required=False, help_text=_("e.g. weekend mornings")
    )
    guardian_name = forms.CharField(label=_("Guardian's name"), max_length=50, required=False)
    guardian_phone = forms.CharField(label=_("Guardian's phone"), max_length=20, required=False)
    guardian_consent = forms.BooleanField(label=_("My guardian agrees that I volunteer"), required=False)

    def __init__(self, *args, communities=(), phone_required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registered_path"].choices = list(communities)
        self.fields["phone"].required = phone_required


class ReportForm(forms.Form):
    description = forms.CharField(
        label=_("What did you do?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("e.g. did the shopping for the elderly neighbour in 302"),
    )
    beneficiary = forms.CharField(label=_("For whom"), max_length=100, required=False)
    started_at = forms.DateTimeField(label=_("When did it start?"), widget=DATETIME, input_formats=DATETIME_FORMATS)
    minutes = forms.IntegerField(label=_("How long (minutes)"), min_value=1, max_value=720)
    served_path = forms.ChoiceField(label=_("Where you helped"), required=False)

    def __init__(self, *args, communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["served_path"].choices = list(communities)


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    organiser_path = forms.ChoiceField(label=_("Organising unit"))
    organisation_id = forms.ChoiceField(label=_("Social organisation"), required=False)
    place = forms.CharField(label=_("Place"), max_length=200)
    lat = forms.FloatField(label=_("Latitude"), required=False, help_text=_("For check-in by position; optional."))
    lng = forms.FloatField(label=_("Longitude"), required=False)
    radius_m = forms.IntegerField(label=_("Check-in radius (m)"), initial=300, min_value=20, max_value=5000)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME, input_formats=DATETIME_FORMATS)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DATETIME, input_formats=DATETIME_FORMATS)
    recurring = forms.BooleanField(label=_("Recurring service"), required=False)
    recurrence = forms.CharField(
        label=_("Repeats"), max_length=100, required=False, help_text=_("e.g. every Wednesday morning")
    )
    shifts = forms.CharField(
        label=_("Shifts"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line: start-end needed, e.g. 09:00-10:30 5. Empty: one shift over the whole activity."),
    )
    needed = forms.IntegerField(label=_("Volunteers needed"), initial=10, min_value=1, max_value=10000)
    signup_mode = forms.ChoiceField(label=_("Sign-up"), choices=SignUpMode.choices, initial=SignUpMode.OPEN)
    required_skills = forms.MultipleChoiceField(
        label=_("Skills needed"), choices=Skill.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    publish = forms.BooleanField(label=_("Publish now"), required=False, initial=True)

    def __init__(self, *args, units=(), organisations=(), organisation_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser_path"].choices = list(units)
        field = self.fields["organisation_id"]
        if organisation_required:  # an organisation's own account publishes for it, always
            field.required = True
            field.error_messages["required"] = _("Choose your organisation")
            field.choices = [("", _("Choose…")), *list(organisations)]
        else:
            field.choices = [("", _("None")), *list(organisations)]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class RevealForm(forms.Form):
    field = forms.ChoiceField(
        label=_("Field"),
        choices=[("id_number", _("ID number")), ("phone", _("Phone")), ("guardian_phone", _("Guardian's phone"))],
    )
    reason = forms.CharField(label=_("Reason for viewing"), max_length=200)


class ProxyForm(forms.Form):
    description = forms.CharField(label=_("Service given"), max_length=300)
    started_at = forms.DateTimeField(label=_("Started at"), widget=DATETIME, input_formats=DATETIME_FORMATS)
    minutes = forms.IntegerField(label=_("Minutes of service"), min_value=1, max_value=720)
    activity_id = forms.ChoiceField(label=_("Activity"), required=False)

    def __init__(self, *args, activities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity_id"].choices = [("", _("None (neighbourly help)")), *list(activities)]


class CorrectionForm(forms.Form):
    minutes = forms.IntegerField(label=_("Minutes to add (negative to take back)"), min_value=-720 * 10, max_value=720)
    reason = forms.CharField(label=_("Reason for the correction"), max_length=300)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (XLSX or CSV)"))
