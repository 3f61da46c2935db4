"""The city's default major-matter list (四议一审两公开), seeded from `data/major_matters.yaml`."""

from pathlib import Path

import yaml
from django.db import migrations

KINDS_FILE = Path(__file__).resolve().parent.parent / "data" / "major_matters.yaml"


def kinds_seed(apps, schema_editor):
    """The city's rows (path ""): they apply in every village; idempotent."""
    MajorMatterKind = apps.get_model("consultation", "MajorMatterKind")
    for position, row in enumerate(yaml.safe_load(KINDS_FILE.read_text(encoding="utf-8"))):
        MajorMatterKind.objects.update_or_create(
            path="",
            code=row["code"],
            defaults={
                "name_zh": row["zh"],
                "name_en": row["en"],
                "amount_over": row.get("amount_over"),
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("consultation", "0001_initial")]

    operations = [migrations.RunPython(kinds_seed, migrations.RunPython.noop)]
