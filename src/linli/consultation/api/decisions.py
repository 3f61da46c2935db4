"""API of stage decisions, under `/api/v1/consultation/`: the decision with its tasks and the
evaluation summary (staff of the area, or the community's residents), publishing it, tasks, their
progress and completion, a participant's evaluation. No answer names a resident or says who
evaluated how."""

import datetime as dt
from uuid import UUID

from django.utils import timezone
from ninja import Field, Router, Schema, Status

from linli.consultation.domain.decisions import TaskState
from linli.consultation.selectors import decisions as sel
from linli.consultation.selectors.voting import voting_consultation_get
from linli.consultation.services import decisions as svc
from linli.core.apitools import ErrorOut

router = Router(tags=["consultation"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class ConsultTaskOut(Schema):
    id: UUID
    what: str
    who: str
    due_on: dt.date
    state: str = Field(description="open or done")
    percent: int
    overdue: bool


class ConsultDecisionOut(Schema):
    id: UUID
    consultation: str = Field(description="the consultation's number")
    state: str = Field(description="the consultation's state")
    option: str | None = Field(description="the option key that carried, null when none did")
    text: str
    decided_on: dt.date
    tasks: list[ConsultTaskOut]
    evaluations: int
    average_rating: float | None
    ratings: dict[int, int] = Field(description="evaluations per rating, 5 (very satisfied) to 1")


class ConsultDecisionIn(Schema):
    text: str = Field(max_length=2000)
    decided_on: dt.date | None = None


class ConsultTaskIn(Schema):
    what: str = Field(max_length=200)
    who: str = Field(max_length=100)
    due_on: dt.date


class ConsultProgressIn(Schema):
    note: str = Field(max_length=500)
    percent: int = Field(ge=0, le=100)


class ConsultEvaluationIn(Schema):
    rating: int = Field(ge=1, le=5, description="5 very satisfied … 1 very dissatisfied")
    comment: str = Field("", max_length=300)


def _out(decision) -> dict:
    summary = sel.evaluation_summary(decision)
    tasks = [_task(t) for t in decision.tasks.all()]
    return {
        "id": decision.public_id,
        "consultation": decision.consultation.number,
        "state": decision.consultation.state,
        "option": decision.option.key if decision.option else None,
        "text": decision.text,
        "decided_on": decision.decided_on,
        "tasks": tasks,
        "evaluations": summary.count,
        "average_rating": summary.average,
        "ratings": summary.by_rating,
    }


def _decision(request, number: str):
    if sel.may_view(request.actor):
        return sel.staff_decision_get(actor=request.actor, number=number)
    return sel.resident_decision_get(actor=request.actor, number=number)


@router.get("/consultations/{number}/decision", response={200: ConsultDecisionOut, **ERRORS})
def decision_get(request, number: str):
    """The decision, its tasks and the evaluation summary (staff of the area; the community's residents)."""
    return _out(_decision(request, number))


@router.post("/consultations/{number}/decision", response={201: ConsultDecisionOut, **ERRORS})
def decision_publish(request, number: str, payload: ConsultDecisionIn):
    """Publish the decision (manage; counted, or a council discussed with minutes): on the board at once."""
    consultation = voting_consultation_get(actor=request.actor, number=number)
    decision = svc.decision_publish(
        actor=request.actor, consultation=consultation, text=payload.text, decided_on=payload.decided_on
    )
    return Status(201, _out(decision))


@router.post("/consultations/{number}/decision/tasks", response={201: ConsultTaskOut, **ERRORS})
def task_create(request, number: str, payload: ConsultTaskIn):
    """Add an implementation task (manage); the first one starts the implementation."""
    decision = sel.staff_decision_get(actor=request.actor, number=number)
    task = svc.task_add(
        actor=request.actor, decision=decision, what=payload.what, who=payload.who, due_on=payload.due_on
    )
    return Status(201, {**payload.dict(), "id": task.public_id, "state": task.state, "percent": 0, "overdue": False})


@router.post("/decision-tasks/{task_id}/progress", response={200: ConsultTaskOut, **ERRORS})
def task_progress(request, task_id: UUID, payload: ConsultProgressIn):
    """Record progress on a task (manage): forward only, at most 100."""
    task = sel.staff_task_get(actor=request.actor, public_id=task_id)
    svc.task_progress(actor=request.actor, task=task, note=payload.note, percent=payload.percent)
    return _task(task)


@router.post("/decision-tasks/{task_id}/done", response={200: ConsultTaskOut, **ERRORS})
def task_done(request, task_id: UUID):
    """Mark a task done (manage); the last one puts the result on the board and opens the evaluation."""
    task = sel.staff_task_get(actor=request.actor, public_id=task_id)
    return _task(svc.task_done(actor=request.actor, task=task))


def _task(task) -> dict:
    today = timezone.localdate()
    return {
        "id": task.public_id,
        "what": task.what,
        "who": task.who,
        "due_on": task.due_on,
        "state": task.state,
        "percent": task.percent,
        "overdue": task.state == TaskState.OPEN and task.due_on < today,
    }


@router.post("/consultations/{number}/decision/evaluations", response={201: None, **ERRORS})
def decision_evaluate(request, number: str, payload: ConsultEvaluationIn):
    """Evaluate the outcome (a participant, once, while the evaluation is open)."""
    decision = sel.resident_decision_get(actor=request.actor, number=number)
    svc.decision_evaluate(actor=request.actor, decision=decision, rating=payload.rating, comment=payload.comment)
    return Status(201, None)
