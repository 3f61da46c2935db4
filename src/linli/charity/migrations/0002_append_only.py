"""A need's timeline and a fund's ledger are append-only in the database: the public ledger and the
figures are read from them, and a mistake is put right by a new entry, never an edit."""

from django.db import migrations

TABLES = {"charity_needstep": "need timeline", "charity_fundentry": "fund ledger"}


def _sqlite(table: str, what: str) -> list[str]:
    return [
        f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
       BEGIN SELECT RAISE(ABORT, '{what} is append-only'); END""",
        f"""CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
       BEGIN SELECT RAISE(ABORT, '{what} is append-only'); END""",
    ]


def _postgres(table: str, what: str) -> list[str]:
    return [
        f"""CREATE OR REPLACE FUNCTION {table}_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION '{what} is append-only'; END; $$ LANGUAGE plpgsql""",
        f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
       FOR EACH ROW EXECUTE FUNCTION {table}_refuse()""",
    ]


def triggers(apps, schema_editor):
    make = _postgres if schema_editor.connection.vendor == "postgresql" else _sqlite
    for table, what in TABLES.items():
        for sql in make(table, what):
            schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    for table in TABLES:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_refuse()")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")


class Migration(migrations.Migration):
    dependencies = [("charity", "0001_initial")]
    operations = [migrations.RunPython(triggers, drop_triggers)]
