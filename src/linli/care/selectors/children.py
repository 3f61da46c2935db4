"""Care services, stage children: reads, scoped by the actor's paths, failing closed."""

from __future__ import annotations

from datetime import date

from linli.care.domain.targets import Target
from linli.core.actor import Actor


def children_targets(*, actor: Actor, today: date) -> list[Target]:
    """This stage's lines on the care overview page, for the actor's scope (none when the actor
    may not see them)."""
    return []
