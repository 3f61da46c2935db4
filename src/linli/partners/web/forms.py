"""Forms of the partners pages: they parse and show errors; every rule is in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core.forms import DateInput
from linli.partners.domain import CertificateLevel, OrgKind, OrgStatus, PremisesStatus

DATE = DateInput()


class OrgForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind of organisation"), choices=OrgKind.choices)
    status = forms.ChoiceField(label=_("Registered or filed"), choices=OrgStatus.choices, widget=forms.RadioSelect)
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=30,
        required=False,
        help_text=_("18 characters, for a registered organisation only."),
    )
    unit = forms.ChoiceField(label=_("Based in"))
    citywide = forms.BooleanField(label=_("Citywide organisation"), required=False)
    responsible_name = forms.CharField(label=_("Responsible person"), max_length=50)
    responsible_phone = forms.CharField(label=_("Responsible person's phone"), max_length=20, required=False)
    premises = forms.CharField(label=_("Activity premises"), max_length=200, required=False)
    services = forms.CharField(
        label=_("Services offered"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    founded_on = forms.DateField(label=_("Founded"), required=False, widget=DATE)
    filed_on = forms.DateField(label=_("Registered or filed on"), required=False, widget=DATE)
    name_en = forms.CharField(label=_("English name"), max_length=160, required=False)

    def __init__(self, *args, units=(), phone_kept=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "—"), *list(units)]
        if phone_kept:
            self.fields["responsible_phone"].help_text = _("Leave empty to keep the stored phone.")
        else:
            self.fields["responsible_phone"].required = True


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class DeregisterForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for deregistration"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    confirm = forms.BooleanField(label=_("I confirm this organisation leaves the active register"))


class MemberForm(forms.Form):
    username = forms.CharField(label=_("Username of the organiser account"), max_length=150)


class EvaluationForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    note = forms.CharField(label=_("Note"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, criteria=(), language="zh-hans", **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.key}"] = forms.CharField(
                label=f"{criterion.label(language)} (0–{criterion.max_points:g})",
                max_length=8,
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )

    def scores(self) -> dict[str, str]:
        return {c.key: self.cleaned_data.get(f"score_{c.key}", "") for c in self.criteria}


class SheetForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    criteria = forms.CharField(
        label=_("Criteria"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One per line: key | Chinese name | English name | maximum points | weight"),
    )
    thresholds = forms.CharField(
        label=_("Grade thresholds"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line: grade | minimum total (out of 100)"),
    )
    verified = forms.BooleanField(label=_("Checked against the city's published rules"), required=False)


class StationForm(forms.Form):
    street = forms.ChoiceField(label=_("Street"))
    name = forms.CharField(label=_("Name"), max_length=100)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    opened_on = forms.DateField(label=_("Opened on"), required=False, widget=DATE)
    brand = forms.BooleanField(label=_("Brand station"), required=False)
    brand_year = forms.CharField(label=_("Brand station since (year)"), max_length=4, required=False)
    brand_reason = forms.CharField(
        label=_("Why a brand station"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, streets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].choices = [("", "—"), *list(streets)]


class WorkerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    certificate_level = forms.ChoiceField(label=_("Certificate"), choices=CertificateLevel.choices)
    certificate_number = forms.CharField(label=_("Certificate number"), max_length=40, required=False)
    since = forms.DateField(label=_("At the station since"), required=False, widget=DATE)
    active = forms.BooleanField(label=_("Works at the station"), required=False, initial=True)


class PremisesForm(forms.Form):
    offerer = forms.CharField(label=_("Offered by (enterprise)"), max_length=100)
    state_owned = forms.BooleanField(label=_("State-owned enterprise"), required=False)
    address = forms.CharField(label=_("Address"), max_length=200)
    area_m2 = forms.CharField(label=_("Area (m²)"), max_length=12)
    term_from = forms.DateField(label=_("Term from"), widget=DATE, required=False)
    term_to = forms.DateField(label=_("Term to"), widget=DATE, required=False)
    unit = forms.ChoiceField(label=_("Area"))
    conditions = forms.CharField(
        label=_("Terms of use"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "—"), *list(units)]


class PremisesUseForm(forms.Form):
    community = forms.ChoiceField(label=_("Community using it"))
    use = forms.CharField(label=_("Use"), max_length=200)
    opened_on = forms.DateField(label=_("Opened as a community space"), widget=DATE, required=False)

    def __init__(self, *args, communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = [("", "—"), *list(communities)]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (XLSX or CSV)"))


PREMISES_STATUSES = PremisesStatus.choices
