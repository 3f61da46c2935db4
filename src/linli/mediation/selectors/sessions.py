"""Reads of a dispute's mediation: sessions, the agreement, follow-ups; the mediator's own queue
(benchmarked: one query on the `mediation_dispute_queue` index) and the figures of the
workbench (sessions today, due soon, overdue, agreements to follow up). Scoped like every read
of disputes (`disputes.dispute_scope_q`); one 404 for missing and forbidden."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from linli.accounts.domain import FACILITY_VIEW, MEDIATION_INTAKE, MEDIATION_MEDIATE
from linli.areas.selectors import unit_names
from linli.core.actor import Actor
from linli.core.errors import not_found
from linli.facilities.selectors import facility_list
from linli.mediation.domain.disputes import (
    DisputeLevel,
    DisputeState,
    SessionState,
)
from linli.mediation.domain.mediators import STREET_LEN
from linli.mediation.models import (
    Dispute,
    DisputeFollowUp,
    DisputeParty,
    MediationAgreement,
    MediationSession,
)
from linli.mediation.selectors.disputes import dispute_scope_q
from linli.mediation.selectors.scope import area_q

QUEUE_STATES = (DisputeState.MEDIATING, DisputeState.AGREED)
DUE_SOON_DAYS = 5
ROOM_KIND = "mediation_room"  # the facility registry's kind of a mediation room


def day_span(day: date) -> tuple[datetime, datetime]:
    """A local day as an aware [start, end) interval."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


# ---- who may act --------------------------------------------------------------------------------


def is_assigned_mediator(actor: Actor, dispute: Dispute) -> bool:
    """The actor is the dispute's mediator (through the pool's record of their account)."""
    if actor.user_id is None or not actor.has_perm(MEDIATION_MEDIATE) or dispute.mediator_id is None:
        return False
    mediator = dispute.mediator
    return mediator is not None and mediator.user_id == actor.user_id


def is_area_intake(actor: Actor, dispute: Dispute) -> bool:
    """The actor registers and assigns disputes where this one arose."""
    return actor.has_perm(MEDIATION_INTAKE) and Dispute.objects.filter(area_q(actor), pk=dispute.pk).exists()


def may_handle(actor: Actor, dispute: Dispute) -> bool:
    """Sessions, outcome, confirmation and follow-up are the assigned mediator's, or the area's
    intake staff's (who enter a paper record for a mediator without an account)."""
    return is_assigned_mediator(actor, dispute) or is_area_intake(actor, dispute)


# ---- one dispute --------------------------------------------------------------------------------


def dispute_visible(*, actor: Actor, pk: int) -> Dispute:
    """The dispute if the actor may read it (staff of its area, its mediator); else 404."""
    dispute = Dispute.objects.filter(dispute_scope_q(actor), pk=pk).select_related("kind", "mediator").first()
    if dispute is None:
        raise not_found("纠纷", "Dispute")
    return dispute


def my_queue_dispute_get(*, actor: Actor, number: str) -> Dispute:
    """One of the signed-in mediator's own disputes (another mediator's: 404)."""
    dispute = (
        Dispute.objects.filter(number=number, mediator__user_id=actor.user_id)
        .select_related("kind", "mediator")
        .first()
        if actor.user_id is not None and actor.has_perm(MEDIATION_MEDIATE)
        else None
    )
    if dispute is None:
        raise not_found("纠纷", "Dispute")
    return dispute


def dispute_sessions(dispute: Dispute) -> list[MediationSession]:
    return list(MediationSession.objects.filter(dispute=dispute).order_by("starts_at", "pk"))


def dispute_parties(dispute: Dispute) -> list[DisputeParty]:
    return list(DisputeParty.objects.filter(dispute=dispute).order_by("side", "pk"))


def dispute_agreement(dispute: Dispute) -> MediationAgreement | None:
    return MediationAgreement.objects.filter(dispute=dispute).first()


def dispute_follow_ups(dispute: Dispute) -> list[DisputeFollowUp]:
    return list(DisputeFollowUp.objects.filter(dispute=dispute).order_by("on", "pk"))


def session_of(dispute: Dispute, public_id) -> MediationSession:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise not_found("调解会", "Session") from None
    session = MediationSession.objects.filter(dispute=dispute, public_id=key).first()
    if session is None:
        raise not_found("调解会", "Session")
    return session


def held_session_count(dispute: Dispute) -> int:
    return MediationSession.objects.filter(dispute=dispute, state=SessionState.HELD).count()


