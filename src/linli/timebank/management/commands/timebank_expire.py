"""`linli timebank_expire`: apply the city's expiry rule now (the same job `linli tick` runs,
`linli.timebank.services.expiry_run`). Idempotent: run it twice and the second expires nothing."""

from django.core.management.base import BaseCommand

from linli.timebank.services import expiry_run


class Command(BaseCommand):
    help = "Expire unspent time-bank minutes under the city's rule (idempotent)."

    def handle(self, *args, **options):
        self.stdout.write(expiry_run())
