"""Steps, follow-ups, trainings, reasoning posts and support entries are append-only (a
correction is a new row); the dispute kinds are seeded from `data/dispute_kinds.yaml`."""

from pathlib import Path

import yaml
from django.db import migrations

from linli.core.dbtriggers import append_only

KINDS_FILE = Path(__file__).resolve().parent.parent / "data" / "dispute_kinds.yaml"


def kinds_seed(apps, schema_editor):
    DisputeKind = apps.get_model("mediation", "DisputeKind")
    for order, row in enumerate(yaml.safe_load(KINDS_FILE.read_text(encoding="utf-8"))):
        DisputeKind.objects.update_or_create(
            code=row["code"],
            defaults={"name_zh": row["zh"], "name_en": row["en"], "level": row["level"], "order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("mediation", "0001_initial")]

    operations = [
        append_only("mediation_disputestep", "dispute steps"),
        append_only("mediation_disputefollowup", "dispute follow-ups"),
        append_only("mediation_mediatortraining", "mediator trainings"),
        append_only("mediation_reasoningpost", "reasoning posts"),
        append_only("mediation_supportentry", "support entries"),
        migrations.RunPython(kinds_seed, migrations.RunPython.noop),
    ]
