"""Stage village on the staff workbench: matters awaiting the town's review (the town) and
matters the town returned (the village), counted in one query, the oldest first as rows."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from linli.accounts.domain import CONSULT_MANAGE, VILLAGE_REVIEW
from linli.consultation.domain.village import MatterState
from linli.consultation.selectors.village import matter_list, review_queue, village_counts
from linli.core.actor import Actor
from linli.core.workbench import WorkCount, WorkRow, WorkSection, workbench_register

FIRST_ROWS = 5


def _url(public_id) -> str:
    return reverse("portal:consultation:village-matter", args=[public_id])


def village_today(actor: Actor, today: date) -> WorkSection | None:
    """The town: matters to review; the village: matters returned to it. Nothing when none."""
    if not (actor.has_perm(VILLAGE_REVIEW) or actor.has_perm(CONSULT_MANAGE)):
        return None
    counts = village_counts(actor=actor)
    if not counts["review"] and not counts["returned"]:
        return None
    base = reverse("portal:consultation:village-list")
    if counts["review"]:
        waiting = review_queue(actor=actor)
    else:
        waiting = matter_list(actor=actor, state=MatterState.RETURNED).order_by("updated_at", "pk")
    rows = [
        WorkRow(m.number, m.title, _url(m.public_id), None, "", "warn")
        for m in waiting.select_related(None)[:FIRST_ROWS]
    ]
    return WorkSection(
        "consultation_village",
        _("Village major matters"),
        _counts(actor, counts, base),
        rows,
        base,
    )


def _counts(actor: Actor, counts: dict[str, int], base: str) -> list[WorkCount]:
    """Only the numbers the actor acts on: the town reviews, the village takes a return back."""
    shown = []
    if actor.has_perm(VILLAGE_REVIEW):
        queue = reverse("portal:consultation:village-review-queue")
        shown.append(
            WorkCount(
                "village.review", _("Village matters awaiting the town's review"), counts["review"], queue, "warn"
            )
        )
    if actor.has_perm(CONSULT_MANAGE):
        label = _("Village matters returned by the town")
        shown.append(WorkCount("village.returned", label, counts["returned"], f"{base}?state=returned", "danger"))
    return shown


def register() -> None:
    workbench_register("consultation_village", order=74, today=village_today)
