"""The summary chart of the facility standards page (drawn by portal/charts.js, numbers also
as a table): how many communities and villages meet the area standard, per district or street,
or each community's floor area against its requirement on a street's page."""

from __future__ import annotations

from django.utils.translation import gettext as _

from linli.core.charts import Chart, Series

# The rating colours of the page's tags: met, nearly met (amber), short.
GREEN, AMBER, RED = "#2f7d4f", "#d97706", "#a4161a"


def ratings_chart(summaries, heading: str) -> Chart:
    """Stacked counts per district or street (`StreetSummary` rows)."""
    return Chart(
        id="compliance-chart",
        kind="stack",
        title=_("Communities and villages meeting the area standard"),
        category_label=heading,
        categories=[s.name for s in summaries],
        series=[
            Series(_("Meets"), [s.green for s in summaries], color=GREEN),
            Series(_("Nearly"), [s.amber for s in summaries], color=AMBER),
            Series(_("Short"), [s.red for s in summaries], color=RED),
        ],
    )


def area_chart(rows) -> Chart:
    """Each community's service-facility floor area beside what the standard requires (m²)."""
    return Chart(
        id="compliance-chart",
        kind="hbars",
        title=_("Service-facility floor area against the requirement (m²)"),
        category_label=_("Community or village"),
        categories=[r.name for r in rows],
        series=[
            Series(_("Floor area (m²)"), [int(r.area_m2) for r in rows]),
            Series(_("Required (m²)"), [int(r.required_m2) for r in rows], color="#4a5563"),
        ],
    )
