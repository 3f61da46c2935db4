"""Reads of venture projects, scoped by the actor; missing and forbidden are the same 404.

Who sees what:
- a manager (VENTURES_MANAGE) sees the calls run by units in their scope (a district officer the
  district's and its streets' calls), their applications once submitted, and their projects;
- a reviewer (VENTURES_REVIEW) sees the calls they sit on the panel of (from the review on) and
  the submitted applications of those calls;
- an organisation's account (VENTURES_APPLY) sees every published call (calls are public
  announcements) and only its own organisations' applications and projects.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, Substr

from linli.accounts.domain import VENTURES_APPLY, VENTURES_MANAGE, VENTURES_REVIEW
from linli.areas.selectors import unit_names
from linli.core.actor import Actor
from linli.core.errors import not_found
from linli.partners import selectors as partners  # called through the module: one seam for tests
from linli.ventures.domain import (
    ApplicationState,
    CallState,
    Criterion,
    MilestoneState,
    ProjectState,
    mean_total,
    ranking,
    step_label,
    transitions_from,
)
from linli.ventures.models import (
    CallStep,
    Milestone,
    PanelMember,
    Review,
    Spending,
    VentureApplication,
    VentureCall,
    VentureFile,
    VentureProject,
)

PUBLISHED = (CallState.OPEN, CallState.REVIEWING, CallState.DECIDED, CallState.CLOSED)
SEEN_BY_STAFF = (
    ApplicationState.SUBMITTED,
    ApplicationState.WITHDRAWN,
    ApplicationState.FUNDED,
    ApplicationState.REJECTED,
)
REVIEWED_STATES = (ApplicationState.SUBMITTED, ApplicationState.FUNDED, ApplicationState.REJECTED)


# ---- organisations (kept by `partners`) ----------------------------------------------------------


@dataclass(frozen=True)
class Org:
    public_id: UUID
    name: str
    unit_path: str = ""


def org_ids_for(actor: Actor) -> frozenset[UUID]:
    """The organisations an ORGANISER account speaks for (partners keeps who speaks for whom);
    none for anyone else."""
    if not actor.has_perm(VENTURES_APPLY) or actor.user_id is None:
        return frozenset()
    return partners.org_ids_for(actor)


def org_brief(public_id: UUID) -> Org | None:
    brief = partners.social_org_brief(public_id)
    if brief is None:
        return None
    return Org(brief.public_id, brief.name, brief.unit_path)


def org_choices(actor: Actor) -> list[Org]:
    """The organisations this account may apply for."""
    briefs = [org_brief(org_id) for org_id in org_ids_for(actor)]
    return sorted((b for b in briefs if b is not None), key=lambda o: o.name)


# ---- calls ---------------------------------------------------------------------------------------


def may_manage(actor: Actor, call: VentureCall) -> bool:
    return actor.has_perm(VENTURES_MANAGE) and actor.sees_path(call.unit_path)


def _panel_calls(actor: Actor) -> QuerySet:
    return PanelMember.objects.filter(user_id=actor.user_id or 0).values("call_id")


def call_list(*, actor: Actor, state: str = "") -> QuerySet[VentureCall]:
    visible = Q(pk__in=[])
    if actor.has_perm(VENTURES_MANAGE) and actor.scope_paths:
        visible |= actor.scope_q("unit_path")
    if actor.has_perm(VENTURES_REVIEW) and actor.user_id is not None:
        visible |= Q(pk__in=_panel_calls(actor), state__in=PUBLISHED)
    if actor.has_perm(VENTURES_APPLY) and actor.user_id is not None:
        visible |= Q(state__in=PUBLISHED)
    calls = VentureCall.objects.filter(visible)
    if state:
        calls = calls.filter(state=state)
    return calls.order_by("-opens_on", "-pk")


def call_rows(*, actor: Actor, state: str = "") -> QuerySet[VentureCall]:
    """The list page's calls, each with its applications and money granted (one query a page)."""
    return call_list(actor=actor, state=state).annotate(
        submitted=Count("applications", filter=Q(applications__state__in=REVIEWED_STATES)),
        granted_total=Coalesce(
            Sum("applications__granted", filter=Q(applications__state=ApplicationState.FUNDED)), Decimal(0)
        ),
    )


def with_unit_names(calls) -> list[Any]:
    """Each call of a page gains `unit_name` (one query for all)."""
    calls = list(calls)
    names = unit_names({c.unit_path for c in calls})
    for call in calls:
        call.unit_name = names.get(call.unit_path, call.unit_path)
    return calls


def call_get(*, actor: Actor, public_id) -> VentureCall:
    call = call_list(actor=actor).filter(public_id=public_id).first()
    if call is None:
        raise not_found("申报通知", "Venture call")
    return call


def is_panel_member(actor: Actor, call: VentureCall) -> bool:
    return (
        actor.has_perm(VENTURES_REVIEW)
        and actor.user_id is not None
        and PanelMember.objects.filter(call=call, user_id=actor.user_id).exists()
    )


