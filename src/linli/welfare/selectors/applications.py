"""Reads of social-assistance applications, scoped by the household's path and failing closed: who
may work on applications (WELFARE_INTAKE, WELFARE_REVIEW or WELFARE_DECIDE) sees those of
households in their scope; everyone else gets the same 404 as for one that does not exist.

Queues per step for the actor's role: the community records, checks, surveys and answers
objections; the street reviews; the county decides once the notice has ended. The notice board
shows the head's surname with a masked given name, the community and the amount — never an ID
number, an address or an illness."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from linli.accounts.domain import WELFARE_DECIDE, WELFARE_INTAKE, WELFARE_REVIEW
from linli.core.actor import Actor
from linli.core.errors import not_found
from linli.core.ids import uuid_or_none
from linli.core.paths import under_path
from linli.core.workbench import FIRST_ROWS, WorkCount, WorkRow, WorkSection
from linli.welfare.domain.applications import (
    NUMBER_RE,
    TRANSITIONS,
    ApplicationState,
    masked_given_name,
)
from linli.welfare.models import Application, ApplicationMember, ApplicationStep, Objection

WORKERS = (WELFARE_INTAKE, WELFARE_REVIEW, WELFARE_DECIDE)
S = ApplicationState


def works_on_applications(actor: Actor) -> bool:
    return actor.is_authenticated and any(actor.has_perm(p) for p in WORKERS)


def _scope_q(actor: Actor) -> Q:
    query = Q(pk__in=[])
    for prefix in actor.scope_paths:
        query |= under_path("path", prefix)
    return query


def application_list(*, actor: Actor) -> QuerySet[Application]:
    if not works_on_applications(actor) or not actor.scope_paths:
        return Application.objects.none()
    return Application.objects.filter(_scope_q(actor))


def application_get(*, actor: Actor, key) -> Application:
    """By public id or number; one 404 for missing and forbidden."""
    key = str(key).strip()
    apps = application_list(actor=actor)
    found = None
    if NUMBER_RE.match(key):
        found = apps.filter(number=key).first()
    else:
        public_id = uuid_or_none(key)
        found = apps.filter(public_id=public_id).first() if public_id else None
    if found is None:
        raise not_found("救助申请", "Application")
    return found


def may_read_facts(actor: Actor, app: Application) -> bool:
    return works_on_applications(actor) and actor.sees_path(app.path)


def application_actions(*, actor: Actor, app: Application, today: date) -> list[str]:
    """The steps this actor may take now (the county's approval only once the notice ended)."""
    actions = []
    for transition in TRANSITIONS.values():
        if app.state not in transition.sources:
            continue
        if not (actor.has_perm(transition.permission) and actor.sees_path(app.path[: transition.level])):
            continue
        if transition.action == "approve" and not (app.notice_until and today > app.notice_until):
            continue
        actions.append(transition.action)
    return actions


# ---------------------------------------------------------------- queues


@dataclass(frozen=True)
class Queue:
    key: str
    states: tuple[str, ...]
    permission: str
    level: int  # the acting unit's path length: the actor must hold it, not only see below it


QUEUES: tuple[Queue, ...] = (
    Queue("recording", (S.RECORDING,), WELFARE_INTAKE, 12),
    Queue("checking", (S.CHECKING,), WELFARE_INTAKE, 12),
    Queue("surveying", (S.SURVEYING,), WELFARE_INTAKE, 12),
    Queue("street_review", (S.STREET_REVIEW,), WELFARE_REVIEW, 9),
    Queue("notice", (S.NOTICE,), WELFARE_INTAKE, 12),
    Queue("county", (S.NOTICE, S.COUNTY_DECISION), WELFARE_DECIDE, 6),
)


def _acts_at(actor: Actor, level: int) -> bool:
    """Whether the actor's postings reach the acting unit's level (a district posting decides,
    a street posting reviews, a community posting records)."""
    return any(len(p) <= level for p in actor.scope_paths)


def queues_for(actor: Actor) -> list[Queue]:
    return [q for q in QUEUES if actor.has_perm(q.permission) and _acts_at(actor, q.level)]


def queue_filter(apps: QuerySet[Application], queue: Queue, today: date) -> QuerySet[Application]:
    apps = apps.filter(state__in=queue.states)
    if queue.key == "county":  # the notice has ended, or the street proposed refusal
        apps = apps.filter(Q(state=S.COUNTY_DECISION) | Q(notice_until__lt=today))
    if queue.key == "notice":
        apps = apps.filter(notice_until__gte=today)
    return apps


def queue_counts(*, actor: Actor, today: date) -> dict[str, int]:
    """Every queue of the actor's role in one conditional aggregate."""
    queues = queues_for(actor)
    if not queues:
        return {}
    aggregates = {}
    for queue in queues:
        condition = Q(state__in=queue.states)
        if queue.key == "county":
            condition &= Q(state=S.COUNTY_DECISION) | Q(notice_until__lt=today)
        if queue.key == "notice":
            condition &= Q(notice_until__gte=today)
        aggregates[queue.key] = Count("pk", filter=condition)
    return application_list(actor=actor).aggregate(**aggregates)


def state_counts(*, actor: Actor) -> dict[str, int]:
    rows = application_list(actor=actor).values("state").annotate(n=Count("pk")).order_by()
    counts = {row["state"]: row["n"] for row in rows}
    return {state: counts.get(state, 0) for state in S.values}


# ---------------------------------------------------------------- the page


def application_members(app: Application) -> list[ApplicationMember]:
    return list(app.member_rows.all())


def application_steps(app: Application) -> list[ApplicationStep]:
    return list(app.steps.order_by("at", "pk"))


def application_objections(app: Application) -> list[Objection]:
    return list(app.objections.all())


# ---------------------------------------------------------------- the notice board


@dataclass(frozen=True)
class NoticeLine:
    number: str
    name: str  # 张*明
    community: str
    assistance_class: str
    class_label: str
    amount: Decimal
    members: int
    notice_from: date
    notice_until: date


def notice_board(*, actor: Actor, community_path: str, today: date) -> list[NoticeLine]:
    """The applications in their notice in a community (as posted on its board)."""
    from linli.welfare.domain.classes import AssistanceClass

    if len(community_path) != 12 or not community_path.isdigit():
        return []
    apps = (
        application_list(actor=actor)
        .filter(under_path("path", community_path), state=S.NOTICE, notice_until__gte=today)
        .annotate(n=Count("member_rows"))
        .order_by("notice_from", "number")
    )
    return [
        NoticeLine(
            number=app.number,
            name=masked_given_name(app.head_name),
            community=app.community_name,
            assistance_class=app.proposed_class,
            class_label=str(AssistanceClass(app.proposed_class).label) if app.proposed_class else "",
            amount=app.proposed_amount or Decimal("0"),
            members=app.n,
            notice_from=app.notice_from,  # type: ignore[arg-type]
            notice_until=app.notice_until,  # type: ignore[arg-type]
        )
        for app in apps
    ]


def notice_communities(*, actor: Actor, today: date) -> list[tuple[str, str, int]]:
    """Communities in scope with an application in its notice: (path, name, count)."""
    rows = (
        application_list(actor=actor)
        .filter(state=S.NOTICE, notice_until__gte=today)
        .values("path", "community_name")
        .order_by()
    )
    counts: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (row["path"][:12], row["community_name"])
        counts[key] = counts.get(key, 0) + 1
    return sorted((path, name, n) for (path, name), n in counts.items())


# ---------------------------------------------------------------- the workbench


def applications_today(actor: Actor, today: date) -> WorkSection | None:
    """Social assistance applications waiting for the actor's step (one aggregate, one row query)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    queues = queues_for(actor)
    if not queues:
        return None
    counts = queue_counts(actor=actor, today=today)
    home = reverse("portal:welfare:applications")
    labels = {
        "recording": (_("Applications to record"), ""),
        "checking": (_("Economic checks waiting for their result"), "info"),
        "surveying": (_("Home surveys to make"), "warn"),
        "street_review": (_("Applications for the street's review"), "warn"),
        "notice": (_("Applications in their public notice"), "info"),
        "county": (_("Applications for the county's decision"), "warn"),
    }
    items = [
        WorkCount(f"welfare.{q.key}", labels[q.key][0], counts.get(q.key, 0), f"{home}?queue={q.key}", labels[q.key][1])
        for q in queues
    ]
    rows: list[WorkRow] = []
    busiest = [q for q in queues if counts.get(q.key) and q.key != "notice"]
    if busiest:
        queue = busiest[-1]  # the latest step first: the decision waits on it
        for app in queue_filter(application_list(actor=actor), queue, today).order_by("created_at")[:FIRST_ROWS]:
            rows.append(
                WorkRow(
                    title=f"{app.head_name} · {app.number}",
                    detail=str(ApplicationState(app.state).label),
                    url=reverse("portal:welfare:application", args=[app.public_id]),
                )
            )
    return WorkSection("welfare_applications", _("Social assistance applications"), items, rows, more_url=home)
