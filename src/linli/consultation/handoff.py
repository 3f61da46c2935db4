"""Links from lower apps into deliberation: a recurring grid event put to the committees as a topic
(`grid_events.handoffs`), a micro-fund payment above its threshold put to the residents
(`charity.decision_routes`). The new-topic form reads the event or the payment request through
their apps' selectors; one topic per event or request (the constraint decides)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from linli.accounts.domain import CONSULT_MANAGE
from linli.charity.decision_routes import DecisionLink, DecisionRoute, decision_route_register
from linli.consultation.domain.topics import TopicSource
from linli.core.actor import Actor
from linli.grid_events.handoffs import EventHandoff, HandoffLink, handoff_register


def _topic_url(topic) -> str:
    return reverse("portal:consultation:topics-detail", args=[topic.public_id])


def _new_url(**query) -> str:
    key, value = next(iter(query.items()))
    return reverse("portal:consultation:topics-new") + f"?{key}={value}"


# ---- grid events -------------------------------------------------------------------------------------


def _event_links(actor: Actor, number: str) -> list[HandoffLink]:
    from linli.consultation.selectors.topics import topic_for_source

    if not actor.has_perm(CONSULT_MANAGE):
        return []
    topic = topic_for_source(source=TopicSource.GRID_EVENT, ref=number)
    if topic is not None and actor.sees_path(topic.path):
        return [HandoffLink(_topic_url(topic), _("Consultation topic %(number)s") % {"number": topic.number}, True)]
    if topic is not None:
        return []
    return [HandoffLink(_new_url(event=number), _("Put to consultation as a topic"))]


# ---- micro-fund payments -------------------------------------------------------------------------------


def _payment_links(actor: Actor, payment_request) -> list[DecisionLink]:
    from linli.consultation.selectors.topics import topic_decision, topic_for_source

    if not actor.has_perm(CONSULT_MANAGE):
        return []
    topic = topic_for_source(source=TopicSource.MICRO_FUND, ref=str(payment_request.public_id))
    if topic is None:
        return [DecisionLink(_new_url(payment=payment_request.public_id), _("Put to the residents' consultation"))]
    decision = topic_decision(topic)
    if decision is not None:
        url = reverse("portal:consultation:decisions-detail", args=[decision.consultation.number])
        return [
            DecisionLink(url, _("The residents decided: %(number)s") % {"number": decision.consultation.number}, True)
        ]
    return [DecisionLink(_topic_url(topic), _("Consultation topic %(number)s") % {"number": topic.number}, True)]


def handoffs_register() -> None:
    handoff_register(EventHandoff("consultation", _event_links))
    decision_route_register(DecisionRoute("consultation", _payment_links))
