"""A case's timeline is append-only in the database, like the audit log: it is the record of
who did what to a resident's application and the source of the on-time figures."""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER service_desk_caseevent_no_update BEFORE UPDATE ON service_desk_caseevent
       BEGIN SELECT RAISE(ABORT, 'case timeline is append-only'); END""",
    """CREATE TRIGGER service_desk_caseevent_no_delete BEFORE DELETE ON service_desk_caseevent
       BEGIN SELECT RAISE(ABORT, 'case timeline is append-only'); END""",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION service_desk_caseevent_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'case timeline is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER service_desk_caseevent_append_only BEFORE UPDATE OR DELETE ON service_desk_caseevent
       FOR EACH ROW EXECUTE FUNCTION service_desk_caseevent_refuse()""",
]


def forwards(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS service_desk_caseevent_append_only ON service_desk_caseevent")
        schema_editor.execute("DROP FUNCTION IF EXISTS service_desk_caseevent_refuse()")
    else:
        schema_editor.execute("DROP TRIGGER IF EXISTS service_desk_caseevent_no_update")
        schema_editor.execute("DROP TRIGGER IF EXISTS service_desk_caseevent_no_delete")


class Migration(migrations.Migration):
    dependencies = [("service_desk", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
