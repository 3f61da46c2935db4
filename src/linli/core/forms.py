"""Form plumbing shared by every app's pages: a DomainError's field details land next to the
inputs of the same name; the rest (or the message) goes to the top of the form."""

from __future__ import annotations

from django import forms

from linli.core.errors import DomainError


class DateInput(forms.DateInput):
    """A browser date picker. Its value must be ISO (2026-12-07) whatever the language: Chinese
    formatting (2026/12/07) is not a valid value, so the picker would show empty and a date the
    user typed would be lost when the form comes back with an error."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """A browser date-and-time picker, with the ISO value it needs (see DateInput)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def add_domain_errors(form: forms.Form, error: DomainError, aliases: dict[str, str] | None = None) -> None:
    aliases = aliases or {}
    if not error.fields:
        form.add_error(None, str(error.message))
    for problem in error.fields:
        name = aliases.get(problem.field, problem.field)
        form.add_error(name if name in form.fields else None, str(problem.message))


def needed(field: forms.Field) -> forms.Field:
    """A field the service requires, left optional in the form so that the service's own message
    (naming the field, in both languages) is the one shown: the label must not call it optional."""
    field.needed = True  # type: ignore[attr-defined]
    return field
