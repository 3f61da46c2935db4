"""Charts of the figures page (drawn by portal/charts.js, the numbers also as a table)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from linli.core.charts import PERCENT, Chart, Series
from linli.partners.domain import GRADES, OrgKind


def figures_charts(figures) -> list[Chart]:
    rows = figures.rows
    names = [row.name for row in rows]
    heading = {"district": _("District"), "street": _("Street")}.get(figures.child_heading_kind, _("Community"))
    charts = [
        Chart(
            id="orgs-by-kind",
            kind="stack",
            title=_("Social organisations by kind under %(unit)s") % {"unit": figures.root_name},
            category_label=heading,
            categories=names,
            series=[
                Series(str(label), [row.by_kind.get(value, 0) for row in rows]) for value, label in OrgKind.choices
            ],
        ),
        Chart(
            id="orgs-by-grade",
            kind="stack",
            title=_("Graded organisations (latest evaluation) under %(unit)s") % {"unit": figures.root_name},
            category_label=heading,
            categories=names,
            series=[Series(grade, [row.by_grade.get(grade, 0) for row in rows]) for grade in GRADES],
        ),
    ]
    if figures.child_heading_kind in ("district", "street") and any(row.streets for row in rows):
        charts.append(
            Chart(
                id="station-coverage",
                kind="hbars",
                title=_("Streets with a social-work station under %(unit)s") % {"unit": figures.root_name},
                category_label=heading,
                categories=names,
                series=[
                    Series(
                        _("Station coverage"),
                        [None if row.coverage is None else float(row.coverage) / 100 for row in rows],
                        PERCENT,
                    )
                ],
            )
        )
    return charts
