from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value):
    """0.9856 → "98.6%"; no figure (nothing to count) → "—"."""
    if value is None:
        return "—"
    return f"{number_format(value * 100, 1)}%"
