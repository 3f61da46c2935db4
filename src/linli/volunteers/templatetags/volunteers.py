"""Template helpers of the volunteer pages."""

from django import template

from linli.volunteers.domain import hours_label

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "") if mapping else ""


@register.filter
def hours(minutes):
    """Minutes as hours with at most one decimal (`90` → `1.5`)."""
    return hours_label(int(minutes or 0))
