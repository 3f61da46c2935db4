"""`linli import-divisions FILE`: load an NBS-format divisions CSV, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from linli.areas.services import DivisionFileRejectedError, divisions_import
from linli.core.actor import Actor
from linli.core.management import read_utf8

SHIPPED = Path(__file__).resolve().parents[2] / "data" / "shenyang_divisions.csv"


class Command(BaseCommand):
    help = "Import an NBS divisions CSV (导入统计用区划代码). Without FILE, loads the shipped Shenyang extract."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(SHIPPED), help="CSV path (UTF-8)")

    def handle(self, *args, file: str, **options):
        path = Path(file)
        text = read_utf8(path)
        try:
            result = divisions_import(actor=Actor.system("import-divisions"), text=text, source=path.name)
        except DivisionFileRejectedError as exc:
            for error in exc.line_errors:
                self.stderr.write(f"{path.name}: {error}")
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"新增 {result.created}，更新 {result.updated}，未变 {result.unchanged} "
            f"(created {result.created}, updated {result.updated}, unchanged {result.unchanged})"
        )
