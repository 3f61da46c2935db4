"""Children: visits and harm-case actions are append-only (a correction is a new row)."""

from django.db import migrations

from linli.core.dbtriggers import append_only


class Migration(migrations.Migration):
    dependencies = [("care", "0008_modifications_items")]

    operations = [
        append_only("care_childvisit", "child visit record"),
        append_only("care_harmaction", "harm case actions"),
    ]
