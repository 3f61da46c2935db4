"""Hand-offs of a grid event to an app above this one (the grid events stay unaware of it).

A dispute found on the street (a quarrel between neighbours over a leak, a fight over parking)
is better mediated than dispatched. An app above registers an `EventHandoff` in its
`AppConfig.ready()`; the event page then shows, for the actor, the links it returns: "转人民调解"
while the event may be handed off, or the record it already became. The other app reads the
event through this app's selectors and records the link on its own side."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from linli.core.actor import Actor


@dataclass(frozen=True)
class HandoffLink:
    url: str
    label: str  # translated: "转人民调解" or "人民调解 TJ…"
    done: bool = False  # the event already became that record


@dataclass(frozen=True)
class EventHandoff:
    key: str
    links_for: Callable[[Actor, str], list[HandoffLink]]  # (actor, event number) → links


_HANDOFFS: dict[str, EventHandoff] = {}


def handoff_register(handoff: EventHandoff) -> None:
    _HANDOFFS[handoff.key] = handoff


def handoff_links(actor: Actor, number: str) -> list[HandoffLink]:
    """Every registered app's links for this event and actor, in registration order."""
    return [link for handoff in _HANDOFFS.values() for link in handoff.links_for(actor, number)]
