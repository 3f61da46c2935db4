"""Reads of the shared kernel."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q, QuerySet

from linli.core.actor import Actor
from linli.core.errors import permission_denied
from linli.core.models import AuditEntry, Heartbeat

AUDIT_SEARCH = "audit.search"


def audit_list(
    *,
    actor: Actor,
    action: str = "",
    actor_name: str = "",
    object_type: str = "",
    object_id: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[AuditEntry]:
    """Audit lines in the actor's scope; only accounts with `audit.search` may read them.

    Lines with no org path (log-ins, platform operations) are shown to city-wide auditors only.
    """
    if not actor.has_perm(AUDIT_SEARCH):
        raise permission_denied()
    entries = AuditEntry.objects.all()
    if not actor.citywide:
        entries = actor.scoped(entries, "org_path")
    filters = {
        "action": action,
        "actor_name": actor_name,
        "object_type": object_type,
        "object_id": object_id,
    }
    entries = entries.filter(**{k: v for k, v in filters.items() if v})
    if since:
        entries = entries.filter(at__gte=since)
    if until:
        entries = entries.filter(at__lt=until)
    return entries


def heartbeat_list() -> QuerySet[Heartbeat]:
    return Heartbeat.objects.order_by("name")


def count_each(queryset: QuerySet, rules: dict[str, Q]) -> dict[str, int]:
    """How many rows of `queryset` match each rule, in one conditional aggregate (queue tabs and
    the workbench); an empty rule counts every row."""
    return queryset.aggregate(**{key: Count("pk", filter=rule) if rule else Count("pk") for key, rule in rules.items()})
