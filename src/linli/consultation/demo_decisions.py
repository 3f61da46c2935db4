"""Demo data of stage decisions, made through the services. Idempotent: a consultation with its
decision is not published again, tasks are added only to a decision that has none.

In the showcase community "3号楼加装电梯" (counted by `demo_voting`) gets its decision and two
tasks; one is dated back a week so the implementation list and the workbench show an overdue task
(the service refuses a past due date, so that date is set on the row directly — demo only).
Not yet made: a council consultation taken to COMPLETED with evaluations (see the notes)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from linli.accounts.domain import Role
from linli.accounts.selectors import actor_for_user, user_by_username
from linli.consultation.domain.consultations import ConsultationState
from linli.consultation.models import Consultation, Decision, ImplementationTask
from linli.consultation.services.decisions import decision_publish, task_add
from linli.core.errors import DomainError

LIFT = "3号楼加装电梯"
OVERDUE_DAYS = 7


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
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
