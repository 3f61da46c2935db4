"""`linli volunteer-figures`: recompute the stored volunteer figures (registered, active in 12
months, hours served and of registered volunteers, per community and month). Idempotent; run
nightly."""

from django.core.management.base import BaseCommand

from linli.volunteers.services import figures_refresh


class Command(BaseCommand):
    help = "Recompute the stored volunteer figures of the last months."

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=12)

    def handle(self, *args, months: int, **options):
        rows = figures_refresh(months=months)
        self.stdout.write(f"volunteer figures: {rows} rows for {months} months")
