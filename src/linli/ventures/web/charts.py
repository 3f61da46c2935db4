"""The figures page's chart (drawn by portal/charts.js, the numbers also as a table): money
granted and spent per district and year, in ten-thousands of yuan (万元) as the bureau reports it."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from linli.core.charts import Chart, Series

WAN = Decimal(10000)


def _wan(amount: Decimal) -> float:
    return float((amount / WAN).quantize(Decimal("0.01")))


def figures_chart(rows) -> Chart:
    return Chart(
        id="ventures-figures",
        kind="hbars",
        title=_("Money granted and spent per district and year (10,000 yuan)"),
        category_label=_("District and year"),
        categories=[f"{r.district} {r.year}" for r in rows],
        series=[
            Series(_("Granted (10,000 yuan)"), [_wan(r.granted) for r in rows]),
            Series(_("Spent (10,000 yuan)"), [_wan(r.spent) for r in rows]),
        ],
    )
