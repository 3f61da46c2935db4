"""`linli rotate-data-key`: re-seal every sealed value under the current LINLI_DATA_KEY_ID."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from linli.core.actor import Actor
from linli.core.services import audit_record
from linli.residents.services import data_key_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt sealed personal data with the current data key (轮换数据密钥). Add the new key to "
        "LINLI_DATA_KEYS, point LINLI_DATA_KEY_ID at it, restart, run this; remove the old key afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, batch_size: int, verbosity: int = 1, **options):
        if batch_size < 1:
            raise CommandError("--batch-size 须为正数 (must be positive)")
        done = data_key_rotate(batch_size=batch_size, log=self.stderr.write if verbosity > 1 else lambda _: None)
        audit_record(
            actor=Actor.system("rotate-data-key"),
            action="data_key.rotate",
            details={"key_id": settings.LINLI_DATA_KEY_ID, "resealed": done},
        )
        self.stdout.write(f"已重新加密 {done} 行 (re-sealed {done} rows) → key {settings.LINLI_DATA_KEY_ID}")
