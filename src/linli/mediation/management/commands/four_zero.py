"""`linli four_zero [--month YYYY-MM] [--under PATH]`: recompute and store the four-zero status
(四零社区) of every community for a month (the current one by default). Idempotent: a second run
stores the same marks (only the computing time changes). The periodic `linli tick` keeps the open
month fresh; run this for a closed month after late records or a changed definition."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from linli.core.actor import Actor
from linli.core.errors import DomainError
from linli.mediation.domain.four_zero import month_parse, month_start
from linli.mediation.selectors.safety import district_paths
from linli.mediation.services.safety import four_zero_recompute

SYSTEM = Actor.system("four_zero", permissions=frozenset({"safety.figures"}))


class Command(BaseCommand):
    help = "Recompute the four-zero community statuses of a month (四零社区)."

    def add_arguments(self, parser):
        parser.add_argument("--month", default="", help="YYYY-MM; the current month when left out")
        parser.add_argument(
            "--under", default="", help="an area path (a district, a street); every district by default"
        )

    def handle(self, *args, month: str = "", under: str = "", verbosity: int = 1, **options):
        chosen = month_parse(month) if month else month_start(timezone.localdate())
        if chosen is None:
            raise CommandError("月份应写作 年-月 (a month is written YYYY-MM)")
        if chosen > month_start(timezone.localdate()):
            raise CommandError("不能计算未来的月份 (a month in the future cannot be computed)")
        roots = [under] if under else district_paths()
        stored = 0
        try:
            for root in roots:
                stored += four_zero_recompute(actor=SYSTEM, under=root, month=chosen)
        except DomainError as error:
            raise CommandError(error.message.both()) from error
        if verbosity:
            self.stdout.write(f"{chosen:%Y-%m}: {stored} communities")
