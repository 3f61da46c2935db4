"""`linli backup DEST`: the database, the files and the keys of this site into an empty folder."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from linli.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database, uploaded files and keys into DEST (备份数据库、文件和密钥)."

    def add_arguments(self, parser):
        parser.add_argument("dest", type=Path, help="an empty or new folder")
        parser.add_argument(
            "--keys-file",
            type=Path,
            help="write the keys here instead of DEST/keys.env, to keep them apart from the data",
        )

    def handle(self, *args, dest: Path, keys_file: Path | None = None, **options):
        try:
            outcome = backup(dest, keys_file=keys_file)
        except BackupError as exc:
            raise CommandError(exc.message.both()) from None
        self.stdout.write(f"备份完成 (backup written): {outcome.folder} — {outcome.tables} tables, {outcome.rows} rows")
