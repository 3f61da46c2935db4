"""Social organisations' part of the staff workbench, for the civil-affairs officer who keeps the
register: organisations without this year's evaluation, filed (备案) organisations on the register
for more than a year and not yet registered, and premises whose term ends within 60 days.
Registered in `PartnersConfig.ready()`."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from linli.core.actor import Actor
from linli.core.workbench import FIRST_ROWS, WorkCount, WorkRow, WorkSection
from linli.partners.domain import TERM_ENDING_DAYS
from linli.partners.selectors import (
    filed_orgs_overdue,
    may_edit,
    orgs_without_evaluation,
    premises_terms_ending,
)


def partners_today(actor: Actor, today: date) -> WorkSection | None:
    if not may_edit(actor):
        return None
    home = reverse("portal:partners:home")
    premises_url = reverse("portal:partners:premises")
    unevaluated = orgs_without_evaluation(actor=actor, year=today.year)
    filed = filed_orgs_overdue(actor=actor, today=today)
    ending = premises_terms_ending(actor=actor, today=today)
    counts = [
        WorkCount(
            "partners.unevaluated",
            _("Not evaluated for %(year)s") % {"year": today.year},
            unevaluated.count(),
            f"{home}?todo=unevaluated",
            "info",
        ),
        WorkCount(
            "partners.filed_overdue",
            _("Filed over a year, not registered"),
            filed.count(),
            f"{home}?todo=filed_overdue",
            "warn",
        ),
        WorkCount(
            "partners.premises_ending",
            _("Premises terms ending within %(days)s days") % {"days": TERM_ENDING_DAYS},
            ending.count(),
            f"{premises_url}?todo=ending",
            "warn",
        ),
    ]
    rows = [
        WorkRow(
            title=p.offerer,
            detail=p.address,
            url=reverse("portal:partners:premises-detail", args=[p.public_id]),
            due=p.term_to,
            due_label=_("Term ends %(date)s") % {"date": f"{p.term_to:%m-%d}"},
            tone="warn",
        )
        for p in ending[:FIRST_ROWS]
    ]
    return WorkSection(
        key="partners", title=_("Social organisations"), counts=counts, rows=rows, more_url=f"{home}?todo=unevaluated"
    )
