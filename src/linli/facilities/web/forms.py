"""Forms of the facility pages: they parse and show errors; every rule is in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.facilities.domain import Circle, CoordinateSystem, FacilityStatus


class FacilityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"))
    name = forms.CharField(label=_("Name"), max_length=100)
    unit = forms.CharField(
        label=_("Unit code"),
        max_length=12,
        required=False,
        help_text=_("Community, village, street or district; empty: the community nearest to the position."),
    )
    lat = forms.CharField(label=_("Latitude"), max_length=20)
    lng = forms.CharField(label=_("Longitude"), max_length=20)
    coordinates = forms.ChoiceField(label=_("Coordinates"), choices=CoordinateSystem.choices, initial="wgs84")
    floor_area_m2 = forms.CharField(label=_("Floor area (m²)"), max_length=14)
    opening_hours = forms.CharField(
        label=_("Opening hours"), max_length=100, required=False, help_text=_("e.g. 08:30-11:30,13:30-17:30 or 24h")
    )
    operator = forms.CharField(label=_("Operated by"), max_length=100, required=False)
    capacity = forms.CharField(label=_("Capacity"), max_length=10, required=False)
    address = forms.CharField(label=_("Facility address"), max_length=200, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=FacilityStatus.choices, initial="open")
    note = forms.CharField(label=_("Note"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.code, k.name) for k in kinds]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (XLSX or CSV)"))


class RunForm(forms.Form):
    scope_path = forms.ChoiceField(label=_("Area"))
    site_kind = forms.ChoiceField(label=_("Suggest new sites for"), required=False)
    sites = forms.IntegerField(label=_("Number of new sites (K)"), min_value=1, max_value=50, initial=10)
    candidates = forms.ChoiceField(
        label=_("Candidate sites"),
        choices=[
            ("network", _("Street corners near uncovered residents")),
            ("registered", _("Registered candidate sites")),
        ],
        initial="network",
    )

    def __init__(self, *args, areas=(), kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope_path"].choices = list(areas)
        self.fields["site_kind"].choices = [("", _("No site suggestion"))] + [
            (k.code, k.name) for k in kinds if k.circle
        ]


class KindForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    name_en = forms.CharField(label=_("English name"), max_length=80)
    circle = forms.ChoiceField(label=_("Life circle"), choices=[("", _("None")), *list(Circle.choices)], required=False)
    counts_for_area = forms.BooleanField(label=_("Counts towards the community service area"), required=False)
    is_shelter = forms.BooleanField(label=_("Emergency shelter"), required=False)
    min_open_hours = forms.IntegerField(label=_("Minimum hours open a day"), min_value=0, max_value=24)
    is_active = forms.BooleanField(label=_("In use"), required=False)


class CirclesForm(forms.Form):
    def __init__(self, *args, distances=None, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in Circle.choices:
            self.fields[key] = forms.IntegerField(
                label=label, min_value=50, max_value=5000, initial=(distances or {}).get(key)
            )
