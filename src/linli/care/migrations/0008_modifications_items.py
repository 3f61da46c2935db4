"""Home modification: the example standard items and cap (data/modification_items.yaml), and the
application timeline append-only."""

from django.db import migrations

from linli.core.dbtriggers import append_only


def load_items(apps, schema_editor):
    from linli.care.domain.modifications import standard_items

    item_model = apps.get_model("care", "ModificationItem")
    cap_model = apps.get_model("care", "ModificationCap")
    valid_from, cap, items = standard_items()
    cap_model.objects.get_or_create(valid_from=valid_from, defaults={"amount": cap})
    for row in items:
        item_model.objects.get_or_create(code=row["code"], valid_from=valid_from, defaults=row)


class Migration(migrations.Migration):
    dependencies = [("care", "0007_statements_freeze")]

    operations = [
        migrations.RunPython(load_items, migrations.RunPython.noop),
        append_only("care_modificationstep", "home modification timeline"),
    ]
