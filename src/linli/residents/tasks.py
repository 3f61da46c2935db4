"""Task entry points of the resident pool: take ids, re-fetch, call one service."""

from django.tasks import task

from linli.residents.imports import import_job_run


@task()
def residents_import_task(job_id: int) -> str:
    """Run an uploaded import as the job's owner (their current scope applies). A job that is not
    queued any more (already run, or running elsewhere) is left alone, so running twice is safe."""
    job = import_job_run(job_id=job_id)
    return f"{job.status}: {job.created} created, {job.updated} updated, {job.rejected} rejected"
