"""Social assistance's part of the staff workbench: applications waiting for the actor's step,
notices ending, reviews due, payrolls to approve, temporary assistance to complete. Registered in
`WelfareConfig.ready()`."""

from __future__ import annotations

from datetime import date

from linli.core.actor import Actor
from linli.core.workbench import WorkSection


def welfare_today(actor: Actor, today: date) -> WorkSection | None:
    return None
