"""The shared date pickers keep ISO values in every language (a Chinese-formatted value is not a
valid `<input type=date>` value, so the browser would show it empty)."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.utils import translation

from linli.core.forms import DateInput, DateTimeInput


class _Form(forms.Form):
    on = forms.DateField(widget=DateInput())
    at = forms.DateTimeField(widget=DateTimeInput())


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_date_pickers_render_iso_values_in_every_language(language):
    with translation.override(language):
        html = str(_Form(initial={"on": dt.date(2026, 12, 7), "at": dt.datetime(2026, 12, 7, 9, 30)}))
    assert 'type="date"' in html and 'value="2026-12-07"' in html
    assert 'type="datetime-local"' in html and 'value="2026-12-07T09:30"' in html


def test_the_picker_values_come_back_as_dates():
    form = _Form(data={"on": "2026-12-07", "at": "2026-12-07T09:30"})
    with translation.override("zh-hans"):
        assert form.is_valid(), form.errors
    assert form.cleaned_data["on"] == dt.date(2026, 12, 7)
    assert form.cleaned_data["at"].hour == 9
