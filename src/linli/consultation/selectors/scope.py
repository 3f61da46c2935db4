"""Who sees what in deliberation. Staff see their scope's rows, like every app (a street sees its
communities and villages, a district its streets). A resident sees the topics, consultations,
decisions and matters of the community they live in, never another's. A department officer sees
only their own department's task requests. The public board needs no actor at all."""

from __future__ import annotations

from django.db.models import Q

from linli.accounts.domain import is_department_only
from linli.core.actor import Actor
from linli.residents.selectors import applicant_for_user

COMMUNITY_LEN = 12


def area_q(actor: Actor, field_name: str = "path") -> Q:
    """Rows of the actor's area (nothing when the scope is empty, or for a department officer)."""
    if is_department_only(actor):
        return Q(pk__in=[])
    return actor.scope_q(field_name)


def home_community(actor: Actor) -> str:
    """The community (12) a resident account lives in, "" when the pool links none."""
    card = applicant_for_user(actor.user_id)
    return card.home_path[:COMMUNITY_LEN] if card else ""
