"""Stage burden: the city's example certificate list and community task list (path "": every
district), seeded from `data/certificate_kinds.yaml` — an editable example, unverified."""

import datetime as dt
from pathlib import Path

import yaml
from django.db import migrations

KINDS_FILE = Path(__file__).resolve().parent.parent / "data" / "certificate_kinds.yaml"
LISTED_SINCE = dt.date(2020, 4, 28)  # the day 民发〔2020〕20号 was issued; the example rows start there


def kinds_seed(apps, schema_editor):
    """The city's rows (path ""): idempotent, a district's own rows untouched."""
    CertificateKind = apps.get_model("consultation", "CertificateKind")
    CommunityTask = apps.get_model("consultation", "CommunityTask")
    data = yaml.safe_load(KINDS_FILE.read_text(encoding="utf-8"))
    for row in data["allowed"]:
        CertificateKind.objects.get_or_create(
            path="",
            code=row["code"],
            defaults={"name": row["name"], "legal_basis": row["legal_basis"], "since": LISTED_SINCE},
        )
    for row in data["tasks"]:
        CommunityTask.objects.get_or_create(
            path="",
            name=row["name"],
            defaults={
                "department_name": row["department"],
                "legal_basis": row["legal_basis"],
                "since": LISTED_SINCE,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("consultation", "0002_village_kinds")]

    operations = [migrations.RunPython(kinds_seed, migrations.RunPython.noop)]
