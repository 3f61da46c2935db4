"""Reads of stage decisions, scoped (`selectors.scope`): one 404 for missing and forbidden. The
public page needs no actor; it shows the decision, the tasks and the evaluation summary — never a
resident's name, and never who evaluated how."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, Max, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.domain import CONSULT_MANAGE, CONSULT_TAKE_PART, CONSULT_VIEW
from linli.consultation.domain.consultations import ConsultationState
from linli.consultation.domain.decisions import RATINGS, TaskState
from linli.consultation.models import Consultation, Decision, Evaluation, ImplementationTask, TaskProgress
from linli.consultation.selectors.scope import area_q, home_community
from linli.core.actor import Actor
from linli.core.errors import not_found
from linli.core.workbench import FIRST_ROWS, WorkCount, WorkRow, WorkSection

LIST_LIMIT = 200
CARRYING_OUT = (ConsultationState.DECIDED, ConsultationState.IMPLEMENTING)


def outcome_words(consultation: Consultation) -> str:
    """What the vote (or the meeting) came to, in one sentence (the decision always starts with it)."""
    result = consultation.result or {}
    if not result:
        return "经协商会议讨论（见会议纪要），形成以下决定。"
    cast, roll = result.get("cast", 0), result.get("roll_size", 0)
    if not result.get("quorum_met"):
        return f"表决未达到规定的参与人数（投票 {cast} / 名册 {roll}），没有选项获得通过。"
    winner = result.get("winner")
    label = consultation.options.filter(key=winner).values_list("label", flat=True).first() if winner else None
    if label is None:
        return f"没有选项获得规定的多数（投票 {cast} / 名册 {roll}），未获通过。"
    return f"表决结果：“{label}”获得通过（投票 {cast} / 名册 {roll}）。"


def decidable(consultation: Consultation) -> bool:
    """Counted, or — with nothing to vote on — discussed at a meeting whose minutes are written."""
    if consultation.state == ConsultationState.COUNTED:
        return True
    return (
        consultation.state == ConsultationState.DISCUSSING
        and not consultation.options.exists()
        and consultation.meetings.exclude(minutes="").exists()
    )


def decision_of(consultation: Consultation) -> Decision | None:
    return Decision.objects.filter(consultation=consultation).first()


def _overdue(today: dt.date) -> ExpressionWrapper:
    return ExpressionWrapper(Q(state=TaskState.OPEN, due_on__lt=today), output_field=BooleanField())


def task_rows(decision: Decision, today: dt.date) -> list[ImplementationTask]:
    """The tasks with their progress, open ones past their due date marked `overdue` (two queries)."""
    return list(
        decision.tasks.annotate(overdue=_overdue(today)).prefetch_related(
            Prefetch("progress", queryset=TaskProgress.objects.order_by("at", "pk"))
        )
    )


def last_done_on(decision: Decision) -> dt.date | None:
    """The day the last task was done, None while any is open (or there is none)."""
    row = decision.tasks.aggregate(open=Count("pk", filter=Q(state=TaskState.OPEN)), last=Max("done_at"), n=Count("pk"))
    if not row["n"] or row["open"] or row["last"] is None:
        return None
    return timezone.localdate(row["last"])


@dataclass
class EvaluationSummary:
    count: int
    average: float | None
    by_rating: dict[int, int]  # 5 … 1


def evaluation_summary(decision: Decision) -> EvaluationSummary:
    """How many evaluated and how, in one aggregate (no names, no comments' authors)."""
    row = Evaluation.objects.filter(decision=decision).aggregate(
        n=Count("pk"), **{f"r{r}": Count("pk", filter=Q(rating=r)) for r in RATINGS}
    )
    total = sum(r * row[f"r{r}"] for r in RATINGS)
    average = round(total / row["n"], 1) if row["n"] else None
    return EvaluationSummary(row["n"], average, {r: row[f"r{r}"] for r in reversed(RATINGS)})


def my_evaluation(actor: Actor, decision: Decision) -> Evaluation | None:
    if actor.user_id is None:
        return None
    return Evaluation.objects.filter(decision=decision, user_id=actor.user_id).first()


def may_view(actor: Actor) -> bool:
    return actor.has_perm(CONSULT_VIEW) or actor.has_perm(CONSULT_MANAGE)


def staff_task_get(*, actor: Actor, public_id) -> ImplementationTask:
    found = (
        ImplementationTask.objects.select_related("decision__consultation")
        .filter(area_q(actor, "decision__consultation__path"), public_id=public_id)
        .first()
        if may_view(actor)
        else None
    )
    if found is None:
        raise not_found("任务", "Task")
    return found


def staff_decision_get(*, actor: Actor, number: str) -> Decision:
    found = (
        Decision.objects.select_related("consultation", "option")
        .filter(area_q(actor, "consultation__path"), consultation__number=number)
        .first()
        if may_view(actor)
        else None
    )
    if found is None:
        raise not_found("协商决定", "Decision")
    return found


def resident_decision_get(*, actor: Actor, number: str) -> Decision:
    community = home_community(actor) if actor.has_perm(CONSULT_TAKE_PART) else ""
    found = (
        Decision.objects.select_related("consultation", "option")
        .filter(consultation__path=community, consultation__number=number)
        .first()
        if community
        else None
    )
    if found is None:
        raise not_found("协商决定", "Decision")
    return found


def public_decision_get(public_id) -> Decision:
    """A published decision for anyone (a cancelled consultation never has one)."""
    found = Decision.objects.select_related("consultation", "option").filter(public_id=public_id).first()
    if found is None:
        raise not_found("协商决定", "Decision")
    return found


def implementation_tasks(actor: Actor, today: dt.date) -> QuerySet[ImplementationTask]:
    """Open and done tasks of decisions being carried out in the actor's area, soonest due first."""
    if not may_view(actor):
        return ImplementationTask.objects.none()
    return (
        ImplementationTask.objects.filter(
            area_q(actor, "decision__consultation__path"), decision__consultation__state__in=CARRYING_OUT
        )
        .select_related("decision__consultation")
        .annotate(overdue=_overdue(today))
        .order_by("state", "due_on", "pk")[:LIST_LIMIT]
    )


def community_decisions(actor: Actor) -> list[Decision]:
    """Decisions being carried out in the resident's own community (the tile on their page)."""
    community = home_community(actor) if actor.has_perm(CONSULT_TAKE_PART) else ""
    if not community:
        return []
    return list(
        Decision.objects.filter(consultation__path=community, consultation__state__in=CARRYING_OUT)
        .select_related("consultation")
        .order_by("-published_at")[:5]
    )


def decisions_today(actor: Actor, today: dt.date) -> WorkSection | None:
    """Overdue implementation tasks, and decisions whose tasks are all done, ready to complete:
    counts in one aggregate query, one query for the first rows; nothing with nothing to do."""
    if not actor.has_perm(CONSULT_MANAGE):
        return None
    tasks = ImplementationTask.objects.filter(decision__consultation=OuterRef("pk"), state=TaskState.OPEN)
    annotated = Consultation.objects.filter(area_q(actor), state=ConsultationState.IMPLEMENTING).annotate(
        is_late=Exists(tasks.filter(due_on__lt=today)), is_busy=Exists(tasks)
    )
    counted = annotated.aggregate(late=Count("pk", filter=Q(is_late=True)), ready=Count("pk", filter=Q(is_busy=False)))
    if not (counted["late"] or counted["ready"]):
        return None
    rows = [
        WorkRow(
            c.title,
            c.number,
            reverse("portal:consultation:decisions-detail", args=[c.number]),
            tone="warn" if c.is_late else "",
        )
        for c in annotated.filter(Q(is_late=True) | Q(is_busy=False)).order_by("-is_late", "updated_at")[:FIRST_ROWS]
    ]
    base = reverse("portal:consultation:decisions-implementation")
    counts = [
        WorkCount("decisions.overdue", _("Consultations with overdue tasks"), counted["late"], base, "warn"),
        WorkCount("decisions.ready", _("Decisions carried out, ready to complete"), counted["ready"], base),
    ]
    return WorkSection(
        "consultation_decisions", _("Implementation of decisions"), [c for c in counts if c.count], rows, ""
    )
