"""`linli worker`: run background tasks from the configured backend."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run the background task worker (后台任务)."

    def handle(self, *args, **options):
        backend = settings.TASKS["default"]["BACKEND"]
        if backend.startswith("django_tasks_db"):
            call_command("db_worker", queue_name="*", reload=False)
        elif backend.startswith("django_tasks_rq"):
            call_command("rqworker", "default", with_scheduler=True)
        else:
            raise CommandError(f"任务后端 {backend} 无需 worker (this backend runs tasks in-process)")
