"""Charts of the desk's figures page (drawn by portal/charts.js, numbers also as a table)."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from linli.core.charts import PERCENT, Chart, Series


def trend_chart(unit_name: str, months) -> Chart:
    """Cases decided per month, with the on-time and satisfaction rates of each month."""
    return Chart(
        id="desk-trend",
        kind="line",
        title=_("Monthly trend: %(unit)s") % {"unit": unit_name},
        category_label=_("Month"),
        categories=[date_format(m.month, "Y-m") for m in months],
        series=[
            Series(_("Decided"), [m.decided for m in months]),
            Series(_("On-time rate"), [m.on_time_rate for m in months], PERCENT),
            Series(_("Satisfaction rate"), [m.satisfaction_rate for m in months], PERCENT),
        ],
        note=_("Satisfaction rate: ratings of 'basically satisfied' or better."),
    )


def units_chart(rows) -> Chart:
    """On-time and satisfaction rates of each deciding unit, in the table's order."""
    return Chart(
        id="desk-units",
        kind="hbars",
        title=_("On-time and satisfaction rates by unit"),
        category_label=_("Unit"),
        categories=[row.name for row in rows],
        series=[
            Series(_("On-time rate"), [row.on_time_rate for row in rows], PERCENT),
            Series(_("Satisfaction rate"), [row.satisfaction_rate for row in rows], PERCENT),
        ],
    )
