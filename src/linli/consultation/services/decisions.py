"""Writes of stage decisions: one transaction each, checked, audited.

A consultation that was counted (or, with no options, discussed at a meeting with minutes) gets its
decision published on the community's public board in the same transaction (DECIDED); the first
implementation task moves it to IMPLEMENTING; when every task is done the result goes on the board
and the participants may evaluate; staff then complete it (COMPLETED) and its topic concludes."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from linli.accounts.domain import CONSULT_MANAGE, CONSULT_TAKE_PART
from linli.consultation.domain.board import NoticeKind
from linli.consultation.domain.consultations import ConsultationState
from linli.consultation.domain.decisions import RATINGS, TaskState, evaluation_open, progress_allowed
from linli.consultation.domain.topics import TopicState
from linli.consultation.models import (
    Consultation,
    Decision,
    Evaluation,
    ImplementationTask,
    TaskProgress,
)
from linli.consultation.selectors.decisions import decidable, last_done_on, outcome_words
from linli.consultation.services.board import NoticeInput, notice_publish
from linli.consultation.services.common import audit, consultation_step, topic_follow
from linli.core.actor import Actor
from linli.core.errors import Msg, conflict, field_error, not_found, permission_denied, validation_failed
from linli.residents.selectors import voter_for_user

OBJECT = "consultation"
TEXT_MAX = 2000
WHAT_MAX = 200
WHO_MAX = 100
NOTE_MAX = 500
COMMENT_MAX = 300


def _manager(actor: Actor, consultation: Consultation) -> None:
    """Runs this consultation: manages deliberation and sees its community (else one 404)."""
    if not actor.sees_path(consultation.path):
        raise not_found("协商", "Consultation")
    if not actor.has_perm(CONSULT_MANAGE):
        raise permission_denied()


def _move(actor: Actor, consultation: Consultation, to_state: str, action: str, note: str = "") -> None:
    """The consultation (locked by the caller) to its next state, with its timeline row."""
    from_state = consultation.state
    consultation.state, consultation.updated_at = to_state, timezone.now()
    consultation.save(update_fields=["state", "updated_at"])
    consultation_step(actor, consultation, action, from_state, note, at=consultation.updated_at)


# ---- the decision ---------------------------------------------------------------------------------


def decision_publish(
    *, actor: Actor, consultation: Consultation, text: str, decided_on: dt.date | None = None
) -> Decision:
    """The decision: the tally's winner as its option (none when nothing carried or the quorum
    failed — the text then starts by saying so), on the public board in the same transaction."""
    _manager(actor, consultation)
    today = timezone.localdate()
    day = decided_on or today
    body = text.strip()
    problems = []
    if not body:
        problems.append(field_error("text", "请填写决定内容", "The decision's text is required"))
    elif len(body) > TEXT_MAX:
        problems.append(field_error("text", f"决定内容不超过 {TEXT_MAX} 字", f"At most {TEXT_MAX} characters"))
    if day > today:
        problems.append(field_error("decided_on", "决定日期不能晚于今天", "The decision date cannot be in the future"))
    if problems:
        raise validation_failed(problems)
    with transaction.atomic():
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if not decidable(locked) or Decision.objects.filter(consultation=locked).exists():
            raise conflict(Msg("这项协商现在不能公布决定", "A decision cannot be published for this consultation now"))
        outcome = outcome_words(locked)
        if not body.startswith(outcome):
            body = f"{outcome}\n{body}"  # what the vote came to is always said first
        winner = (locked.result or {}).get("winner") if (locked.result or {}).get("quorum_met") else None
        decision = Decision.objects.create(
            consultation=locked,
            option=locked.options.filter(key=winner).first() if winner else None,
            text=body,
            decided_on=day,
            published_at=timezone.now(),
            published_by_id=actor.user_id,
        )
        _move(actor, locked, ConsultationState.DECIDED, "decision_publish")
        notice_publish(
            actor=actor,
            data=NoticeInput(
                path=locked.path,
                kind=NoticeKind.DECISION,
                title=f"协商决定：{locked.title}"[:100],
                body=body,
                source_type="decision",
                source_ref=str(decision.public_id),
            ),
        )
        audit(actor, "decision_publish", "consultation_decision", decision.public_id, locked.path)
    return decision


# ---- implementation tasks -----------------------------------------------------------------------


def task_add(*, actor: Actor, decision: Decision, what: str, who: str, due_on: dt.date | None) -> ImplementationTask:
    """Who does what by when; the first task starts the implementation (DECIDED → IMPLEMENTING)."""
    consultation = decision.consultation
    _manager(actor, consultation)
    what, who = what.strip(), who.strip()
    problems = []
    if not what or len(what) > WHAT_MAX:
        problems.append(field_error("what", f"请填写任务内容（不超过 {WHAT_MAX} 字）", "Say what is to be done"))
    if not who or len(who) > WHO_MAX:
        problems.append(field_error("who", f"请填写责任人或单位（不超过 {WHO_MAX} 字）", "Say who does it"))
    if due_on is None:
        problems.append(field_error("due_on", "请填写完成期限", "A due date is required"))
    elif due_on < timezone.localdate():
        problems.append(field_error("due_on", "完成期限不能早于今天", "The due date cannot be in the past"))
    if problems:
        raise validation_failed(problems)
    assert due_on is not None  # refused above; for the type checker
    with transaction.atomic():
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if locked.state not in (ConsultationState.DECIDED, ConsultationState.IMPLEMENTING):
            raise conflict(Msg("这项协商已办结，不能再添加任务", "Tasks can only be added before completion"))
        task = ImplementationTask.objects.create(
            decision=decision, what=what, who=who, due_on=due_on, created_at=timezone.now()
        )
        if locked.state == ConsultationState.DECIDED:
            _move(actor, locked, ConsultationState.IMPLEMENTING, "task_save")
        audit(actor, "task_save", "consultation_task", task.public_id, locked.path, due_on=str(due_on))
    return task


def task_progress(*, actor: Actor, task: ImplementationTask, note: str, percent: int) -> TaskProgress:
    """A progress update: a note and how far along (never backwards, never beyond 100%)."""
    path = task.decision.consultation.path
    _manager(actor, task.decision.consultation)
    note = note.strip()
    problems = []
    if not note or len(note) > NOTE_MAX:
        problems.append(field_error("note", f"请填写进展情况（不超过 {NOTE_MAX} 字）", "Say what was done"))
    if problems:
        raise validation_failed(problems)
    with transaction.atomic():
        locked = ImplementationTask.objects.select_for_update().get(pk=task.pk)
        if locked.state != TaskState.OPEN:
            raise conflict(Msg("任务已完成", "This task is done already"))
        if not progress_allowed(locked.percent, percent):
            raise validation_failed(
                [
                    field_error(
                        "percent",
                        f"进度应在 {locked.percent}% 到 100% 之间",
                        f"Progress must be between {locked.percent}% and 100%",
                    )
                ]
            )
        now = timezone.now()
        row = TaskProgress.objects.create(
            task=locked, note=note, percent=percent, by_id=actor.user_id, by_name=actor.shown_name, at=now
        )
        ImplementationTask.objects.filter(pk=locked.pk).update(percent=percent)
        audit(actor, "task_progress", "consultation_task", locked.public_id, path, percent=percent)
    task.percent = percent
    return row


def task_done(*, actor: Actor, task: ImplementationTask, note: str = "") -> ImplementationTask:
    """The task done (100%); the last one done puts the result on the public board, which opens
    the participants' evaluation."""
    consultation = task.decision.consultation
    _manager(actor, consultation)
    with transaction.atomic():
        locked_c = Consultation.objects.select_for_update().get(pk=consultation.pk)
        now = timezone.now()
        taken = ImplementationTask.objects.filter(pk=task.pk, state=TaskState.OPEN).update(
            state=TaskState.DONE, percent=100, done_at=now
        )
        if not taken:
            raise conflict(Msg("任务已完成", "This task is done already"))
        TaskProgress.objects.create(
            task_id=task.pk,
            note=note.strip()[:NOTE_MAX] or "任务完成",
            percent=100,
            by_id=actor.user_id,
            by_name=actor.shown_name,
            at=now,
        )
        audit(actor, "task_done", "consultation_task", task.public_id, locked_c.path)
        decision = task.decision
        if not decision.tasks.filter(state=TaskState.OPEN).exists():
            _publish_result(actor, locked_c, decision)
    task.refresh_from_db()
    return task


