"""Reads of people's mediation, scoped: staff see their area's disputes (see `scope.area_q`) and
a mediator the disputes assigned to them; a resident sees the disputes they are a party to. One
404 for missing and forbidden."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from linli.accounts.domain import MEDIATION_APPLY, MEDIATION_MEDIATE, MEDIATION_VIEW
from linli.core.actor import Actor
from linli.core.errors import not_found
from linli.mediation.models import Dispute, DisputeKind
from linli.mediation.selectors.scope import area_q


def dispute_scope_q(actor: Actor) -> Q:
    """The disputes a staff actor may read: their area's, and those assigned to them as mediator."""
    q = Q(pk__in=[])
    if actor.has_perm(MEDIATION_VIEW):
        q |= area_q(actor)
    if actor.has_perm(MEDIATION_MEDIATE) and actor.user_id is not None:
        q |= Q(mediator__user_id=actor.user_id)
    return q


def dispute_list(*, actor: Actor) -> QuerySet[Dispute]:
    return Dispute.objects.filter(dispute_scope_q(actor)).select_related("kind", "mediator")


def dispute_get(*, actor: Actor, number: str) -> Dispute:
    dispute = dispute_list(actor=actor).filter(number=number).first()
    if dispute is None:
        raise not_found("纠纷", "Dispute")
    return dispute


def dispute_for_event(*, actor: Actor, event_number: str) -> Dispute | None:
    """The dispute a grid event became, if the actor may read it."""
    return dispute_list(actor=actor).filter(source="grid_event", source_ref=event_number).first()


def my_disputes(*, actor: Actor) -> QuerySet[Dispute]:
    """A resident's own disputes: those where their account is a party."""
    if actor.user_id is None or not actor.has_perm(MEDIATION_APPLY):
        return Dispute.objects.none()
    return Dispute.objects.filter(parties__user_id=actor.user_id).distinct().select_related("kind", "mediator")


def my_dispute_get(*, actor: Actor, number: str) -> Dispute:
    dispute = my_disputes(actor=actor).filter(number=number).first()
    if dispute is None:
        raise not_found("纠纷", "Dispute")
    return dispute


def dispute_kinds(*, include_inactive: bool = False) -> QuerySet[DisputeKind]:
    kinds = DisputeKind.objects.all()
    return kinds if include_inactive else kinds.filter(active=True)
