"""Stage disputes on the staff workbench: disputes awaiting the parties' consent and awaiting a
mediator (the first of them as rows), and the header search by case number."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from linli.accounts.domain import MEDIATION_INTAKE, MEDIATION_MEDIATE, MEDIATION_VIEW
from linli.core.actor import Actor
from linli.core.workbench import (
    SearchGroup,
    SearchHit,
    SearchQuery,
    WorkCount,
    WorkRow,
    WorkSection,
    workbench_register,
)
from linli.mediation.domain.disputes import DisputeState
from linli.mediation.selectors.disputes import dispute_by_number, dispute_queue, intake_counts

FIRST_ROWS = 5


def _url(number: str) -> str:
    return reverse("portal:mediation:dispute", args=[number])


def disputes_today(actor: Actor, today: date) -> WorkSection | None:
    """For intake staff: how many disputes wait for consent or a mediator; the oldest first."""
    if not actor.has_perm(MEDIATION_INTAKE):
        return None
    counts = intake_counts(actor=actor)
    base = reverse("portal:mediation:dispute-list")
    waiting = list(
        dispute_queue(actor=actor, state=DisputeState.ACCEPTED)
        .prefetch_related(None)
        .order_by("accepted_on", "pk")[:FIRST_ROWS]
    )
    return WorkSection(
        "mediation_disputes",
        _("People's mediation"),
        [
            WorkCount(
                "disputes.consent",
                _("Disputes awaiting the parties' consent"),
                counts["consent"],
                f"{base}?state=consent",
                "warn",
            ),
            WorkCount(
                "disputes.accepted",
                _("Disputes awaiting a mediator"),
                counts["accepted"],
                f"{base}?state=accepted",
                "danger",
            ),
        ],
        [WorkRow(d.number, d.title, _url(d.number), d.due_on, _("Time limit"), "warn") for d in waiting],
        base,
    )


def disputes_search(actor: Actor, query: SearchQuery) -> SearchGroup | None:
    """A case number (TJ…, or its last digits) within what the actor may read."""
    if not (actor.has_perm(MEDIATION_VIEW) or actor.has_perm(MEDIATION_MEDIATE)) or query.kind in {
        "id_number",
        "bad_id_number",
    }:
        return None
    hits = [
        SearchHit(d.number, f"{d.title} · {d.get_state_display()}", _url(d.number))
        for d in dispute_by_number(actor=actor, q=query.text)
    ]
    return SearchGroup("mediation_disputes", _("Disputes"), hits)


def register() -> None:
    workbench_register("mediation_disputes", order=50, today=disputes_today, search=disputes_search)
