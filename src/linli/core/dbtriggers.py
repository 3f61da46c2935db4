"""Database triggers that make a table append-only (updates and deletes refused), on PostgreSQL
and SQLite, for migrations: `operations = [..., append_only("care_orderstep", "order timeline")]`.
The SQLite triggers' messages say 'append-only' so `empty_append_only_tables` finds them."""

from __future__ import annotations

from django.db import migrations


def _create(table: str, what: str):
    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"""CREATE OR REPLACE FUNCTION {table}_refuse() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION '{what} is append-only'; END; $$ LANGUAGE plpgsql"""
            )
            schema_editor.execute(
                f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION {table}_refuse()"""
            )
        else:
            for event in ("UPDATE", "DELETE"):
                schema_editor.execute(
                    f"""CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table}
                    BEGIN SELECT RAISE(ABORT, '{what} is append-only'); END"""
                )

    return create


def _drop(table: str):
    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_refuse()")
        else:
            for event in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{event}")

    return drop


def append_only(table: str, what: str) -> migrations.RunPython:
    """The migration operation that makes `table` append-only; `what` names it in the refusal."""
    return migrations.RunPython(_create(table, what), _drop(table))
