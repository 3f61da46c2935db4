"""An event's timeline is append-only in the database (the rates and every hand-over are read
from it), and the GB/T 30428 / CJ/T 214 event and component classes shipped in
`grid_events/data/` are loaded at install time with default limits, so reporting works from the
first day. `linli import-categories` loads a city's own table later; edits are never undone."""

from pathlib import Path

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER grid_events_eventstep_no_update BEFORE UPDATE ON grid_events_eventstep
       BEGIN SELECT RAISE(ABORT, 'event timeline is append-only'); END""",
    """CREATE TRIGGER grid_events_eventstep_no_delete BEFORE DELETE ON grid_events_eventstep
       BEGIN SELECT RAISE(ABORT, 'event timeline is append-only'); END""",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION grid_events_eventstep_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'event timeline is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER grid_events_eventstep_append_only BEFORE UPDATE OR DELETE ON grid_events_eventstep
       FOR EACH ROW EXECUTE FUNCTION grid_events_eventstep_refuse()""",
]
DATA = Path(__file__).resolve().parent.parent / "data"
TABLES = ("urban_mgmt_event_categories.csv", "urban_mgmt_component_categories.csv")


def triggers(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for sql in statements:
        schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS grid_events_eventstep_append_only ON grid_events_eventstep")
        schema_editor.execute("DROP FUNCTION IF EXISTS grid_events_eventstep_refuse()")
    else:
        schema_editor.execute("DROP TRIGGER IF EXISTS grid_events_eventstep_no_update")
        schema_editor.execute("DROP TRIGGER IF EXISTS grid_events_eventstep_no_delete")


def seed(apps, schema_editor):
    from linli.grid_events.domain import (
        DEFAULT_LIMITS,
        default_department_kind,
        default_handle_minutes,
        parse_category_table,
    )

    category_model = apps.get_model("grid_events", "EventCategory")
    for table in TABLES:
        rows, _ = parse_category_table((DATA / table).read_text(encoding="utf-8"))
        category_model.objects.bulk_create(
            [
                category_model(
                    code=r.code,
                    kind=r.kind,
                    major_code=r.major_code,
                    major_name=r.major_name,
                    name=r.name,
                    department_kind=default_department_kind(r.code),
                    register_minutes=DEFAULT_LIMITS.register,
                    dispatch_minutes=DEFAULT_LIMITS.dispatch,
                    accept_minutes=DEFAULT_LIMITS.accept,
                    handle_minutes=default_handle_minutes(r.code),
                    handle_urgent_minutes=DEFAULT_LIMITS.handle_urgent,
                    verify_minutes=DEFAULT_LIMITS.verify,
                )
                for r in rows
            ],
            ignore_conflicts=True,
        )


class Migration(migrations.Migration):
    dependencies = [("grid_events", "0001_initial")]
    operations = [
        migrations.RunPython(triggers, drop_triggers),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
