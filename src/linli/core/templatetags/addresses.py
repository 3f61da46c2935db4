"""Web addresses written back into a page (a form's `next`)."""

from __future__ import annotations

from django import template

from linli.core.masking import PERSONAL_NUMBER

register = template.Library()


@register.simple_tag(takes_context=True)
def current_address(context) -> str:
    """The page's own address to come back to, without its query when that carries an ID or
    phone number: the number would otherwise travel on in another form and into the history."""
    request = context["request"]
    query = request.META.get("QUERY_STRING", "")
    return request.path if PERSONAL_NUMBER.search(query) else request.get_full_path()
