"""Task entry points of the resident pool: take ids, re-fetch, call one service."""

from django.tasks import task

from linli.residents.imports import import_job_abandoned, import_job_run


@task()
def residents_import_task(job_id: int) -> str:
    """Run an uploaded import as the job's owner (their current scope applies). A job that is not
    queued any more (already run, or running elsewhere) is left alone, so running twice is safe."""
    job = import_job_run(job_id=job_id)
    return f"{job.status}: {job.created} created, {job.updated} updated, {job.rejected} rejected"


def import_task_abandoned(sender: str, *, args, kwargs, attempts: int, final: bool, **_) -> bool | None:
    """`core.services.task_abandoned` receiver (connected in apps.py): the job of a dead worker."""
    if sender != residents_import_task.module_path:
        return None
    job_id = kwargs.get("job_id", args[0] if args else None)
    return import_job_abandoned(job_id=job_id, attempts=attempts, final=final)
