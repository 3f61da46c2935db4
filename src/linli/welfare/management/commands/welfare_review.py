"""`linli welfare-review --scope 2101 --on 2027-01-01`: the yearly review (or the recompute after
the city changed its standard) of every household on the roll under a path, outside a web request:
the same `review_recompute` the review page's button calls, as the platform (it changes nothing on
the roll; the proposals wait for a worker's or officer's confirmation). 200,000 households take
about half a minute (docs/benchmarks.md, `welfare`)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from linli.accounts.domain import WELFARE_DECIDE
from linli.core.actor import Actor
from linli.core.errors import DomainError
from linli.welfare.services.roll import review_recompute


class Command(BaseCommand):
    help = "Determine every household on the roll under a path again with the rules of a date (复核计算)."

    def add_arguments(self, parser):
        parser.add_argument("--scope", required=True, help="an area's path: the city (2101), a district, …")
        parser.add_argument("--on", required=True, help="the rules of this date, YYYY-MM-DD")

    def handle(self, *args, scope: str, on: str, **options):
        try:
            day = dt.date.fromisoformat(on)
        except ValueError:
            raise CommandError("--on 应为 YYYY-MM-DD 格式的日期 (a date YYYY-MM-DD)") from None
        if not scope.isdigit():
            raise CommandError("--scope 应为区划路径数字 (a path of digits)")
        actor = Actor.system("welfare-review", permissions=frozenset({WELFARE_DECIDE}), root_path=scope)
        try:
            run = review_recompute(actor=actor, scope=scope, on=day)
        except DomainError as error:
            raise CommandError(error.message.both()) from None
        self.stdout.write(
            f"welfare review: {run.households} households under {scope} with the rules of {day}: "
            f"{run.differences} differ from the roll ({run.seconds:.1f} s)"
        )
