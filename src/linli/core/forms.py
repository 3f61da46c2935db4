"""Form plumbing shared by every app's pages: a DomainError's field details land next to the
inputs of the same name; the rest (or the message) goes to the top of the form."""

from __future__ import annotations

from django import forms

from linli.core.errors import DomainError


def add_domain_errors(form: forms.Form, error: DomainError, aliases: dict[str, str] | None = None) -> None:
    aliases = aliases or {}
    if not error.fields:
        form.add_error(None, str(error.message))
    for problem in error.fields:
        name = aliases.get(problem.field, problem.field)
        form.add_error(name if name in form.fields else None, str(problem.message))
