"""Stage burden on the staff workbench: for the district, requests awaiting its decision; for a
department, its requests decided this week. One aggregate query for the count, one for rows;
nothing for an actor with nothing to do."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils.translation import gettext as _

from linli.accounts.domain import BURDEN_MANAGE
from linli.consultation.selectors.burden import requests_awaiting, requests_decided_since
from linli.core.actor import Actor
from linli.core.workbench import FIRST_ROWS, WorkCount, WorkRow, WorkSection, workbench_register

WEEK = 7


def burden_today(actor: Actor, today: date) -> WorkSection | None:
    awaiting = list(requests_awaiting(actor=actor)[: FIRST_ROWS + 1]) if actor.has_perm(BURDEN_MANAGE) else []
    decided = list(requests_decided_since(actor=actor, since=today - timedelta(days=WEEK))[: FIRST_ROWS + 1])
    if not awaiting and not decided:
        return None
    url = reverse("portal:consultation:burden-requests")
    counts = [
        WorkCount("burden.awaiting", _("Task entry requests awaiting the district"), len(awaiting), url, "warn"),
        WorkCount("burden.decided", _("Your task entry requests decided this week"), len(decided), url),
    ]
    rows = [_row(r) for r in [*awaiting, *decided][:FIRST_ROWS]]
    return WorkSection("consultation_burden", _("Community burden"), [c for c in counts if c.count], rows, url)


def _row(entry) -> WorkRow:
    url = reverse("portal:consultation:burden-request", args=[entry.public_id])
    return WorkRow(entry.title, f"{entry.department.name} · {entry.get_state_display()}", url)


def register() -> None:
    workbench_register("consultation_burden", order=78, today=burden_today)