def _publish_result(actor: Actor, consultation: Consultation, decision: Decision) -> None:
    lines = [f"{t.what}（{t.who}）：已完成" for t in decision.tasks.all()]
    notice_publish(
        actor=actor,
        data=NoticeInput(
            path=consultation.path,
            kind=NoticeKind.RESULT,
            title=f"实施结果：{consultation.title}"[:100],
            body="\n".join([decision.text, "", "落实情况：", *lines]),
            source_type="decision",
            source_ref=str(decision.public_id),
        ),
    )


# ---- evaluation and completion --------------------------------------------------------------------


def decision_evaluate(*, actor: Actor, decision: Decision, rating: int, comment: str = "") -> Evaluation:
    """A participant (a resident living under the consultation's scope) rates the outcome once,
    while the evaluation is open; the unique constraint decides a second try."""
    consultation = decision.consultation
    user_id = actor.user_id
    voter = voter_for_user(user_id) if actor.has_perm(CONSULT_TAKE_PART) else None
    if user_id is None or voter is None or not voter.path.startswith(consultation.scope_path):
        raise not_found("协商决定", "Decision")
    comment = comment.strip()
    problems = []
    if rating not in RATINGS:
        problems.append(field_error("rating", "请选择满意程度", "Choose how satisfied you are"))
    if len(comment) > COMMENT_MAX:
        problems.append(field_error("comment", f"意见不超过 {COMMENT_MAX} 字", f"At most {COMMENT_MAX} characters"))
    if problems:
        raise validation_failed(problems)
    if not evaluation_open(last_done_on(decision), timezone.localdate()):
        raise conflict(Msg("现在不在评价期内", "Evaluation is not open now"))
    try:
        with transaction.atomic():
            row = Evaluation.objects.create(
                decision=decision, user_id=user_id, rating=rating, comment=comment, at=timezone.now()
            )
            audit(actor, "decision_evaluate", "consultation_decision", decision.public_id, consultation.path)
    except IntegrityError as error:
        raise conflict(Msg("您已经评价过了", "You have evaluated this already")) from error
    return row


def consultation_complete(*, actor: Actor, consultation: Consultation) -> Consultation:
    """IMPLEMENTING → COMPLETED once every task is done; the topic concludes with it."""
    _manager(actor, consultation)
    with transaction.atomic():
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
        decision = Decision.objects.filter(consultation=locked).first()
        if (
            locked.state != ConsultationState.IMPLEMENTING
            or decision is None
            or decision.tasks.filter(state=TaskState.OPEN).exists()
        ):
            raise conflict(Msg("所有任务完成后才能办结", "The consultation can be completed once every task is done"))
        _move(actor, locked, ConsultationState.COMPLETED, "consultation_complete")
        Decision.objects.filter(pk=decision.pk).update(completed_at=locked.updated_at)
        topic_follow(actor, locked.topic_id, TopicState.CONCLUDED)
        audit(actor, "consultation_complete", OBJECT, locked.public_id, locked.path)
    return locked
