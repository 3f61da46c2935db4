"""Reads of the mediator pool: the pool of the actor's area (and the experts and volunteers of the
district and city above it), a mediator's figures, the staffing rule per street and community,
the dispute kinds as kept on their page. One 404 for missing and forbidden."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum

from linli.accounts.domain import MEDIATION_MANAGE, MEDIATION_VIEW, SAFETY_FIGURES
from linli.areas.selectors import unit_names, units_under
from linli.core.actor import Actor
from linli.core.errors import not_found
from linli.mediation.domain.disputes import DisputeState
from linli.mediation.domain.mediators import (
    COMMUNITY_LEN,
    COMMUNITY_MIN,
    DISTRICT_LEN,
    STREET_FULL_TIME_GOAL,
    STREET_FULL_TIME_MIN,
    STREET_LEN,
    MediatorKind,
    StaffingLine,
    StaffingMark,
    success_rate,
)
from linli.mediation.models import Dispute, DisputeKind, DisputeParty, DisputeStep, Mediator, MediatorTraining
from linli.mediation.selectors.scope import area_q, is_mediator_only

HELD_STATES = (DisputeState.ACCEPTED, DisputeState.MEDIATING)
DISPUTES_SHOWN = 200  # a mediator page lists the latest disputes held; more is the queue's job


def _ancestors(paths) -> set[str]:
    """The district and city above each scope path: their experts serve the area too."""
    return {p[:n] for p in paths for n in (4, DISTRICT_LEN) if len(p) > n}


def pool_q(actor: Actor) -> Q:
    """The mediators an actor may read: their area's, and the district's and city's above it."""
    if not (actor.has_perm(MEDIATION_VIEW) or actor.has_perm(MEDIATION_MANAGE)) or is_mediator_only(actor):
        return Q(pk__in=[])
    q = area_q(actor)
    ancestors = _ancestors(actor.scope_paths)
    return q | Q(path__in=sorted(ancestors)) if ancestors else q


def mediator_list(*, actor: Actor, include_ended: bool = False) -> QuerySet[Mediator]:
    """The pool of the actor's area, and the experts of the districts above it."""
    mediators = Mediator.objects.filter(pool_q(actor))
    return mediators if include_ended else mediators.filter(until__isnull=True)


def pool_query(*, actor: Actor, unit: str = "", kind: str = "", active: str = "1") -> QuerySet[Mediator]:
    """The pool list's rows with the open disputes each holds (`open_count`): filters by unit (a
    path prefix), kind and active ("1" active, "0" ended, "" both)."""
    mediators = mediator_list(actor=actor, include_ended=True)
    if unit.isdigit():
        mediators = mediators.filter(path__startswith=unit)
    if kind in MediatorKind.values:
        mediators = mediators.filter(kind=kind)
    if active in ("0", "1"):
        mediators = mediators.filter(until__isnull=active == "1")
    held = Count("disputes", filter=Q(disputes__state__in=HELD_STATES))
    return mediators.annotate(open_count=held).order_by("path", "kind", "name")


@dataclass(frozen=True)
class MediatorFigures:
    open: int  # disputes held now (accepted, in mediation): the workload
    concluded: int  # disputes agreed or failed this year
    agreed: int
    failed: int
    training_hours: Decimal  # this year

    @property
    def success_rate(self) -> float | None:
        return success_rate(self.agreed, self.failed)

    @property
    def success_percent(self) -> str:
        rate = self.success_rate
        return "—" if rate is None else f"{rate * 100:.1f}%"


NO_FIGURES = MediatorFigures(0, 0, 0, 0, Decimal(0))


def pool_figures(mediator_ids: list[int], year: int) -> dict[int, MediatorFigures]:
    """Each mediator's figures in three grouped queries, whatever the number of mediators. A
    dispute counts as agreed or failed in the year its step to that state was written (the
    steps are the dispute's timeline; a closed dispute was agreed first)."""
    if not mediator_ids:
        return {}
    held_rows = Dispute.objects.filter(mediator_id__in=mediator_ids, state__in=HELD_STATES)
    held = {r["mediator_id"]: r["n"] for r in held_rows.values("mediator_id").annotate(n=Count("pk"))}
    outcomes: dict[int, dict[str, int]] = defaultdict(dict)
    steps = (
        DisputeStep.objects.filter(
            dispute__mediator_id__in=mediator_ids,
            to_state__in=[DisputeState.AGREED, DisputeState.FAILED],
            at__year=year,
        )
        .exclude(from_state=F("to_state"))  # a note or hand-over while agreed is no outcome
        .values("dispute__mediator_id", "to_state")
        .annotate(n=Count("dispute_id", distinct=True))
    )
    for row in steps:
        outcomes[row["dispute__mediator_id"]][row["to_state"]] = row["n"]
    trainings = MediatorTraining.objects.filter(mediator_id__in=mediator_ids, on__year=year)
    hours = {r["mediator_id"]: r["h"] for r in trainings.values("mediator_id").annotate(h=Sum("hours"))}
    figures = {}
    for pk in mediator_ids:
        agreed = outcomes[pk].get(DisputeState.AGREED, 0)
        failed = outcomes[pk].get(DisputeState.FAILED, 0)
        figures[pk] = MediatorFigures(held.get(pk, 0), agreed + failed, agreed, failed, hours.get(pk) or Decimal(0))
    return figures


def mediator_search(*, actor: Actor, q: str, limit: int = 5) -> list[Mediator]:
    """Serving mediators of the actor's pool whose name contains `q` (the header search)."""
    q = q.strip()[:20]
    if not q:
        return []
    return list(mediator_list(actor=actor).filter(name__contains=q).order_by("name", "path")[:limit])


