"""`linli restore SRC`: a backup of `linli backup` into an empty database and data folder."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from linli.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `linli backup` into an empty database and data folder; the keys "
        "configured must be the backup's (恢复备份到空数据库，须配置备份的密钥)."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="the folder `linli backup` wrote")

    def handle(self, *args, source: Path, **options):
        try:
            outcome = restore(source)
        except BackupError as exc:
            raise CommandError(exc.message.both()) from None
        self.stdout.write(
            f"恢复完成，行数与备份一致 (restored, row counts match the backup): "
            f"{outcome.tables} tables, {outcome.rows} rows"
        )
