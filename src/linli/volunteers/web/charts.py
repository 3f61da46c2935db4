"""Charts of the volunteer figures page (drawn by portal/charts.js, also as tables)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from linli.core.charts import Chart, Series, Target


def figures_charts(report) -> list[Chart]:
    if not report.areas:
        return []
    charts = [
        Chart(
            id="vol-per-10k",
            kind="hbars",
            title=_("Registered volunteers per 10,000 residents"),
            category_label=_("Area"),
            categories=[a.name for a in report.areas],
            series=[Series(_("Per 10,000 residents"), [a.per_10k for a in report.areas])],
        ),
        Chart(
            id="vol-hours-month",
            kind="line",
            title=_("Hours of service per month"),
            category_label=_("Month"),
            categories=[f"{m:%Y-%m}" for m in report.months],
            series=[Series(_("Hours"), [round(v / 60) for v in report.served_by_month])],
        ),
    ]
    if len(report.root_path) == 4:  # the city: its registered total against the plan
        charts.append(
            Chart(
                id="vol-targets",
                kind="bars",
                title=_("Registered volunteers against the plan"),
                category_label=_("Figure"),
                categories=[_("Registered now")],
                series=[Series(_("Volunteers"), [report.registered_now])],
                targets=[Target(f"{year}", float(value)) for year, value in report.targets]
                + [Target(_("Baseline"), float(report.baseline))],
            )
        )
    return charts
