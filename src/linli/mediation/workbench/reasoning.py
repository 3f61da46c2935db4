"""Stage reasoning on the staff workbench: for reasoners and mediators, the open 慧评理 cases of
their communities where a side spoke last (waiting for a comment), the oldest first."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from linli.accounts.domain import MEDIATION_REASON
from linli.core.actor import Actor
from linli.core.workbench import FIRST_ROWS, WorkCount, WorkRow, WorkSection, workbench_register
from linli.mediation.selectors.reasoning import reasoning_waiting


def reasoning_today(actor: Actor, today: date) -> WorkSection | None:
    if not actor.has_perm(MEDIATION_REASON):
        return None
    waiting = reasoning_waiting(actor=actor)
    count = waiting.count()
    rows = [
        WorkRow(
            case.title,
            case.kind.name_zh,
            reverse("portal:mediation-resident:reasoning-case", args=[case.public_id]),
            case.updated_at.date(),
            _("Waiting since"),
            "warn",
        )
        for case in waiting[:FIRST_ROWS]
    ]
    url = reverse("portal:mediation:reasoning-list")
    counts = [WorkCount("reasoning.waiting", _("Reasoning cases waiting for a comment"), count, url, "warn")]
    return WorkSection("mediation_reasoning", _("Reasoning it out online"), counts, rows, url)


def register() -> None:
    workbench_register("mediation_reasoning", order=55, today=reasoning_today)
