"""Forms of the calendar page. Field names follow the services' FieldError names so that each
refusal lands next to its input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core.forms import DateInput
from linli.workdays.domain import NAME_MAX, REASON_MAX

DATE = DateInput()
SCHEDULE_FILE_MAX_BYTES = 64 * 1024  # a year's schedule is a few dozen short lines
REASON = forms.CharField(
    label=_("Basis"),
    max_length=REASON_MAX,
    help_text=_("Where the schedule comes from, e.g. the State Council General Office's notice and its number."),
)


class CalendarDayForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DATE)
    is_workday = forms.TypedChoiceField(
        label=_("That day is"),
        choices=[("0", _("a holiday")), ("1", _("a working day (调休)"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label=_("Name (e.g. 春节)"), max_length=NAME_MAX, required=False)
    reason = REASON


class ScheduleForm(forms.Form):
    """A year's published schedule, typed or pasted, or read from a text file."""

    schedule = forms.CharField(
        label=_("The year's schedule, one line per day or run of days"),
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
        required=False,
        help_text=_(
            "For example “2027-02-05~2027-02-11 休 春节” and “2027-02-07 班 春节调休”: the date or dates, "
            "休 (holiday) or 班 (working day), then the name. Lines starting with # are skipped."
        ),
    )
    file = forms.FileField(label=_("Or a text file (UTF-8) with those lines"), required=False)
    reason = REASON

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None:
            if upload.size > SCHEDULE_FILE_MAX_BYTES:
                raise forms.ValidationError(_("The file is too large for a year's schedule."))
            try:
                data["schedule"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise forms.ValidationError(_("The file is not UTF-8 text.")) from error
        return data
