"""`linli import-catalogue [FILE]`: load the community service catalogue from the reference CSV."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from linli.accounts.domain import CATALOGUE_EDIT
from linli.core.actor import Actor
from linli.core.errors import DomainError
from linli.core.management import read_utf8
from linli.service_desk.services import catalogue_import

SHIPPED = Path(__file__).resolve().parents[2] / "data" / "community_service_items.csv"


class Command(BaseCommand):
    help = (
        "Import service items from a catalogue CSV in the reference format (导入社区公共服务目录). "
        "Without FILE, loads the shipped reference catalogue. Good rows are saved; bad rows are listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(SHIPPED), help="CSV path (UTF-8)")

    def handle(self, *args, file: str, **options):
        path = Path(file)
        text = read_utf8(path)
        actor = Actor.system("import-catalogue", permissions=frozenset({CATALOGUE_EDIT}))
        try:
            result = catalogue_import(actor=actor, text=text)
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        for line, reason in result.skipped:
            self.stdout.write(f"{path.name}:{line}: 跳过 (skipped) — {reason.both()}")
        for line, reason in result.rejected:
            self.stderr.write(f"{path.name}:{line}: 拒绝 (rejected) — {reason.both()}")
        rejected = len(result.rejected)
        self.stdout.write(
            f"新增 {result.created}，新版本 {result.new_versions}，未变 {result.unchanged}，拒绝 {rejected} "
            f"(created {result.created}, new versions {result.new_versions}, unchanged {result.unchanged}, "
            f"rejected {rejected})"
        )
        if result.rejected:
            raise CommandError(f"{len(result.rejected)} 行被拒绝 (rows rejected)")
