"""`linli export-residents --under PATH [--unmasked id_number,phone --reason …] OUT.xlsx`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from linli.accounts.domain import RESIDENTS_EXPORT, RESIDENTS_VIEW
from linli.core.errors import DomainError
from linli.core.paths import under_path
from linli.residents.exports import export_residents_xlsx
from linli.residents.management import command_actor
from linli.residents.selectors import resident_list


class Command(BaseCommand):
    help = "Export the residents under an org path to XLSX, masked unless --unmasked (导出居民)."

    def add_arguments(self, parser):
        parser.add_argument("out", help="the XLSX file to write")
        parser.add_argument("--under", required=True, help="org path (division code prefix), e.g. 210102001002")
        parser.add_argument("--unmasked", default="", help="sealed fields to export in clear: id_number,phone,notes")
        parser.add_argument("--reason", default="", help="why the unmasked export is needed (audited)")
        parser.add_argument("--as", dest="username", default="", help="act as this account (its scope and fields)")

    def handle(self, *args, out, under, unmasked, reason, username, **options):
        if not under.isdigit():
            raise CommandError("--under 应为数字路径 (must be a digit path)")
        actor = command_actor(
            username, name="export-residents", permissions=frozenset({RESIDENTS_EXPORT, RESIDENTS_VIEW})
        )
        if not actor.sees_path(under):
            raise CommandError("该范围不存在或无权访问 (not found)")
        residents = resident_list(actor=actor).filter(under_path("path", under)).order_by("path", "pk")
        try:
            content = export_residents_xlsx(
                actor, residents, unmasked_fields=[f.strip() for f in unmasked.split(",") if f.strip()], reason=reason
            )
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        Path(out).write_bytes(content)
        self.stdout.write(f"已导出到 (exported to) {out}")
