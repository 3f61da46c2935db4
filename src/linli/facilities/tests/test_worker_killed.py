"""A worker killed in the middle of an analysis (SIGKILL: no clean-up runs): the next worker
finds the run left "running" by a worker that no longer beats, puts it back in the queue and runs
it to the end; after the last allowed attempt the run is marked failed with the reason, its page
says so, and a new run completes."""

import signal

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from linli.core.models import Heartbeat
from linli.core.services import TASK_ATTEMPTS, tasks_recover
from linli.core.tests.worker_site import WorkerSite
from linli.facilities.domain import RunStatus
from linli.facilities.models import AnalysisRun
from linli.facilities.services import RunInput, analysis_start
from linli.facilities.tasks import facility_analysis_task
from linli.testing import empty_append_only_tables


@pytest.fixture
def append_only_emptied(transactional_db):
    yield
    empty_append_only_tables()


def _queue(run: AnalysisRun, **fields) -> DBTaskResult:
    """The row `facility_analysis_task.enqueue(run.pk)` writes with the database backend (the
    test settings run tasks in-process)."""
    return DBTaskResult.objects.create(
        task_path=facility_analysis_task.module_path,
        args_kwargs={"args": [run.pk], "kwargs": {}},
        backend_name="default",
        queue_name="default",
        run_after=get_date_max(),
        **fields,
    )


@pytest.mark.django_db(transaction=True)
def test_a_run_whose_worker_is_killed_is_run_again_to_the_end(town, tmp_path, append_only_emptied):
    run = analysis_start(actor=town["actors"]["planner"], data=RunInput())
    task = _queue(run)
    site = WorkerSite(tmp_path)

    held, _flag = site.start_held_worker()
    held.send_signal(signal.SIGKILL)
    assert held.wait(timeout=30) == -signal.SIGKILL

    site.read_back()
    run.refresh_from_db()
    task.refresh_from_db()
    assert (run.status, run.progress, run.figures) == (RunStatus.RUNNING, 5, {})
    assert task.status == "RUNNING" and len(task.worker_ids) == 1

    # the next worker starts; the killed one's heartbeat is older than the limit
    finished = site.run_worker("--batch", "--stale-after", "0")
    assert finished.returncode == 0, finished.stderr
    assert "requeued: 1, failed: 0" in finished.stdout

    site.read_back()
    run.refresh_from_db()
    task.refresh_from_db()
    assert (run.status, run.progress, run.message) == (RunStatus.DONE, 100, "")
    assert run.figures["residents"] == 10
    assert task.status == "SUCCESSFUL" and len(task.worker_ids) == 2


@pytest.mark.django_db(transaction=True)
def test_after_the_last_attempt_the_run_fails_with_the_reason_and_a_new_run_completes(
    town, client, django_capture_on_commit_callbacks, append_only_emptied
):
    run = analysis_start(actor=town["actors"]["planner"], data=RunInput())
    AnalysisRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, progress=40, stage="coverage")
    dead = [f"gone-{n}" for n in range(TASK_ATTEMPTS)]
    task = _queue(run, status="RUNNING", started_at=timezone.now(), worker_ids=dead)
    alive = _queue(run, status="RUNNING", started_at=timezone.now(), worker_ids=["beating"])
    Heartbeat.objects.create(name="worker:beating", last_run_at=timezone.now())

    assert tasks_recover(stale_after_seconds=60).startswith("abandoned tasks requeued: 0, failed: 1")

    run.refresh_from_db()
    task.refresh_from_db()
    alive.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.figures.keys() == {"error"}
    assert run.message.startswith(f"处理该分析的后台进程中断（已尝试 {TASK_ATTEMPTS} 次）")
    assert task.status == "FAILED" and "The worker running this task stopped" in task.traceback
    assert alive.status == "RUNNING"  # a worker that still beats keeps its task

    client.force_login(town["users"]["planner"])
    page = client.get(f"/staff/facilities/runs/{run.public_id}/").content.decode()
    assert f"已尝试 {TASK_ATTEMPTS} 次" in page

    from linli.facilities.tasks import analysis_queue

    with django_capture_on_commit_callbacks(execute=True):
        again = analysis_queue(actor=town["actors"]["planner"], data=RunInput())
    again.refresh_from_db()
    assert again.status == RunStatus.DONE
