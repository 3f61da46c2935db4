"""Demo data of stage decisions, made through the services. Idempotent: a consultation with its
decision is not published again, tasks are added only to a decision that has none.

In the showcase community "3号楼加装电梯" (counted by `demo_voting`) gets its decision and two
tasks; one is dated back a week so the implementation list and the workbench show an overdue task
(the service refuses a past due date, so that date is set on the row directly — demo only).

So that every state shows, the showcase also gets a residents' council (no vote) carried all the
way to COMPLETED with the demo resident's evaluation and a vote closed early without a quorum
(COUNTED); another community one DECIDED and one CANCELLED with its reason."""

from __future__ import annotations

import contextlib
from datetime import timedelta

from django.utils import timezone

from linli.accounts.domain import Role
from linli.accounts.selectors import actor_for_user, user_by_username
from linli.areas.selectors import units_under
from linli.consultation.demo_consultations import committee_actor
from linli.consultation.domain.consultations import ConsultationForm, ConsultationState, ParticipantScope
from linli.consultation.models import Consultation, Decision, ImplementationTask
from linli.consultation.services.consultations import (
    ConsultationInput,
    consultation_cancel,
    consultation_create,
    consultation_open,
    meeting_minutes,
    meeting_schedule,
)
from linli.consultation.services.decisions import (
    consultation_complete,
    decision_evaluate,
    decision_publish,
    task_add,
    task_done,
)
from linli.consultation.services.voting import voting_close, voting_open
from linli.core.actor import Actor
from linli.core.errors import DomainError

LIFT = "3号楼加装电梯"
OVERDUE_DAYS = 7


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
    _lift(showcase_path, log)
    try:
        _council_completed(showcase_path[:12], log)
        others = [
            p for p, _name, _kind in units_under(under=city_path, kinds=("community",)) if p != showcase_path[:12]
        ]
        _counted(showcase_path[:12], log)  # a vote needs adults in the pool: the showcase has them
        if others:
            _other_states(others[0], log)
    except DomainError as error:
        log(f"  decisions: lifecycle demo stopped ({error})")


def _lift(showcase_path: str, log) -> None:
    user = user_by_username(f"demo_{Role.COMMUNITY_WORKER}")
    worker = actor_for_user(user) if user is not None else None
    found = Consultation.objects.filter(path=showcase_path[:12], title=LIFT).order_by("pk").first()
    if worker is None or found is None:
        return
    try:
        decision = Decision.objects.filter(consultation=found).first()
        if decision is None and found.state == ConsultationState.COUNTED:
            decision = decision_publish(
                actor=worker, consultation=found, text="由社区协调业主委员会、物业公司按方案推进3号楼加装电梯。"
            )
        if decision is None or decision.tasks.exists():
            return
        today = timezone.localdate()
        task_add(actor=worker, decision=decision, what="征求3号楼各单元业主书面意见", who="社区居委会", due_on=today)
        task_add(
            actor=worker,
            decision=decision,
            what="委托设计单位出具加装方案",
            who="物业公司",
            due_on=today + timedelta(days=30),
        )
        # an overdue task for the showcase (the service only takes dates from today on)
        ImplementationTask.objects.filter(decision=decision, due_on=today).update(
            due_on=today - timedelta(days=OVERDUE_DAYS)
        )
        log(f"  decisions: {LIFT} being carried out, 2 tasks")
    except DomainError as error:
        log(f"  decisions: {LIFT} not decided ({error.message.both()})")


COUNCIL = "楼道杂物清理与消防通道畅通"
COUNTED, DECIDED, CANCELLED = "小区东门夜间开放时间", "健身器材更新选址", "周末跳蚤市场"


def _council(worker: Actor, path: str, title: str, question: str) -> Consultation:
    """A residents' council (no vote) held yesterday with its minutes: ready for a decision."""
    c = consultation_create(
        actor=worker,
        data=ConsultationInput(
            path=path,
            title=title,
            question=question,
            form=ConsultationForm.COUNCIL,
            scope_kind=ParticipantScope.COMMUNITY,
            scope_path=path,
        ),
    )
    consultation_open(actor=worker, public_id=c.public_id)
    meeting = meeting_schedule(
        actor=worker, public_id=c.public_id, starts_at=timezone.now() - timedelta(days=1), place="社区议事厅"
    )
    meeting_minutes(
        actor=worker, meeting_id=meeting.public_id, minutes="到会居民代表、物业公司、业委会逐项议定，形成一致意见。"
    )
    c.refresh_from_db()
    return c


def _council_completed(path: str, log) -> None:
    if Consultation.objects.filter(path=path, title=COUNCIL).exists():
        return
    worker = committee_actor(path)
    c = _council(worker, path, COUNCIL, "楼道堆物影响消防通道，如何清理、由谁长期维护？")
    decision = decision_publish(actor=worker, consultation=c, text="物业公司每月清理一次楼道堆物，楼长每周巡查。")
    task = task_add(
        actor=worker, decision=decision, what="全面清理各楼道堆物", who="物业公司", due_on=timezone.localdate()
    )
    task_done(actor=worker, task=task, note="已清理 12 个楼道，张贴提示。")
    resident = user_by_username(f"demo_{Role.RESIDENT}")
    voter = actor_for_user(resident) if resident is not None else None
    if voter is not None:
        # no evaluation when the demo resident does not live in the showcase's pool
        with contextlib.suppress(DomainError):
            decision_evaluate(actor=voter, decision=decision, rating=5, comment="楼道干净了，走路安心。")
    consultation_complete(actor=worker, consultation=c)
    log(f"  decisions: {COUNCIL} completed")


def _counted(path: str, log) -> None:
    """A vote closed early without a quorum: counted, waiting for its decision."""
    worker = committee_actor(path)
    if not Consultation.objects.filter(path=path, title=COUNTED).exists():
        c = consultation_create(
            actor=worker,
            data=ConsultationInput(
                path=path,
                title=COUNTED,
                question="东门夜间是否开放到 23 点？",
                form=ConsultationForm.ONLINE,
                scope_kind=ParticipantScope.COMMUNITY,
                scope_path=path,
                options=["开放到 23 点", "维持 21 点关闭"],
            ),
        )
        consultation_open(actor=worker, public_id=c.public_id)
        voting_open(actor=worker, consultation=c, voting_until=timezone.now() + timedelta(days=3))
        c.refresh_from_db()
        voting_close(actor=worker, consultation=c, reason="业委会换届，提前结束本轮投票")
        log(f"  decisions: {COUNTED} counted")


def _other_states(path: str, log) -> None:
    """In another community: one decided, one cancelled with a reason."""
    worker = committee_actor(path)
    if not Consultation.objects.filter(path=path, title=DECIDED).exists():
        c = _council(worker, path, DECIDED, "新到的健身器材放在哪里？")
        decision_publish(actor=worker, consultation=c, text="健身器材安装在小区中心广场北侧。")
    if not Consultation.objects.filter(path=path, title=CANCELLED).exists():
        c = consultation_create(
            actor=worker,
            data=ConsultationInput(
                path=path,
                title=CANCELLED,
                question="是否每月举办一次跳蚤市场？",
                form=ConsultationForm.MEETING,
                scope_kind=ParticipantScope.COMMUNITY,
                scope_path=path,
            ),
        )
        consultation_open(actor=worker, public_id=c.public_id)
        consultation_cancel(actor=worker, public_id=c.public_id, reason="街道统一组织，社区不再单独协商")
    log(f"  decisions: decided and cancelled consultations in {path}")
