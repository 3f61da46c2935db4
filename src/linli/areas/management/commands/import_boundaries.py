"""`linli import-boundaries FILE`: load org-unit outlines from GeoJSON, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from linli.areas.services import BoundaryFileRejectedError, boundaries_import
from linli.core.actor import Actor
from linli.core.management import read_utf8


class Command(BaseCommand):
    help = (
        "Import org-unit boundaries (导入区划边界): a GeoJSON FeatureCollection of Polygons or MultiPolygons "
        "(WGS-84), each with its 12-digit division code in the property `code`. Any bad feature refuses the file."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="GeoJSON path (UTF-8)")

    def handle(self, *args, file: str, **options):
        path = Path(file)
        text = read_utf8(path)
        try:
            result = boundaries_import(actor=Actor.system("import-boundaries"), text=text, source=path.name)
        except BoundaryFileRejectedError as exc:
            for error in exc.feature_errors:
                self.stderr.write(f"{path.name}: {error}")
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"新增 {result.created}，更新 {result.updated} (created {result.created}, updated {result.updated})"
        )
