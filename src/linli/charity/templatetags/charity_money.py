"""Money on charity pages the same in both languages: ¥8,500.00 (`yuan`) and 8,500.00 (`amount`)."""

from decimal import Decimal

from django import template

from linli.charity.domain import yuan as yuan_text

register = template.Library()


@register.filter
def yuan(value) -> str:
    return "" if value is None else yuan_text(Decimal(value))


@register.filter
def amount(value) -> str:
    return "" if value is None else f"{Decimal(value):,.2f}"
