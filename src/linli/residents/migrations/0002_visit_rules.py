"""Seed the editable visit rules with the default intervals (not law: cities change them)."""

from django.db import migrations

from linli.residents.domain import DEFAULT_VISIT_INTERVAL_DAYS


def seed(apps, schema_editor):
    rule = apps.get_model("residents", "CareVisitRule")
    for kind, days in DEFAULT_VISIT_INTERVAL_DAYS.items():
        rule.objects.get_or_create(kind=str(kind), defaults={"interval_days": days})


class Migration(migrations.Migration):
    dependencies = [("residents", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
