"""`linli tick`: run the periodic jobs once. Idempotent; cron or the demo calls it every minute."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from linli.core.services import heartbeat_record


class Command(BaseCommand):
    help = "Run periodic jobs once (定时任务)."

    def handle(self, *args, verbosity: int = 1, **options):
        for dotted in settings.LINLI_TICK_JOBS:
            job = import_string(dotted)
            result = job() or "ok"
            heartbeat_record(name=dotted.rsplit(".", 1)[-1], result=str(result))
            if verbosity:
                self.stdout.write(f"{dotted}: {result}")
