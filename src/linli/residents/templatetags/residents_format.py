from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value):
    """0.9856 → "98.6%" (rounded: number_format alone cuts 63.16 to "63.1", while the chart
    beside the table rounds to 63.2); no figure (nothing to count) → "—"."""
    if value is None or value == "":  # "": a template lookup that found nothing
        return "—"
    return f"{number_format(round(float(value) * 100, 1), 1)}%"
