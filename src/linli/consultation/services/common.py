"""Shared by the stages' writes: the audit record, timeline rows and numbered creation."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction

from linli.core.actor import Actor
from linli.core.errors import Msg, conflict
from linli.core.services import audit_record

NUMBER_TRIES = 5


def audit(actor: Actor, action: str, object_type: str, object_id, path: str, reason: str = "", **details) -> None:
    audit_record(
        actor=actor,
        action=f"consultation.{action}",
        object_type=object_type,
        object_id=object_id,
        org_path=path,
        reason=reason,
        details=details,
    )


def number_for(prefix: str, unit_code: str, day: date, serial: int) -> str:
    """prefix + the unit's 12-digit code + yyyymm + a five-digit serial of that month."""
    return f"{prefix}{unit_code[:12]}{day:%Y%m}{serial:05d}"


def numbered_create(model: Any, prefix: str, unit_code: str, day: date, **values):
    """Create a row with the next serial of its unit and month; a number taken at the same moment
    by another writer is retried with the next one (the unique constraint decides)."""
    start = number_for(prefix, unit_code, day, 0)[:-5]
    for _attempt in range(NUMBER_TRIES):
        serial = model.objects.filter(number__startswith=start).count() + 1
        try:
            with transaction.atomic():
                return model.objects.create(number=number_for(prefix, unit_code, day, serial), **values)
        except IntegrityError as error:
            if "number" not in str(error):  # another constraint (one topic per event…): the caller's
                raise
            continue
    raise conflict(Msg("编号冲突，请重试", "The number was taken at the same moment; try again"))


def topic_follow(actor: Actor, topic_id: int | None, to_state: str, note: str = "") -> None:
    """A topic follows its consultation (under consultation, concluded): its state and a step
    row, inside the caller's transaction. Nothing for a consultation opened without a topic."""
    from django.utils import timezone

    from linli.consultation.models import Topic, TopicStep

    if topic_id is None:
        return
    topic = Topic.objects.select_for_update().get(pk=topic_id)
    if topic.state == to_state:
        return
    from_state, topic.state, topic.updated_at = topic.state, to_state, timezone.now()
    topic.save(update_fields=["state", "updated_at"])
    TopicStep.objects.create(
        topic=topic,
        action="follow",
        from_state=from_state,
        to_state=to_state,
        note=note[:300],
        by_id=actor.user_id,
        by_name=actor.shown_name,
        at=topic.updated_at,
    )


def consultation_step(actor: Actor, consultation, action: str, from_state: str, note: str = "", at=None) -> None:
    """One row of the consultation's timeline (every stage's transitions write it the same way)."""
    from django.utils import timezone

    from linli.consultation.models import ConsultationStep

    ConsultationStep.objects.create(
        consultation=consultation,
        action=action,
        from_state=from_state,
        to_state=consultation.state,
        note=note[:300],
        by_id=actor.user_id,
        by_name=actor.shown_name,
        at=at or timezone.now(),
    )
