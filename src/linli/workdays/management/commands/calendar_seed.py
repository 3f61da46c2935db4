"""`linli calendar-seed [YEAR ...]`: refresh the work calendar from the chinese-calendar package."""

from django.core.management.base import BaseCommand

from linli.workdays.selectors import calendar_years
from linli.workdays.services import calendar_seed


class Command(BaseCommand):
    help = (
        "Load public holidays and swapped working days (调休) from the chinese-calendar package "
        "(刷新工作日历). Years edited by an admin are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="*", type=int)

    def handle(self, *args, years, **options):
        written = calendar_seed(years=years or None)
        known = [y.year for y in calendar_years()] or ["-"]
        self.stdout.write(f"已写入 {written} 年 (years written); 已知年份 (known years): {known[0]}–{known[-1]}")
