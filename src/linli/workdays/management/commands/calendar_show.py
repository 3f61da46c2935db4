"""`linli calendar-show YEAR`: print a year's holidays and swapped working days (调休), with the
statutory holidays assumed for a year whose schedule is not published yet marked provisional."""

from django.core.management.base import BaseCommand, CommandError

from linli.workdays.domain import CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR
from linli.workdays.selectors import calendar_year, calendar_year_source

WEEKDAYS = "一二三四五六日"


class Command(BaseCommand):
    help = "Print a year's holidays and swapped working days (查看工作日历), provisional days marked."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)

    def handle(self, *args, year, **options):
        if not CALENDAR_FIRST_YEAR <= year <= CALENDAR_LAST_YEAR:
            raise CommandError(f"年份应在 {CALENDAR_FIRST_YEAR}–{CALENDAR_LAST_YEAR} (year out of range)")
        source = calendar_year_source(year)
        if source:
            self.stdout.write(f"{year} 年：已公布的安排 (published schedule), 来源 source: {source}")
        else:
            self.stdout.write(
                f"{year} 年：尚未录入安排，法定节假日为暂定，无调休 "
                "(no published schedule: statutory holidays provisional, no 调休)"
            )
        entries = calendar_year(year)
        for entry in entries:
            kind = "上班 workday " if entry.is_workday else "放假 holiday "
            flag = "  暂定 provisional" if entry.provisional else ""
            self.stdout.write(f"{entry.day.isoformat()} 周{WEEKDAYS[entry.day.weekday()]}  {kind} {entry.name}{flag}")
        holidays = sum(not e.is_workday for e in entries)
        self.stdout.write(
            f"共 {holidays} 个放假日、{len(entries) - holidays} 个调休上班日 (holidays, working weekend days)"
        )
