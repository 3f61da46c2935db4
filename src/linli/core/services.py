"""Writes of the shared kernel: the audit log, job heartbeats, the expiry of idempotency keys and
the recovery of tasks whose worker died."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal
from django.tasks import TaskResultStatus
from django.utils import timezone
from django.utils.module_loading import import_string

from linli.core.actor import Actor
from linli.core.errors import Msg
from linli.core.models import AuditEntry, Heartbeat, IdempotencyKey

SENSITIVE_KEYS = frozenset({"id_number", "phone", "password", "notes", "token", "secret"})


def audit_record(
    *,
    actor: Actor,
    action: str,
    object_type: str = "",
    object_id: str | int | UUID = "",
    org_path: str = "",
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one audit line. Sensitive keys in `details` are refused, not silently stored."""
    details = details or {}
    leaked = SENSITIVE_KEYS.intersection(details)
    if leaked:
        raise ValueError(f"audit details must not carry sensitive values: {sorted(leaked)}")
    _audit_action_check(action)
    return AuditEntry.objects.create(
        at=timezone.now(),
        actor_user_id=actor.user_id,
        actor_name=actor.username or "anonymous",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        org_path=org_path,
        reason=reason[:500],
        client_address=actor.client_address,
        details=details,
    )


def _audit_action_check(action: str) -> None:
    """The test suite names a check (`LINLI_AUDIT_ACTION_CHECK`, the portal's table of action
    names, which sits above every app) so that writing an action the audit page cannot name fails
    the test that wrote it — including codes built at run time, which no source scan sees."""
    check = getattr(settings, "LINLI_AUDIT_ACTION_CHECK", "")
    if check and not import_string(check)(action):
        raise ValueError(f"audit action {action!r} has no name in the audit page's table")


def heartbeat_record(*, name: str, result: str = "") -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"last_run_at": timezone.now(), "last_result": result[:200]})


def sessions_clear() -> str:
    """Periodic job: drop expired sessions."""
    from django.contrib.sessions.models import Session

    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return f"expired sessions removed: {deleted}"


def idempotency_keys_prune() -> str:
    """Periodic job: delete the stored `Idempotency-Key` answers whose 24 hours are over
    (core/idempotency.py treats an expired row as absent, so this only keeps the table small)."""
    deleted, _ = IdempotencyKey.objects.filter(expires_at__lte=timezone.now()).delete()
    return f"expired idempotency keys removed: {deleted}"


# Tasks whose worker died (SIGKILL, out of memory, a lost machine) ------------------------------
#
# The database is the coordinator: each `linli worker` records a heartbeat `worker:<id>` every
# WORKER_BEAT_SECONDS; a task left RUNNING by a worker whose heartbeat is older than the stale
# limit was abandoned. It is run again (tasks take ids and are safe to run twice) until it has
# been tried TASK_ATTEMPTS times, then marked failed with the reason. An app whose task leaves a
# record in "running" (an analysis run, an import job) connects to `task_abandoned` to put the
# record back in the queue, or to mark it failed; it runs in the same transaction as the
# task's own change, so the two never disagree.

WORKER_BEAT_PREFIX = "worker:"
WORKER_BEAT_SECONDS = 10
WORKER_STALE_SECONDS = 60
TASK_ATTEMPTS = 3
DEAD_WORKER_FORGET = timedelta(days=1)

# sender: the task's dotted path; kwargs: args, kwargs (the task's arguments), attempts (how many
# workers have claimed it), final (True: no retry is left). A receiver returns False when the
# task must not run again (it marked its record failed), anything else to allow the retry.
task_abandoned = Signal()


def worker_abandoned_message(attempts: int) -> Msg:
    return Msg(
        f"处理该任务的后台进程中断（已尝试 {attempts} 次），任务未完成",
        f"The worker running this task stopped (tried {attempts} times); the task did not finish",
    )


def worker_beat(worker_id: str) -> None:
    heartbeat_record(name=f"{WORKER_BEAT_PREFIX}{worker_id}", result="alive")


def tasks_recover(*, stale_after_seconds: int = WORKER_STALE_SECONDS, attempts: int = TASK_ATTEMPTS) -> str:
    """Periodic job (and at every worker start): requeue or fail the tasks of dead workers.
    Only the database backend keeps task rows; with the others the table is empty."""
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    beats = Heartbeat.objects.filter(name__startswith=WORKER_BEAT_PREFIX)
    alive = {
        name.removeprefix(WORKER_BEAT_PREFIX)
        for name in beats.filter(last_run_at__gte=now - timedelta(seconds=stale_after_seconds)).values_list(
            "name", flat=True
        )
    }
    requeued = failed = 0
    for pk in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).values_list("pk", flat=True):
        with transaction.atomic():
            task = DBTaskResult.objects.select_for_update().filter(pk=pk, status=TaskResultStatus.RUNNING).first()
            if task is None or (task.worker_ids and task.worker_ids[-1] in alive):
                continue
            if _task_abandon(task, final=len(task.worker_ids) >= attempts):
                requeued += 1
            else:
                failed += 1
    forgotten, _ = beats.filter(last_run_at__lt=now - DEAD_WORKER_FORGET).delete()
    return f"abandoned tasks requeued: {requeued}, failed: {failed}; dead workers forgotten: {forgotten}"


def _task_abandon(task, *, final: bool) -> bool:
    """Requeue `task` (True) or mark it failed with the reason (False), with its app's record."""
    tries = len(task.worker_ids)
    answers = task_abandoned.send(
        sender=task.task_path,
        args=task.args_kwargs.get("args", []),
        kwargs=task.args_kwargs.get("kwargs", {}),
        attempts=tries,
        final=final,
    )
    refusals: list[object] = [answer for _receiver, answer in answers]  # a receiver says False to refuse
    if not final and False not in refusals:
        type(task).objects.filter(pk=task.pk).update(status=TaskResultStatus.READY, started_at=None)
        return True
    type(task).objects.filter(pk=task.pk).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        return_value=None,
        exception_class_path="linli.core.services.WorkerLost",
        traceback=worker_abandoned_message(tries).both(),
    )
    return False
