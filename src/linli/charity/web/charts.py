"""Charts of the charity figures page (drawn by portal/charts.js, numbers also as a table)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from linli.charity.selectors import Figures
from linli.core.charts import Chart, Series


def needs_chart(figures: Figures) -> Chart:
    return Chart(
        id="charity-needs",
        kind="bars",
        title=_("Needs posted and met per month"),
        category_label=_("Month"),
        categories=figures.months,
        series=[
            Series(_("Posted"), figures.needs_posted),
            Series(_("Met (delivered or acknowledged)"), figures.needs_met),
        ],
    )


def money_chart(figures: Figures) -> Chart:
    return Chart(
        id="charity-money",
        kind="line",
        title=_("Micro-fund money raised and spent per month (yuan)"),
        category_label=_("Month"),
        categories=figures.months,
        series=[
            Series(_("Raised"), [float(v) for v in figures.raised]),
            Series(_("Spent"), [float(v) for v in figures.spent]),
        ],
    )
