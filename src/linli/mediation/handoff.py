"""A grid event handed on to people's mediation: the link on the event page (see
`grid_events.handoffs`). The intake form reads the event through the grid events' selectors."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from linli.accounts.domain import MEDIATION_INTAKE
from linli.core.actor import Actor
from linli.grid_events.handoffs import EventHandoff, HandoffLink, handoff_register


def _links_for(actor: Actor, number: str) -> list[HandoffLink]:
    from linli.mediation.selectors.disputes import dispute_for_event

    dispute = dispute_for_event(actor=actor, event_number=number)
    if dispute is not None:
        url = reverse("portal:mediation:dispute", args=[dispute.number])
        return [HandoffLink(url, _("People's mediation %(number)s") % {"number": dispute.number}, done=True)]
    if not actor.has_perm(MEDIATION_INTAKE):
        return []
    return [HandoffLink(reverse("portal:mediation:dispute-new") + f"?event={number}", _("Hand on to mediation"))]


def grid_event_handoff_register() -> None:
    handoff_register(EventHandoff("mediation", _links_for))
