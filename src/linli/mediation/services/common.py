"""Shared by the stages' writes: the audit record and the dispute's step row."""

from __future__ import annotations

from django.utils import timezone

from linli.core.actor import Actor
from linli.core.services import audit_record
from linli.mediation.models import Dispute, DisputeStep


def audit(actor: Actor, action: str, object_type: str, object_id, path: str, reason: str = "", **details) -> None:
    audit_record(
        actor=actor,
        action=f"mediation.{action}",
        object_type=object_type,
        object_id=object_id,
        org_path=path,
        reason=reason,
        details=details,
    )


def step_add(dispute: Dispute, actor: Actor, action: str, from_state: str, note: str = "") -> DisputeStep:
    """One step row per transition or event (the dispute's timeline)."""
    return DisputeStep.objects.create(
        dispute=dispute,
        action=action,
        from_state=from_state,
        to_state=dispute.state,
        note=note[:300],
        by_id=actor.user_id,
        by_name=actor.shown_name,
        at=timezone.now(),
    )


def dispute_locked(dispute: Dispute) -> Dispute:
    """The dispute's row, locked for the caller's transaction."""
    return Dispute.objects.select_for_update().get(pk=dispute.pk)
