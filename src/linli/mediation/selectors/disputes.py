"""Reads of people's mediation, scoped: staff see their area's disputes (see `scope.area_q`) and
a mediator the disputes assigned to them; a resident sees the disputes they are a party to. One
404 for missing and forbidden."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from linli.accounts.domain import MEDIATION_APPLY, MEDIATION_MEDIATE, MEDIATION_VIEW
from linli.areas.selectors import city_unit, units_under
from linli.core.actor import Actor
from linli.core.errors import Msg, not_found
from linli.mediation.domain.disputes import OPEN_STATES, DisputeState, step_label
from linli.mediation.models import Dispute, DisputeKind, DisputeParty, Mediator
from linli.mediation.selectors.mediators import mediator_candidates
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


def my_party(*, actor: Actor, dispute: Dispute) -> str:
    """The consent of the actor's own party row in the dispute ("" when they are not a party)."""
    if actor.user_id is None:
        return ""
    row = dispute.parties.filter(user_id=actor.user_id).order_by("pk").values_list("consent", flat=True).first()
    return row or ""


def dispute_kinds(*, include_inactive: bool = False) -> QuerySet[DisputeKind]:
    kinds = DisputeKind.objects.all()
    return kinds if include_inactive else kinds.filter(active=True)


# --- disputes stage: the queue, a dispute's page, candidates and their workload ---


def dispute_queue(
    *, actor: Actor, state: str = "", kind: str = "", level: str = "", overdue: bool = False, today=None
) -> QuerySet[Dispute]:
    """The staff queue, newest first, filtered; `overdue`: open, with the time limit passed."""
    disputes = dispute_list(actor=actor)
    if state:
        disputes = disputes.filter(state=state)
    if kind:
        disputes = disputes.filter(kind__code=kind)
    if level:
        disputes = disputes.filter(level=level)
    if overdue:
        disputes = disputes.filter(state__in=list(OPEN_STATES), due_on__lt=today or timezone.localdate())
    return disputes.prefetch_related("parties")


def dispute_parties(dispute: Dispute) -> list[DisputeParty]:
    return list(dispute.parties.order_by("side", "pk"))


@dataclass(frozen=True)
class StepRow:
    at: datetime
    label: Msg
    note: str
    state_label: str
    by_name: str


def dispute_steps(dispute: Dispute) -> list[StepRow]:
    """The timeline in words (no codes on a Chinese page)."""
    states = dict(DisputeState.choices)
    return [
        StepRow(s.at, step_label(s.action), s.note, str(states.get(s.to_state, s.to_state)), s.by_name)
        for s in dispute.steps.order_by("at", "pk")
    ]


@dataclass(frozen=True)
class Candidate:
    mediator: Mediator
    workload: int  # disputes they hold now (accepted or in mediation)
    excluded: bool  # a party asked them to step aside (回避)


def assign_candidates(dispute: Dispute) -> list[Candidate]:
    """Who may take the dispute, with their current workload, the least busy first (the ones a
    party asked to recuse kept out, the current mediator too)."""
    mediators = [
        m
        for m in mediator_candidates(dispute_path=dispute.path, kind_code=dispute.kind.code)
        if m.pk != dispute.mediator_id
    ]
    loads = dict(
        Dispute.objects.filter(mediator__in=mediators, state__in=[DisputeState.ACCEPTED, DisputeState.MEDIATING])
        .values_list("mediator")
        .annotate(n=Count("pk"))
        .values_list("mediator", "n")
    )
    excluded = set(dispute.excluded_mediators or [])
    rows = [Candidate(m, loads.get(m.pk, 0), str(m.public_id) in excluded) for m in mediators]
    return sorted((c for c in rows if not c.excluded), key=lambda c: (c.workload, c.mediator.path, c.mediator.name))


def intake_counts(*, actor: Actor) -> dict[str, int]:
    """Awaiting consent and awaiting a mediator, for the workbench."""
    rows = dict(
        dispute_list(actor=actor)
        .filter(state__in=[DisputeState.CONSENT, DisputeState.ACCEPTED])
        .order_by()
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    return {"consent": rows.get(DisputeState.CONSENT, 0), "accepted": rows.get(DisputeState.ACCEPTED, 0)}


def dispute_by_number(*, actor: Actor, q: str, limit: int = 5) -> list[Dispute]:
    """The header search: disputes whose case number starts with or ends with what was typed."""
    q = q.strip().upper()
    if len(q) < 4 or not q.replace("TJ", "").isdigit():
        return []
    disputes = dispute_list(actor=actor)
    return list(disputes.filter(Q(number__startswith=q) | Q(number__endswith=q))[:limit])


def communities_to_choose(limit: int = 500) -> list[tuple[str, str]]:
    """(path, name) of the city's communities, for a resident whose account the pool does not link."""
    city = city_unit()
    if city is None:
        return []
    return [(path, name) for path, name, _ in units_under(under=city.path, kinds=("community", "village"))[:limit]]
