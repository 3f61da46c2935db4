"""`linli worker`: run background tasks from the configured backend.

With the database backend the worker also keeps a heartbeat in the database and, at start and
every minute, hands back the tasks of workers that stopped beating (killed, out of memory, a lost
machine): they are run again a bounded number of times, then marked failed with the reason
(`core.services.tasks_recover`). No other service is needed."""

import logging
import os
import socket
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from linli.core.services import WORKER_BEAT_SECONDS, WORKER_STALE_SECONDS, tasks_recover, worker_beat

logger = logging.getLogger(__name__)
RECOVER_EVERY_BEATS = 6  # a minute


class Command(BaseCommand):
    help = "Run the background task worker (后台任务)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="run the queued tasks, then exit")
        parser.add_argument(
            "--stale-after",
            type=int,
            default=WORKER_STALE_SECONDS,
            help="seconds without a heartbeat after which another worker's running tasks are recovered",
        )

    def handle(self, *args, batch: bool = False, stale_after: int = WORKER_STALE_SECONDS, **options):
        backend = settings.TASKS["default"]["BACKEND"]
        if backend.startswith("django_tasks_db"):
            worker_id = f"{socket.gethostname()}-{os.getpid()}"[:64]
            worker_beat(worker_id)
            self.stdout.write(tasks_recover(stale_after_seconds=stale_after))
            _beat_in_background(worker_id, stale_after)
            call_command("db_worker", queue_name="*", reload=False, worker_id=worker_id, batch=batch)
        elif backend.startswith("django_tasks_rq"):
            call_command("rqworker", "default", with_scheduler=True, burst=batch)
        else:
            raise CommandError(f"任务后端 {backend} 无需 worker (this backend runs tasks in-process)")


def _beat_in_background(worker_id: str, stale_after: int) -> threading.Thread:
    """Beat every WORKER_BEAT_SECONDS on a thread of its own (a long task must not look dead);
    a failed beat (the database restarting) is logged and tried again at the next one."""
    stop = threading.Event()

    def run() -> None:
        beats = 0
        while not stop.wait(WORKER_BEAT_SECONDS):
            beats += 1
            try:
                worker_beat(worker_id)
                if beats % RECOVER_EVERY_BEATS == 0:
                    tasks_recover(stale_after_seconds=stale_after)
            except Exception:
                logger.warning("worker heartbeat failed", exc_info=True)
                connection.close()

    thread = threading.Thread(target=run, name="linli-worker-beat", daemon=True)
    thread.start()
    return thread
