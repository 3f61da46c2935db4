"""Writes of the shared kernel: the audit log, job heartbeats and the expiry of idempotency keys."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from linli.core.actor import Actor
from linli.core.models import AuditEntry, Heartbeat, IdempotencyKey

SENSITIVE_KEYS = frozenset({"id_number", "phone", "password", "notes", "token", "secret"})


def audit_record(
    *,
    actor: Actor,
    action: str,
    object_type: str = "",
    object_id: str | int = "",
    org_path: str = "",
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one audit line. Sensitive keys in `details` are refused, not silently stored."""
    details = details or {}
    leaked = SENSITIVE_KEYS.intersection(details)
    if leaked:
        raise ValueError(f"audit details must not carry sensitive values: {sorted(leaked)}")
    return AuditEntry.objects.create(
        at=timezone.now(),
        actor_user_id=actor.user_id,
        actor_name=actor.username or "anonymous",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        org_path=org_path,
        reason=reason[:500],
        client_address=actor.client_address,
        details=details,
    )


def heartbeat_record(*, name: str, result: str = "") -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"last_run_at": timezone.now(), "last_result": result[:200]})


def sessions_clear() -> str:
    """Periodic job: drop expired sessions."""
    from django.contrib.sessions.models import Session

    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return f"expired sessions removed: {deleted}"


def idempotency_keys_prune() -> str:
    """Periodic job: delete the stored `Idempotency-Key` answers whose 24 hours are over
    (core/idempotency.py treats an expired row as absent, so this only keeps the table small)."""
    deleted, _ = IdempotencyKey.objects.filter(expires_at__lte=timezone.now()).delete()
    return f"expired idempotency keys removed: {deleted}"
