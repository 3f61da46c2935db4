"""`{{ stored|bilingual }}`: a message stored as {"zh": …, "en": …} (a Msg kept in a JSON field,
e.g. why an analysis failed) shown in the page's language, never both at once."""

from django import template

from linli.core.errors import Msg

register = template.Library()


@register.filter
def bilingual(stored) -> str:
    if not isinstance(stored, dict):
        return ""
    return str(Msg(stored.get("zh", ""), stored.get("en", "")))
