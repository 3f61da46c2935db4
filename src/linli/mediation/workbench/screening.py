"""Stage screening on the staff workbench: a community's screener sees the monthly report due
(and by when) until it is filed; a street or district sees how many communities are overdue."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from linli.accounts.domain import MEDIATION_VIEW, SAFETY_FIGURES
from linli.core.actor import Actor
from linli.core.workbench import WorkCount, WorkRow, WorkSection, workbench_register
from linli.mediation.domain.mediators import STREET_LEN
from linli.mediation.selectors.scope import is_mediator_only
from linli.mediation.selectors.screening import overdue_count, pending_reports


def _community_section(actor: Actor, today: date) -> WorkSection | None:
    pending = pending_reports(actor=actor, today=today)
    if not pending:
        return None
    base = reverse("portal:mediation:screening-file")
    rows = [
        WorkRow(
            _("Dispute screening for %(month)s") % {"month": date_format(p.month, "Y-m")},
            p.name,
            f"{base}?path={p.path}&month={p.month:%Y-%m}",
            p.due,
            _("due by %(day)s") % {"day": date_format(p.due, "Y-m-d")},
            "danger" if p.overdue else "warn",
        )
        for p in pending
    ]
    count = WorkCount("screening.pending", _("Screening reports to file"), len(pending), rows[0].url, rows[0].tone)
    return WorkSection("mediation_screening", _("Dispute screening"), [count], rows)


def screening_today(actor: Actor, today: date) -> WorkSection | None:
    """The community's report to file; for a street or district, the communities overdue."""
    if is_mediator_only(actor):
        return None
    section = _community_section(actor, today)
    if section is not None:
        return section
    streets_up = any(len(p) <= STREET_LEN for p in actor.scope_paths)
    if not streets_up or not (actor.has_perm(MEDIATION_VIEW) or actor.has_perm(SAFETY_FIGURES)):
        return None
    month, overdue = overdue_count(actor=actor, today=today)
    url = f"{reverse('portal:mediation:screening-summary')}?month={month:%Y-%m}"
    label = _("Communities overdue with the screening for %(month)s") % {"month": date_format(month, "Y-m")}
    count = WorkCount("screening.overdue", label, overdue, url, "danger" if overdue else "")
    return WorkSection("mediation_screening", _("Dispute screening"), [count])


def register() -> None:
    workbench_register("mediation_screening", order=54, today=screening_today)
