"""An import whose worker died (`core.services.tasks_recover`): the job goes back to the queue
and the re-run completes, the rows of the dead run counting as unchanged; after the last allowed
attempt it is marked failed with the reason."""

from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from linli.core.services import TASK_ATTEMPTS, tasks_recover
from linli.residents.imports import import_job_run
from linli.residents.models import ImportJob, Resident
from linli.residents.tasks import residents_import_task
from linli.residents.tests.test_import import person, row, write_csv


def _running(job: ImportJob, workers: list[str]) -> DBTaskResult:
    ImportJob.objects.filter(pk=job.pk).update(status="running", rows_done=1)
    return DBTaskResult.objects.create(
        task_path=residents_import_task.module_path,
        args_kwargs={"args": [job.pk], "kwargs": {}},
        backend_name="default",
        run_after=get_date_max(),
        status="RUNNING",
        started_at=timezone.now(),
        worker_ids=workers,
    )


def test_a_job_of_a_dead_worker_is_run_again_and_completes(people, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "imports").mkdir()
    write_csv(tmp_path / "imports" / "j.csv", [row(id_number=person(91))])
    job = ImportJob.objects.create(owner=people["community_worker"], file_name="j.csv", stored_path="imports/j.csv")
    task = _running(job, ["killed"])

    assert tasks_recover(stale_after_seconds=60).startswith("abandoned tasks requeued: 1, failed: 0")
    job.refresh_from_db()
    task.refresh_from_db()
    assert (job.status, job.rows_done, task.status) == ("queued", 0, "READY")
    assert "rows imported before count as unchanged" in job.message

    done = import_job_run(job_id=job.pk)
    assert (done.status, done.created) == ("done", 1)
    assert Resident.objects.count() == 1


def test_after_the_last_attempt_the_job_fails_with_the_reason(people):
    job = ImportJob.objects.create(owner=people["community_worker"], file_name="j.csv", stored_path="imports/j.csv")
    task = _running(job, [f"killed-{n}" for n in range(TASK_ATTEMPTS)])

    assert tasks_recover(stale_after_seconds=60).startswith("abandoned tasks requeued: 0, failed: 1")
    job.refresh_from_db()
    task.refresh_from_db()
    assert (job.status, task.status) == ("failed", "FAILED")
    assert job.message.startswith(f"处理该导入的后台进程中断（已尝试 {TASK_ATTEMPTS} 次）")
    assert job.finished_at is not None