def call_actions(*, actor: Actor, call: VentureCall) -> list[dict[str, Any]]:
    if not may_manage(actor, call):
        return []
    return [
        {"key": t.action, "label": str(t.label), "needs_reason": t.needs_reason} for t in transitions_from(call.state)
    ]


def call_criteria(call: VentureCall) -> list[Criterion]:
    return [Criterion(str(c.pk), c.name, c.weight, c.max_score) for c in call.criteria.all()]


def call_timeline(call: VentureCall) -> list[dict[str, Any]]:
    return [
        {"at": s.at, "label": str(step_label(s.action)), "actor_name": s.actor_name, "note": s.note}
        for s in CallStep.objects.filter(call=call).order_by("at", "pk")
    ]


def budget_granted(call: VentureCall) -> Decimal:
    total = VentureApplication.objects.filter(call=call, state=ApplicationState.FUNDED).aggregate(total=Sum("granted"))[
        "total"
    ]
    return total or Decimal(0)


@dataclass
class RankRow:
    rank: int
    application: VentureApplication
    mean: Decimal | None
    reviews: int
    conflicts: int


def call_ranking(call: VentureCall) -> list[RankRow]:
    """Every reviewed application with its reviewers' mean weighted total and rank (reviewers who
    declared a conflict are left out of the mean). Two queries."""
    applications = {
        str(a.pk): a for a in VentureApplication.objects.filter(call=call, state__in=REVIEWED_STATES).order_by("pk")
    }
    totals: dict[str, list[Decimal]] = defaultdict(list)
    conflicts: dict[str, int] = defaultdict(int)
    for application_id, conflict, total in Review.objects.filter(application__call=call).values_list(
        "application_id", "conflict", "total"
    ):
        key = str(application_id)
        if conflict:
            conflicts[key] += 1
        elif total is not None:
            totals[key].append(total)
    means = {key: mean_total(totals[key]) for key in applications}
    return [
        RankRow(rank, applications[key], mean, len(totals[key]), conflicts[key]) for rank, key, mean in ranking(means)
    ]


# ---- applications --------------------------------------------------------------------------------


def application_list(*, actor: Actor, call: VentureCall | None = None) -> QuerySet[VentureApplication]:
    visible = Q(pk__in=[])
    if actor.has_perm(VENTURES_MANAGE) and actor.scope_paths:
        visible |= Q(actor.scope_q("call__unit_path"), state__in=SEEN_BY_STAFF)
    if actor.has_perm(VENTURES_REVIEW) and actor.user_id is not None:
        visible |= Q(
            call__in=_panel_calls(actor),
            call__state__in=(CallState.REVIEWING, CallState.DECIDED, CallState.CLOSED),
            state__in=REVIEWED_STATES,
        )
    orgs = org_ids_for(actor)
    if orgs:
        visible |= Q(org_id__in=orgs)
    applications = VentureApplication.objects.filter(visible).select_related("call")
    if call is not None:
        applications = applications.filter(call=call)
    return applications.order_by("-created_at", "-pk")


def application_get(*, actor: Actor, public_id) -> VentureApplication:
    application = application_list(actor=actor).filter(public_id=public_id).first()
    if application is None:
        raise not_found("申请", "Application")
    return application


def is_own_application(actor: Actor, application: VentureApplication) -> bool:
    return application.org_id in org_ids_for(actor)


def my_review(actor: Actor, application: VentureApplication) -> Review | None:
    if actor.user_id is None:
        return None
    return (
        Review.objects.filter(application=application, reviewer_id=actor.user_id or 0)
        .prefetch_related("scores")
        .first()
    )


def application_reviews(application: VentureApplication) -> list[Review]:
    return list(Review.objects.filter(application=application).prefetch_related("scores").order_by("pk"))


def to_score(*, actor: Actor) -> QuerySet[VentureApplication]:
    """Submitted applications of calls under review where the actor sits on the panel and has
    neither scored nor declared a conflict."""
    if not actor.has_perm(VENTURES_REVIEW) or actor.user_id is None:
        return VentureApplication.objects.none()
    done = Review.objects.filter(application=OuterRef("pk"), reviewer_id=actor.user_id or 0)
    return (
        VentureApplication.objects.filter(
            call__in=_panel_calls(actor), call__state=CallState.REVIEWING, state=ApplicationState.SUBMITTED
        )
        .filter(~Exists(done))
        .select_related("call")
        .order_by("call__deadline", "pk")
    )


def application_files(application: VentureApplication) -> list[VentureFile]:
    return list(VentureFile.objects.filter(application=application).defer("data").order_by("pk"))


def file_get(*, actor: Actor, public_id) -> VentureFile:
    """A file of an application or a project the actor sees."""
    found = VentureFile.objects.filter(public_id=public_id).first()
    if found is not None:
        if found.application_id is not None and application_list(actor=actor).filter(pk=found.application_id).exists():
            return found
        if found.project_id is not None and project_list(actor=actor).filter(pk=found.project_id).exists():
            return found
    raise not_found("文件", "File")


