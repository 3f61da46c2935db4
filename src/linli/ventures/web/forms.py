"""Forms of the venture pages: they parse and show errors; every rule is in the services."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core.forms import DateInput
from linli.ventures.domain import CallKind

CRITERIA_ROWS = 6
BUDGET_ROWS = 8
DELIVERABLE_ROWS = 5


def split_words(text: str) -> list[str]:
    """Themes or usernames typed with commas (either width), 、 or spaces between them."""
    return [w for w in re.split(r"[,，、;；\s]+", text or "") if w]


class CallForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CallKind.choices)
    title = forms.CharField(label=_("Title"), max_length=120)
    unit_path = forms.ChoiceField(label=_("Run by"))
    themes = forms.CharField(
        label=_("Themes"), max_length=300, help_text=_("Separate themes with commas, e.g. 为老服务，儿童关爱")
    )
    total_budget = forms.CharField(label=_("Total budget (yuan)"), max_length=16)
    project_cap = forms.CharField(label=_("Per-project cap (yuan)"), max_length=16)
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput())
    deadline = forms.DateField(
        label=_("Deadline"),
        widget=DateInput(),
        help_text=_("Calendar days: applications are accepted until the end of this day."),
    )
    eligibility = forms.CharField(
        label=_("Who may apply"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    panel = forms.CharField(
        label=_("Review panel"),
        max_length=400,
        help_text=_("Usernames of the reviewers, separated by commas; each needs the right to review."),
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_path"].choices = list(units)
        for i in range(CRITERIA_ROWS):
            self.fields[f"criterion_{i}"] = forms.CharField(label=_("Criterion"), max_length=60, required=False)
            self.fields[f"criterion_en_{i}"] = forms.CharField(
                label=_("Criterion (English)"), max_length=60, required=False
            )
            self.fields[f"weight_{i}"] = forms.IntegerField(
                label=_("Weight (%)"), min_value=0, max_value=100, required=False
            )
            self.fields[f"max_{i}"] = forms.IntegerField(label=_("Maximum score"), min_value=1, required=False)

    def criteria_rows(self):
        return [
            (self[f"criterion_{i}"], self[f"criterion_en_{i}"], self[f"weight_{i}"], self[f"max_{i}"])
            for i in range(CRITERIA_ROWS)
        ]


class ApplicationForm(forms.Form):
    org_id = forms.ChoiceField(label=_("Organisation"))
    title = forms.CharField(label=_("Project title"), max_length=120)
    themes = forms.MultipleChoiceField(label=_("Themes"), widget=forms.CheckboxSelectMultiple, required=False)
    summary = forms.CharField(label=_("Summary"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    beneficiaries_count = forms.IntegerField(label=_("Target beneficiaries (people)"), min_value=1)
    beneficiaries_who = forms.CharField(label=_("Who they are"), max_length=200)
    outputs = forms.CharField(label=_("Outputs"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    attachment = forms.FileField(
        label=_("Attachment"), required=False, help_text=_("PDF, JPEG or PNG, at most 5 MB (optional)")
    )

    def __init__(self, *args, orgs=(), themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_id"].choices = [(str(o.public_id), o.name) for o in orgs]
        self.fields["themes"].choices = [(t, t) for t in themes]
        for i in range(BUDGET_ROWS):
            self.fields[f"item_{i}"] = forms.CharField(label=_("Item"), max_length=120, required=False)
            self.fields[f"amount_{i}"] = forms.CharField(label=_("Amount (yuan)"), max_length=16, required=False)

    def budget_rows(self):
        return [(i + 1, self[f"item_{i}"], self[f"amount_{i}"]) for i in range(BUDGET_ROWS)]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    confirm = forms.BooleanField(label=_("I understand this cannot be undone"))


class ConflictForm(forms.Form):
    conflict_note = forms.CharField(
        label=_("The conflict of interest"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. a board member of the organisation, a relative working there"),
    )


class ScoreForm(forms.Form):
    no_conflict = forms.BooleanField(label=_("I have no conflict of interest with this application"))
    comment = forms.CharField(
        label=_("Review comment"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        for c in criteria:
            # a plain text box: the service says what is out of range, naming the criterion
            self.fields[f"score_{c.position}"] = forms.CharField(
                label=f"{c.name}（{c.weight}%，0–{c.max_score}）",
                max_length=6,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "score-input"}),
            )

    def scores(self) -> dict[int, object]:
        parsed: dict[int, object] = {}
        for name, value in self.cleaned_data.items():
            if name.startswith("score_"):
                text = str(value).strip()
                parsed[int(name[6:])] = int(text) if re.fullmatch(r"-?\d{1,5}", text) else text
        return parsed


class DecisionForm(forms.Form):
    fund = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Fund it")), ("0", _("Do not fund"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    amount = forms.CharField(label=_("Amount granted (yuan)"), max_length=16, required=False)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        required=False,
        help_text=_("Required when not funded"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StepForm(forms.Form):
    note = forms.CharField(label=_("Reason"), max_length=2000, required=False)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=120)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())


class MilestoneReportForm(forms.Form):
    report = forms.CharField(label=_("What was done"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    beneficiaries = forms.IntegerField(label=_("People served"), min_value=0, initial=0)


class SpendingForm(forms.Form):
    amount = forms.CharField(label=_("Amount (yuan)"), max_length=16)
    spent_on = forms.DateField(label=_("Date"), widget=DateInput())
    what = forms.CharField(label=_("What for"), max_length=200)
    receipt = forms.FileField(label=_("Receipt"), required=False, help_text=_("PDF, JPEG or PNG (optional)"))


class EvaluationForm(forms.Form):
    score = forms.IntegerField(label=_("Score (0–100)"))
    text = forms.CharField(label=_("Evaluation text"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class ContractForm(forms.Form):
    number = forms.CharField(label=_("Contract number"), max_length=40)
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput())
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(DELIVERABLE_ROWS):
            self.fields[f"deliverable_{i}"] = forms.CharField(label=_("Deliverable"), max_length=120, required=False)
            self.fields[f"due_{i}"] = forms.DateField(label=_("Due on"), required=False, widget=DateInput())

    def deliverable_rows(self):
        return [(i + 1, self[f"deliverable_{i}"], self[f"due_{i}"]) for i in range(DELIVERABLE_ROWS)]
