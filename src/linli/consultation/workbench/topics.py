"""Stage topics on the staff workbench: topics awaiting the committees' decision."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from linli.accounts.domain import CONSULT_MANAGE
from linli.consultation.domain.topics import TopicState
from linli.consultation.selectors.topics import awaiting_count, awaiting_rows
from linli.core.actor import Actor
from linli.core.workbench import FIRST_ROWS, WorkCount, WorkRow, WorkSection, workbench_register


def topics_today(actor: Actor, today: date) -> WorkSection | None:
    """For the committees: topics to decide; nothing when there are none."""
    if not actor.has_perm(CONSULT_MANAGE):
        return None
    awaiting = awaiting_count(actor=actor)["awaiting"]
    if not awaiting:
        return None
    base = reverse("portal:consultation:topics-list")
    rows = [
        WorkRow(t.title, t.number, reverse("portal:consultation:topics-detail", args=[t.public_id]))
        for t in awaiting_rows(actor=actor, limit=FIRST_ROWS)
    ]
    return WorkSection(
        "consultation_topics",
        _("Consultation topics"),
        [
            WorkCount(
                "topics.awaiting",
                _("Topics awaiting the committees' decision"),
                awaiting,
                f"{base}?state={TopicState.SUBMITTED}",
                "warn",
            )
        ],
        rows,
        base,
    )


def register() -> None:
    workbench_register("consultation_topics", order=70, today=topics_today)
