"""Routes of a waiting payment request to the residents' decision (charity stays unaware of them).

A payment above a fund's threshold waits for "the residents' decision". An app above (the
deliberation app) registers a `DecisionRoute` in its `AppConfig.ready()`; the fund's staff page
then shows, beside each waiting request, the links it returns: "提交居民协商" while the request
has not been put to the residents, or the topic or decision it became."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from linli.core.actor import Actor


@dataclass(frozen=True)
class DecisionLink:
    url: str
    label: str  # translated: "提交居民协商" or "协商议题 YT…"
    done: bool = False  # the request already became that record


@dataclass(frozen=True)
class DecisionRoute:
    key: str
    links_for: Callable[[Actor, object], list[DecisionLink]]  # (actor, payment request) → links


_ROUTES: dict[str, DecisionRoute] = {}


def decision_route_register(route: DecisionRoute) -> None:
    _ROUTES[route.key] = route


def decision_links(actor: Actor, payment_request) -> list[DecisionLink]:
    """Every registered app's links for this waiting request and actor, in registration order."""
    return [link for route in _ROUTES.values() for link in route.links_for(actor, payment_request)]