def mediator_get(*, actor: Actor, public_id) -> Mediator:
    mediator = mediator_list(actor=actor, include_ended=True).filter(public_id=public_id).first()
    if mediator is None:
        raise not_found("调解员", "Mediator")
    return mediator


def mediator_trainings(mediator: Mediator) -> QuerySet[MediatorTraining]:
    return MediatorTraining.objects.filter(mediator=mediator).order_by("-on", "-pk")


def mediator_disputes(mediator: Mediator) -> list[tuple[str, str]]:
    """(case number, state label) of the disputes this mediator holds or held, newest first:
    numbers and states only (the facts are read on the dispute's page, with a reason)."""
    rows = Dispute.objects.filter(mediator=mediator).order_by("-registered_on", "-pk")
    return [
        (number, str(DisputeState(state).label))
        for number, state in rows.values_list("number", "state")[:DISPUTES_SHOWN]
    ]


def mediator_may_manage(actor: Actor, mediator: Mediator) -> bool:
    return actor.has_perm(MEDIATION_MANAGE) and actor.sees_path(mediator.path)


def mediator_may_take(successor: Mediator, dispute: Dispute) -> bool:
    """Whether `successor` may hold `dispute`: serving its community, street, district or city,
    handling its kind, not excluded by a party (回避) and not a party themselves."""
    if successor.until is not None or not dispute.path.startswith(successor.path):
        return False
    if successor.kinds and dispute.kind.code not in successor.kinds:
        return False
    excluded = {str(x) for x in getattr(dispute, "excluded_mediators", None) or []}
    if excluded & {str(successor.pk), str(successor.public_id)}:
        return False
    return not (
        successor.user_id is not None
        and DisputeParty.objects.filter(dispute=dispute, user_id=successor.user_id).exists()
    )


def successor_choices(*, actor: Actor, mediator: Mediator) -> list[Mediator]:
    """Active mediators of the actor's pool who may take every open dispute of `mediator`."""
    held = list(Dispute.objects.filter(mediator=mediator, state__in=HELD_STATES).select_related("kind"))
    others = mediator_list(actor=actor).exclude(pk=mediator.pk).order_by("path", "name")
    return [m for m in others if all(mediator_may_take(m, d) for d in held)]


def mediator_candidates(*, dispute_path: str, kind_code: str) -> list[Mediator]:
    """Active mediators who may take a dispute of this place and kind: those of its community,
    its street, and the experts of its district or city, who handle the kind (or every kind)."""
    prefixes = {dispute_path[:n] for n in (2, 4, 6, 9, 12) if len(dispute_path) >= n}
    mediators = Mediator.objects.filter(until__isnull=True, path__in=prefixes).order_by("path", "name")
    # JSON containment is not portable to SQLite; a unit's pool is small, so filter here
    return [m for m in mediators if not m.kinds or kind_code in m.kinds]


# ---------------------------------------------------------------- the staffing rule


@dataclass(frozen=True)
class StaffingReport:
    path: str
    name: str
    streets: list[StaffingLine]
    communities: list[StaffingLine]

    @property
    def red_streets(self) -> int:
        return sum(1 for s in self.streets if s.mark == StaffingMark.RED)

    @property
    def red_communities(self) -> int:
        return sum(1 for c in self.communities if c.mark == StaffingMark.RED)

    @property
    def full_time(self) -> int:
        return sum(s.count for s in self.streets)

    @property
    def committee(self) -> int:
        return sum(c.count for c in self.communities)


def staffing_check(*, actor: Actor, path: str = "") -> StaffingReport:
    """The staffing rule under `path` (default: the top of the actor's scope): each street's
    full-time mediators against 1 (minimum) and 2 (goal), each community's committee mediators
    against 1. Three queries: the units, the counts, the unit's name."""
    if not (actor.has_perm(MEDIATION_VIEW) or actor.has_perm(SAFETY_FIGURES)) or is_mediator_only(actor):
        raise not_found("单位", "Unit")
    path = path or (min(actor.scope_paths, key=len) if actor.scope_paths else "")
    if not path.isdigit() or not actor.sees_path(path) or len(path) > COMMUNITY_LEN:
        raise not_found("单位", "Unit")
    streets = units_under(under=path, kinds=("street",)) if len(path) <= STREET_LEN else []
    communities = units_under(under=path, kinds=("community", "village"))
    counts: dict[tuple[str, str], int] = {}
    rows = (
        Mediator.objects.filter(
            path__startswith=path,
            until__isnull=True,
            kind__in=[MediatorKind.FULL_TIME, MediatorKind.COMMITTEE],
        )
        .values_list("path", "kind")
        .annotate(n=Count("pk"))
    )
    for unit_path, kind, n in rows:
        counts[(unit_path, kind)] = n
    return StaffingReport(
        path=path,
        name=unit_names([path]).get(path, path),
        streets=[
            StaffingLine(
                p,
                n,
                "street",
                counts.get((p, MediatorKind.FULL_TIME), 0),
                STREET_FULL_TIME_MIN,
                STREET_FULL_TIME_GOAL,
            )
            for p, n, _ in streets
        ],
        communities=[
            StaffingLine(p, n, "community", counts.get((p, MediatorKind.COMMITTEE), 0), COMMUNITY_MIN, COMMUNITY_MIN)
            for p, n, _ in communities
        ],
    )


# ---------------------------------------------------------------- dispute kinds


def kind_list(*, include_inactive: bool = True) -> QuerySet[DisputeKind]:
    kinds = DisputeKind.objects.all().order_by("order", "code")
    return kinds if include_inactive else kinds.filter(active=True)


def kind_get(*, code: str) -> DisputeKind:
    kind = DisputeKind.objects.filter(code=code).first()
    if kind is None:
        raise not_found("纠纷类型", "Dispute kind")
    return kind
