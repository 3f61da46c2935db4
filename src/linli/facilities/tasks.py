"""Task entry points of the facilities app: take ids, re-fetch, call one service."""

from django.db import transaction
from django.tasks import task

from linli.core.actor import Actor
from linli.facilities.services import RunInput, analysis_abandoned, analysis_start, facility_analysis_run


@task()
def facility_analysis_task(run_id: int) -> str:
    """Run a queued analysis; a run that is not queued any more is left alone (safe twice)."""
    run = facility_analysis_run(run_id=run_id)
    return f"{run.status}: {run.progress} %"


def analysis_queue(*, actor: Actor, data: RunInput):
    """Start an analysis: the run is recorded, then the worker picks it up after the commit."""
    with transaction.atomic():
        run = analysis_start(actor=actor, data=data)
        transaction.on_commit(lambda: facility_analysis_task.enqueue(run.pk))
    return run


def analysis_task_abandoned(sender: str, *, args, kwargs, attempts: int, final: bool, **_) -> bool | None:
    """`core.services.task_abandoned` receiver (connected in apps.py): the run of a dead worker."""
    if sender != facility_analysis_task.module_path:
        return None
    run_id = kwargs.get("run_id", args[0] if args else None)
    return analysis_abandoned(run_id=run_id, attempts=attempts, final=final)
