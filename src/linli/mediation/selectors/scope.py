"""Who sees what in safe community. Staff see their scope's rows, like every app; two roles are
narrower: a community police officer (a department posting) sees only the communities of their
beat, and a mediator who holds no other staff role sees only the disputes assigned to them."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from linli.accounts.domain import RESIDENT_ROLES, Role
from linli.core.actor import Actor
from linli.mediation.models import Mediator, PoliceBeat


def _only(actor: Actor, role: str) -> bool:
    staff_roles = set(actor.roles) - RESIDENT_ROLES
    return bool(staff_roles) and staff_roles <= {role}


def is_police_only(actor: Actor) -> bool:
    return _only(actor, Role.POLICE_OFFICER)


def is_mediator_only(actor: Actor) -> bool:
    return _only(actor, Role.MEDIATOR)


def beat_paths(actor: Actor) -> list[str]:
    """The communities a police officer serves today."""
    if actor.user_id is None:
        return []
    today = timezone.localdate()
    return list(
        PoliceBeat.objects.filter(user_id=actor.user_id, since__lte=today)
        .filter(Q(until__isnull=True) | Q(until__gte=today))
        .values_list("path", flat=True)
    )


def area_q(actor: Actor, field_name: str = "path") -> Q:
    """Rows of the actor's area: their scope, or a police officer's beat (nothing when empty)."""
    if actor.is_system:
        return actor.scope_q(field_name)
    if is_police_only(actor):
        paths = beat_paths(actor)
        q = Q(pk__in=[])
        for path in paths:
            q |= Q(**{f"{field_name}__startswith": path})
        return q
    if is_mediator_only(actor):
        return Q(pk__in=[])
    return actor.scope_q(field_name)


def area_covers(actor: Actor, path: str) -> bool:
    """`area_q` for one path, in Python (a row already read)."""
    if actor.is_system:
        return actor.sees_path(path)
    if is_police_only(actor):
        return any(path.startswith(beat) for beat in beat_paths(actor))
    if is_mediator_only(actor):
        return False
    return actor.sees_path(path)


def mediator_of(actor: Actor) -> Mediator | None:
    """The pool's active record of the signed-in mediator, if they are one."""
    if actor.user_id is None:
        return None
    return Mediator.objects.filter(user_id=actor.user_id, until__isnull=True).first()
