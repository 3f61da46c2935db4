"""Charts of the resident pool's pages (drawn by portal/charts.js, numbers also as a table)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from linli.core.charts import PERCENT, Chart, Series, Target
from linli.residents.domain import AWARENESS_TARGET, CARE_AWARENESS_TARGET


def rates_chart(unit_name: str, rows) -> Chart:
    """Each child unit's 百家情 and special-care awareness against the plan's targets.
    `rows` are (child unit, PoolRates) pairs as the rates page lists them."""
    return Chart(
        id="rates-chart",
        kind="hbars",
        title=_("Awareness rates under %(unit)s against the plan's targets") % {"unit": unit_name},
        category_label=_("Unit"),
        categories=[child.name for child, _rates in rows],
        series=[
            Series(_("Awareness rate"), [r.awareness_rate for _c, r in rows], PERCENT),
            Series(_("Special-care awareness rate"), [r.care_awareness_rate for _c, r in rows], PERCENT),
        ],
        targets=[
            Target(_("Awareness target"), AWARENESS_TARGET, series=0),
            Target(_("Special-care target"), CARE_AWARENESS_TARGET, series=1),
        ],
    )
