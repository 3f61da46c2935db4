"""Stage mediators on the staff workbench: for the pool's keepers, the communities without a
committee mediator and the streets without a full-time one (the staffing rule's red marks)."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from linli.accounts.domain import MEDIATION_MANAGE
from linli.core.actor import Actor
from linli.core.errors import DomainError
from linli.core.workbench import SearchGroup, SearchHit, SearchQuery, WorkCount, WorkSection, workbench_register
from linli.mediation.selectors.mediators import mediator_search, staffing_check


def mediators_today(actor: Actor, today: date) -> WorkSection | None:
    if not actor.has_perm(MEDIATION_MANAGE):
        return None
    try:
        report = staffing_check(actor=actor)
    except DomainError:
        return None
    url = reverse("portal:mediation:mediators-staffing")
    counts = [
        WorkCount(
            "mediators.red_communities",
            _("Communities without a committee mediator"),
            report.red_communities,
            url,
            "danger" if report.red_communities else "",
        ),
        WorkCount(
            "mediators.red_streets",
            _("Streets without a full-time mediator"),
            report.red_streets,
            url,
            "danger" if report.red_streets else "",
        ),
    ]
    return WorkSection("mediation_mediators", _("Mediator staffing"), counts)


def mediators_search(actor: Actor, query: SearchQuery) -> SearchGroup | None:
    """A mediator by name, within the pool the actor may read (never by ID number or phone)."""
    if query.kind != "text":
        return None
    hits = [
        SearchHit(m.name, str(m.get_kind_display()), reverse("portal:mediation:mediators-detail", args=[m.public_id]))
        for m in mediator_search(actor=actor, q=query.text)
    ]
    return SearchGroup("mediation_mediators", _("Mediator pool"), hits)


def register() -> None:
    workbench_register("mediation_mediators", order=53, today=mediators_today, search=mediators_search)
