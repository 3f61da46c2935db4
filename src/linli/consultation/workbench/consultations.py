"""Stage consultations on the staff workbench: comments awaiting moderation and today's meetings
(the meetings as rows, each linking to its tablet page)."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.domain import CONSULT_MANAGE
from linli.consultation.selectors.consultations import meetings_today, workbench_counts
from linli.core.actor import Actor
from linli.core.workbench import FIRST_ROWS, WorkCount, WorkRow, WorkSection, workbench_register


def consultations_today(actor: Actor, today: date) -> WorkSection | None:
    """For the committees: comments to read, meetings today; nothing when there is neither."""
    if not actor.has_perm(CONSULT_MANAGE):
        return None
    counts = workbench_counts(actor=actor, today=today)
    if not counts["pending"] and not counts["meetings"]:
        return None
    base = reverse("portal:consultation:consultations-list")
    rows = (
        [
            WorkRow(
                m.consultation.title,
                f"{timezone.localtime(m.starts_at):%H:%M} {m.place}",
                reverse("portal:consultation:consultations-meeting", args=[m.public_id]),
            )
            for m in meetings_today(actor=actor, today=today, limit=FIRST_ROWS)
        ]
        if counts["meetings"]
        else []
    )
    return WorkSection(
        "consultation_consultations",
        _("Consultations"),
        [
            WorkCount(
                "consultations.pending",
                _("Comments awaiting moderation"),
                counts["pending"],
                f"{base}?state=discussing",
                "warn",
            ),
            WorkCount("consultations.meetings", _("Consultation meetings today"), counts["meetings"], base),
        ],
        rows,
        base,
    )


def register() -> None:
    workbench_register("consultation_consultations", order=71, today=consultations_today)
