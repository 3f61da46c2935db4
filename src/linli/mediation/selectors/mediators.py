"""Reads of the mediator pool."""

from __future__ import annotations

from django.db.models import QuerySet

from linli.core.actor import Actor
from linli.mediation.models import Mediator
from linli.mediation.selectors.scope import area_q


def mediator_list(*, actor: Actor, include_ended: bool = False) -> QuerySet[Mediator]:
    """The pool of the actor's area, and the experts of the districts above it."""
    mediators = Mediator.objects.filter(area_q(actor))
    return mediators if include_ended else mediators.filter(until__isnull=True)


def mediator_candidates(*, dispute_path: str, kind_code: str) -> list[Mediator]:
    """Active mediators who may take a dispute of this place and kind: those of its community,
    its street, and the experts of its district or city, who handle the kind (or every kind)."""
    prefixes = {dispute_path[:n] for n in (2, 4, 6, 9, 12) if len(dispute_path) >= n}
    mediators = Mediator.objects.filter(until__isnull=True, path__in=prefixes).order_by("path", "name")
    # JSON containment is not portable to SQLite; a unit's pool is small, so filter here
    return [m for m in mediators if not m.kinds or kind_code in m.kinds]