def handling_unit_path(dispute: Dispute) -> str:
    """The unit whose mediation committee handles the dispute: its community, its street, or the
    expert's unit."""
    if dispute.level == DisputeLevel.STREET:
        return dispute.path[:STREET_LEN]
    if dispute.level == DisputeLevel.EXPERT and dispute.mediator is not None:
        return dispute.mediator.path
    return dispute.path


def handling_unit_name(dispute: Dispute) -> str:
    path = handling_unit_path(dispute)
    return unit_names([path]).get(path, path)


def mediation_rooms(dispute: Dispute) -> list[tuple[str, str]]:
    """The registry's mediation rooms of the dispute's street, as (public id, name). A room is no
    one's secret: read with the platform's own eyes, so a mediator without facility rights sees
    them too."""
    reader = Actor.system(
        "mediation.rooms", permissions=frozenset({FACILITY_VIEW}), root_path=dispute.path[:STREET_LEN]
    )
    rooms = facility_list(actor=reader, kind=ROOM_KIND).values_list("public_id", "name")
    return [(str(public_id), name) for public_id, name in rooms[:50]]


def room_name(dispute: Dispute, facility_ref) -> str | None:
    """The room's name if `facility_ref` is a mediation room of the dispute's street."""
    return dict(mediation_rooms(dispute)).get(str(facility_ref))


# ---- the mediator's queue ------------------------------------------------------------------------


def mediator_queue(*, actor: Actor, today: date) -> QuerySet[Dispute]:
    """The signed-in mediator's disputes in mediation (due soonest first), then those agreed and
    awaiting follow-up; each with its next scheduled session's start. One query."""
    if actor.user_id is None or not actor.has_perm(MEDIATION_MEDIATE):
        return Dispute.objects.none()
    start, _ = day_span(today)
    next_session = (
        MediationSession.objects.filter(dispute=OuterRef("pk"), state=SessionState.SCHEDULED, starts_at__gte=start)
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    return (
        Dispute.objects.filter(mediator__user_id=actor.user_id, state__in=QUEUE_STATES)
        .select_related("kind")
        .annotate(
            next_session_at=Subquery(next_session),
            agreed_last=Case(
                When(state=DisputeState.AGREED, then=Value(1)), default=Value(0), output_field=IntegerField()
            ),
        )
        .order_by("agreed_last", "due_on", "pk")
    )


@dataclass(frozen=True)
class SessionToday:
    dispute_number: str
    dispute_title: str
    starts_at: datetime
    place: str


def sessions_today(*, actor: Actor, today: date) -> list[SessionToday]:
    """The mediator's sessions scheduled today, in time order."""
    if actor.user_id is None or not actor.has_perm(MEDIATION_MEDIATE):
        return []
    start, end = day_span(today)
    rows = (
        MediationSession.objects.filter(
            dispute__mediator__user_id=actor.user_id,
            state=SessionState.SCHEDULED,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .order_by("starts_at")
        .values_list("dispute__number", "dispute__title", "starts_at", "place")
    )
    return [SessionToday(*row) for row in rows]


def mediator_due(*, actor: Actor, today: date) -> tuple[list[Dispute], list[Dispute]]:
    """The mediator's disputes in mediation overdue, and those due within `DUE_SOON_DAYS` days."""
    if actor.user_id is None or not actor.has_perm(MEDIATION_MEDIATE):
        return [], []
    rows = list(
        Dispute.objects.filter(
            mediator__user_id=actor.user_id,
            state=DisputeState.MEDIATING,
            due_on__lte=today + timedelta(days=DUE_SOON_DAYS),
        ).order_by("due_on", "pk")
    )
    return [d for d in rows if d.due_on and d.due_on < today], [d for d in rows if d.due_on and d.due_on >= today]


# ---- staff figures -------------------------------------------------------------------------------


def overdue_disputes(*, actor: Actor, today: date) -> QuerySet[Dispute]:
    """Open disputes of the actor's scope past their time limit."""
    return Dispute.objects.filter(
        dispute_scope_q(actor),
        state__in=(DisputeState.CONSENT, DisputeState.ACCEPTED, DisputeState.MEDIATING),
        due_on__lt=today,
    ).order_by("due_on", "pk")


def follow_ups_due(*, actor: Actor, today: date) -> QuerySet[Dispute]:
    """Agreed disputes of the actor's area whose performance date has passed with no follow-up
    since it."""
    later = DisputeFollowUp.objects.filter(dispute=OuterRef("pk"), on__gte=OuterRef("agreement__perform_by"))
    return (
        Dispute.objects.filter(
            Q(area_q(actor)),
            state=DisputeState.AGREED,
            agreement__perform_by__lt=today,
        )
        .filter(~Exists(later))
        .select_related("agreement")
        .order_by("agreement__perform_by", "pk")
    )
