"""Row locks shared by the care stages."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from linli.care.models import OrderLock


def elder_lock(person_ref) -> None:
    """Serialise writes about one elder inside the caller's transaction: orders count the month's
    units after it (two orders never both take the last unit under the cap), and assessments
    supersede the current one after it (two assessors at once leave one current assessment)."""
    try:
        with transaction.atomic():
            OrderLock.objects.get_or_create(person_ref=person_ref)
    except IntegrityError:  # created by the other writer a moment ago
        pass
    OrderLock.objects.select_for_update().get(person_ref=person_ref)
