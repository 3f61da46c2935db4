"""Forms of the grid-event pages. Field names follow the services' FieldError names (lat,
category, photos, note, departments, …) so that each refusal lands next to its input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.areas.domain import DepartmentKind
from linli.core.forms import DateInput
from linli.grid_events.domain import PHOTO_MAX_BYTES, EventState, SupervisionLevel, Urgency
from linli.grid_events.services import PhotoUpload


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos from one input; size and type are judged by the service (by content)."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "capture": "environment"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [PhotoUpload(f.name or "photo", f.read(PHOTO_MAX_BYTES + 1)) for f in files]


def category_choices(categories) -> list:
    """Grouped by major class for the <select>; the empty choice lets the router suggest."""
    groups: dict[str, list] = {}
    for c in categories:
        groups.setdefault(c.major_name, []).append((c.code, f"{c.name}（{c.code}）"))
    return [("", _("Not sure — suggest one for me")), *list(groups.items())]


class ReportForm(forms.Form):
    description = forms.CharField(
        label=_("What is the problem?"),
        max_length=2000,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": _("e.g. The drain cover outside building 3 is missing")}
        ),
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    building = forms.ChoiceField(label=_("Building (or pick the spot on the map)"), required=False)
    address = forms.CharField(label=_("Address or landmark"), max_length=200, required=False)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, widget=forms.HiddenInput)
    photos = PhotosField(label=_("Photos"), required=False)
    not_duplicate = forms.BooleanField(label=_("This is a different problem: report it anyway"), required=False)
    held_photos = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)

    def __init__(self, *args, categories=(), buildings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices(categories)
        self.fields["building"].choices = [("", "—")] + [(str(b.public_id), b.name_with_grid) for b in buildings]


class StepForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    category = forms.ChoiceField(label=_("Category"), required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=[("", "—"), *Urgency.choices], required=False)
    department_id = forms.TypedChoiceField(label=_("Department"), coerce=int, empty_value=None, required=False)
    departments = forms.TypedMultipleChoiceField(
        label=_("Departments to summon (the first checked leads)"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    duplicate_of = forms.CharField(label=_("Original event number"), max_length=32, required=False)
    score = forms.TypedChoiceField(
        label=_("Your rating"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[
            (5, _("Very satisfied")),
            (4, _("Satisfied")),
            (3, _("Basically satisfied")),
            (2, _("Dissatisfied")),
            (1, _("Very dissatisfied")),
        ],
        widget=forms.RadioSelect,
    )
    photos = PhotosField(label=_("Photos"), required=False)

    def __init__(self, *args, categories=(), departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices(categories)[1:]
        choices = [(d.pk, d.name) for d in departments]
        self.fields["department_id"].choices = [("", _("The category's default department")), *choices]
        self.fields["departments"].choices = choices


class SupervisionForm(forms.Form):
    level = forms.TypedChoiceField(label=_("Level"), coerce=int, choices=SupervisionLevel.choices)
    note = forms.CharField(label=_("What is required"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    due_minutes = forms.IntegerField(
        label=_("Answer within (working minutes)"),
        min_value=0,
        initial=0,
        required=False,
        help_text=_("0 = by the current stage's due time"),
    )


class PublicationForm(forms.Form):
    """Show an event on the public Open311 list or hide it from there; the staff member confirms,
    and a hiding needs its reason (marked required on the form; the service refuses it too)."""

    public = forms.TypedChoiceField(
        coerce=lambda v: v == "1", choices=[("1", "1"), ("0", "0")], widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(label=_("I have checked the description and the address."), required=True)

    def __init__(self, *args, hiding: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = hiding


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class PeriodForm(forms.Form):
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To"), required=False, widget=DateInput())


class MapFilterForm(forms.Form):
    """The events map's filters: reported between two days, in one state (by its name)."""

    since = forms.DateField(label=_("Reported from"), required=False, widget=DateInput())
    until = forms.DateField(label=_("Reported until"), required=False, widget=DateInput())
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("All states")), *EventState.choices])

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("The end day is before the start day."))
        return data


class CategoryForm(forms.Form):
    """A category's department kind, stage limits and activity; name only for city ones (X…)."""

    code = forms.CharField(label=_("Code"), max_length=16, help_text=_("City-defined categories start with X."))
    name = forms.CharField(label=_("Name"), max_length=60, required=False)
    major_name = forms.CharField(label=_("Group"), max_length=40, required=False)
    department_kind = forms.ChoiceField(label=_("Responsible department kind"), choices=DepartmentKind.choices)
    register_minutes = forms.IntegerField(label=_("Register within (minutes)"), min_value=1)
    dispatch_minutes = forms.IntegerField(label=_("Dispatch within (minutes)"), min_value=1)
    accept_minutes = forms.IntegerField(label=_("Department accepts within (minutes)"), min_value=1)
    handle_minutes = forms.IntegerField(label=_("Handle within (working minutes)"), min_value=1)
    handle_urgent_minutes = forms.IntegerField(label=_("Handle an urgent one within (minutes)"), min_value=1)
    verify_minutes = forms.IntegerField(label=_("Verify within (minutes)"), min_value=1)
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)


class RouteForm(forms.Form):
    district = forms.ChoiceField(label=_("District"))
    department_id = forms.TypedChoiceField(label=_("Department"), coerce=int, empty_value=None, required=False)

    def __init__(self, *args, districts=(), departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [(d.path, d.name) for d in districts]
        self.fields["department_id"].choices = [("", _("The department of the category's kind"))] + [
            (d.pk, d.name) for d in departments
        ]
