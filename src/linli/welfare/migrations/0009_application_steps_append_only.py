"""Applications: an application's timeline is append-only in the database too (updates and deletes
refused by triggers), like the relief timelines and the payroll."""

from django.db import migrations

TABLE = "welfare_applicationstep"
WHAT = "application timeline"


def triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"""CREATE OR REPLACE FUNCTION {TABLE}_refuse() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION '{WHAT} is append-only'; END; $$ LANGUAGE plpgsql"""
        )
        schema_editor.execute(
            f"""CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE}
            FOR EACH ROW EXECUTE FUNCTION {TABLE}_refuse()"""
        )
    else:
        for event in ("UPDATE", "DELETE"):
            schema_editor.execute(
                f"""CREATE TRIGGER {TABLE}_no_{event.lower()} BEFORE {event} ON {TABLE}
                BEGIN SELECT RAISE(ABORT, '{WHAT} is append-only'); END"""
            )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {TABLE}_refuse()")
    else:
        for event in ("update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_{event}")


class Migration(migrations.Migration):
    dependencies = [("welfare", "0008_applications_labels")]

    operations = [migrations.RunPython(triggers, drop_triggers)]
