"""Charts of the supervision page (drawn by portal/charts.js, numbers also as a table)."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from linli.core.charts import PERCENT, Chart, Series, Target
from linli.grid_events.domain import RED_BELOW, YELLOW_BELOW

RANKING_ROWS = 20  # more bars than this no longer read at a glance; the table below has them all


def ranking_chart(chart_id: str, title: str, heading: str, rows) -> Chart:
    """The three rates of the first rows of a ranking (best first, as the table), with the
    yellow and red warning thresholds as lines."""
    shown = rows[:RANKING_ROWS]
    note = ""
    if len(rows) > len(shown):
        note = _("The first %(shown)s of %(total)s in the ranking; the table below lists them all.") % {
            "shown": len(shown),
            "total": len(rows),
        }
    return Chart(
        id=chart_id,
        kind="hbars",
        title=title,
        category_label=heading,
        categories=[row.name for row in shown],
        series=[
            Series(_("Response rate"), [row.response_rate for row in shown], PERCENT),
            Series(_("Solution rate"), [row.solution_rate for row in shown], PERCENT),
            Series(_("Satisfaction rate"), [row.satisfaction_rate for row in shown], PERCENT),
        ],
        targets=[Target(_("Yellow warning below"), YELLOW_BELOW), Target(_("Red warning below"), RED_BELOW)],
        note=note,
    )


def trend_chart(months) -> Chart:
    return Chart(
        id="grid-trend",
        kind="line",
        title=_("Events per month"),
        category_label=_("Month"),
        categories=[date_format(m.month, "Y-m") for m in months],
        series=[
            Series(_("Reported"), [m.reported for m in months]),
            Series(_("Solved"), [m.solved for m in months]),
            Series(_("Closed on time"), [m.solved_on_time for m in months]),
        ],
    )