# ---- projects ------------------------------------------------------------------------------------


def project_list(*, actor: Actor, year: int | None = None) -> QuerySet[VentureProject]:
    visible = Q(pk__in=[])
    if actor.has_perm(VENTURES_MANAGE) and actor.scope_paths:
        visible |= actor.scope_q("unit_path")
    orgs = org_ids_for(actor)
    if orgs:
        visible |= Q(org_id__in=orgs)
    projects = VentureProject.objects.filter(visible).select_related("call")
    if year:
        projects = projects.filter(year=year)
    return projects.order_by("-year", "title", "pk")


def project_get(*, actor: Actor, public_id) -> VentureProject:
    project = project_list(actor=actor).filter(public_id=public_id).first()
    if project is None:
        raise not_found("项目", "Project")
    return project


def may_manage_project(actor: Actor, project: VentureProject) -> bool:
    return actor.has_perm(VENTURES_MANAGE) and actor.sees_path(project.unit_path)


def is_own_project(actor: Actor, project: VentureProject) -> bool:
    return project.org_id in org_ids_for(actor)


def project_milestones(project: VentureProject) -> list[Milestone]:
    return list(Milestone.objects.filter(project=project).order_by("due_on", "position"))


def project_spending(project: VentureProject) -> list[Spending]:
    return list(Spending.objects.filter(project=project).select_related("receipt").order_by("spent_on", "pk"))


def milestones_overdue(*, actor: Actor, today: date) -> QuerySet[Milestone]:
    """Milestones of the actor's projects past due and not yet reported (one reported and
    waiting for acceptance is the manager's to do, not late)."""
    return (
        Milestone.objects.filter(project__in=project_list(actor=actor).filter(state=ProjectState.ACTIVE))
        .filter(due_on__lt=today, state=MilestoneState.PLANNED)
        .select_related("project")
        .order_by("due_on", "pk")
    )


def milestones_due(*, actor: Actor, today: date, days: int = 30) -> QuerySet[Milestone]:
    """An organisation's milestones still to report, due within `days` or already late."""
    from datetime import timedelta

    return (
        Milestone.objects.filter(
            project__in=project_list(actor=actor).filter(state=ProjectState.ACTIVE), state=MilestoneState.PLANNED
        )
        .filter(due_on__lte=today + timedelta(days=days))
        .select_related("project")
        .order_by("due_on", "pk")
    )


def milestones_to_accept(*, actor: Actor) -> QuerySet[Milestone]:
    if not actor.has_perm(VENTURES_MANAGE):
        return Milestone.objects.none()
    return (
        Milestone.objects.filter(
            project__in=actor.scoped(VentureProject.objects.all(), "unit_path"), state=MilestoneState.REPORTED
        )
        .select_related("project")
        .order_by("reported_at", "pk")
    )


def calls_to_decide(*, actor: Actor, today: date) -> QuerySet[VentureCall]:
    """Calls of the manager's area past their deadline and not yet decided."""
    if not actor.has_perm(VENTURES_MANAGE):
        return VentureCall.objects.none()
    return (
        actor.scoped(VentureCall.objects.all(), "unit_path")
        .filter(Q(state=CallState.OPEN, deadline__lt=today) | Q(state=CallState.REVIEWING))
        .order_by("deadline", "pk")
    )


# ---- figures -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureRow:
    district_path: str
    district: str
    year: int
    projects: int
    granted: Decimal
    spent: Decimal
    beneficiaries: int


def figures(*, actor: Actor) -> list[FigureRow]:
    """Projects funded and money granted and spent per district and year, for the actor's
    projects (one query, one for the names)."""
    grouped = (
        project_list(actor=actor)
        .order_by()
        .annotate(district_path=Substr("unit_path", 1, 6))
        .values("district_path", "year")
        .annotate(
            projects=Count("pk"),
            granted=Sum("grant"),
            spent=Sum("spent"),
            beneficiaries=Sum("beneficiaries_served"),
        )
        .order_by("-year", "district_path")
    )
    rows = list(grouped)
    names = unit_names({r["district_path"] for r in rows})
    return [
        FigureRow(
            r["district_path"],
            names.get(r["district_path"], r["district_path"]),
            r["year"],
            r["projects"],
            r["granted"] or Decimal(0),
            r["spent"] or Decimal(0),
            r["beneficiaries"] or 0,
        )
        for r in rows
    ]


def unit_choices(*, actor: Actor) -> list[tuple[str, str]]:
    """(path, name) of the units a manager may run a call for: their area's city, districts and
    streets."""
    if not actor.has_perm(VENTURES_MANAGE):
        return []
    from linli.areas.selectors import units_under

    choices: list[tuple[str, str]] = []
    for root in actor.scope_paths:
        for path, name, _ in units_under(under=root, kinds=("city", "district", "street")):
            if len(path) <= 9:
                choices.append((path, name if len(path) <= len(root) else f"— {name}"))
    return choices
