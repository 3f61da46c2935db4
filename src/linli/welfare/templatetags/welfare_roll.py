"""Money on the roll's pages the same in both languages (¥1,234.50), and the reasons the platform
writes on a change in the reader's language."""

from decimal import Decimal, InvalidOperation

from django import template

from linli.welfare.domain.roll import reason_shown
from linli.welfare.rules.engine import yuan as engine_yuan

register = template.Library()


@register.filter
def yuan(value) -> str:
    try:
        return "" if value is None or value == "" else engine_yuan(Decimal(value))
    except (InvalidOperation, TypeError, ValueError):
        return ""


@register.filter
def change_reason(text: str) -> str:
    return reason_shown(text or "")
