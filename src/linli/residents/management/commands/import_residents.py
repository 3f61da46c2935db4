"""`linli import-residents FILE [--dry-run] [--as USERNAME]`: import a CSV or XLSX of residents."""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from linli.accounts.domain import RESIDENTS_IMPORT, RESIDENTS_VIEW
from linli.core.errors import DomainError
from linli.residents.imports import residents_import
from linli.residents.management import command_actor


class Command(BaseCommand):
    help = "Import residents from a CSV or XLSX file (导入居民). See docs/residents-import.md."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="validate and report, write nothing")
        parser.add_argument("--as", dest="username", default="", help="act as this account (its scope applies)")
        parser.add_argument("--errors", default="", help="error file (default: FILE.errors.csv/.xlsx beside FILE)")
        parser.add_argument("--batch-rows", type=int, default=5000, help="rows per transaction (whole households)")
        parser.add_argument("--quiet", action="store_true", help="no progress counter")

    def handle(self, *args, file, dry_run, username, errors, batch_rows, quiet, **options):
        path = Path(file)
        actor = command_actor(
            username, name="import-residents", permissions=frozenset({RESIDENTS_IMPORT, RESIDENTS_VIEW})
        )
        error_path = Path(errors) if errors else path.with_name(f"{path.stem}.errors{path.suffix.lower()}")
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            if not quiet:
                rate = done / max(time.perf_counter() - started, 1e-6)
                sys.stderr.write(f"\r{done:,}/{total:,} 行 (rows) {done * 100 // max(total, 1)}% · {rate:,.0f} 行/秒")
                sys.stderr.flush()

        try:
            result = residents_import(
                actor=actor, path=path, error_path=error_path, dry_run=dry_run, progress=progress, batch_rows=batch_rows
            )
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        if not quiet:
            sys.stderr.write("\n")
        prefix = "试导入，未写入 (dry run, nothing written): " if dry_run else ""
        self.stdout.write(
            f"{prefix}共 {result.rows} 行 (rows): 新增 {result.created} (created), 更新 {result.updated} (updated), "
            f"未变 {result.unchanged} (unchanged), 拒绝 {result.rejected} (rejected); "
            f"新户 {result.households_created} (households created), "
            f"新楼院 {result.buildings_created} (buildings created); "
            f"{time.perf_counter() - started:.1f} s"
        )
        if result.error_file:
            self.stdout.write(f"错误行已写入 (rejected rows written to): {result.error_file}")
