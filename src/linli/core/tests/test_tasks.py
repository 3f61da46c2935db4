"""Background work: the immediate backend in tests, the database worker as in the demo."""

from django.core.management import call_command
from django.test import override_settings

from linli.core.models import Heartbeat
from linli.core.tasks import worker_probe

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_immediate_backend_runs_at_once(db):
    result = worker_probe.enqueue("immediate")
    assert result.return_value == "ok"
    assert Heartbeat.objects.filter(name="immediate").exists()


def test_database_worker_runs_queued_tasks(transactional_db):  # the worker closes its connection
    with override_settings(TASKS=DATABASE_BACKEND):
        result = worker_probe.enqueue("queued")
        assert not Heartbeat.objects.filter(name="queued").exists()
        call_command("db_worker", batch=True, queue_name="*", reload=False, verbosity=0)
        assert Heartbeat.objects.filter(name="queued").exists()
        result.refresh()
        assert result.status == "SUCCESSFUL"


def test_tick_runs_every_periodic_job_and_records_it(db, settings):
    call_command("tick", verbosity=0)
    expected = {dotted.rsplit(".", 1)[-1] for dotted in settings.LINLI_TICK_JOBS}
    assert "tokens_prune" in expected
    assert set(Heartbeat.objects.values_list("name", flat=True)) == expected
