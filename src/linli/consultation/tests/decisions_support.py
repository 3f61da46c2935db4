"""Decisions test support: the voting helper's world (a Monday-morning clock, 水源地社区 households
with resident accounts) and consultations brought straight to the state this stage starts from —
counted with a winner, counted without a quorum, or a council without options discussed at a
meeting with minutes. The rows are set directly: the earlier stages' services are other helpers'."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from linli.consultation.models import Consultation, Meeting
from linli.consultation.tests.voting_support import SHUIYUANDI, discussing

__all__ = ["SHUIYUANDI", "council_with_minutes", "counted"]


def counted(*, winner: str | None = "A", quorum_met: bool = True) -> Consultation:
    """A 水源地 consultation counted: 6 of 10 voted, A carried (or none, or no quorum)."""
    consultation = discussing()
    consultation.state = "counted"
    consultation.roll_size = 10
    consultation.result = {
        "counts": {"A": 4, "B": 2},
        "cast": 6,
        "roll_size": 10,
        "quorum_met": quorum_met,
        "winner": winner if quorum_met else None,
    }
    consultation.save()
    return consultation


def council_with_minutes(minutes: str = "议定：楼道照明由物业更换为感应灯。") -> Consultation:
    """A council consultation without options, discussing, with one meeting whose minutes exist."""
    consultation = discussing()
    consultation.options.all().delete()
    Consultation.objects.filter(pk=consultation.pk).update(form="council")
    now = timezone.now()
    Meeting.objects.create(
        consultation=consultation,
        starts_at=now - dt.timedelta(days=1),
        place="社区议事厅",
        minutes=minutes,
        minutes_at=now,
        created_at=now,
    )
    consultation.refresh_from_db()
    return consultation
