from django.db import migrations

# An approved (or paid) statement is frozen: its lines, and any new line for it, are refused by
# the database; the statement's own row may change only by recording its payment (approved →
# paid, totals untouched); a paid statement refuses every change. The messages carry
# "append-only" so that the test helper that empties such tables finds these triggers.
STATE = "(SELECT state FROM care_statement WHERE id = {ref}.statement_id)"
FROZEN = "IN ('approved', 'paid')"
REFUSAL = "an approved statement is frozen (append-only)"
SQLITE = [
    f"""CREATE TRIGGER care_statement_frozen_update BEFORE UPDATE ON care_statement
   WHEN OLD.state = 'paid' OR (OLD.state = 'approved' AND (NEW.state != 'paid'
     OR NEW.government_total != OLD.government_total OR NEW.resident_total != OLD.resident_total
     OR NEW.line_count != OLD.line_count OR NEW.provider_id != OLD.provider_id OR NEW.month != OLD.month))
   BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""",
    f"""CREATE TRIGGER care_statement_frozen_delete BEFORE DELETE ON care_statement
   WHEN OLD.state {FROZEN}
   BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""",
    f"""CREATE TRIGGER care_statementline_frozen_update BEFORE UPDATE ON care_statementline
   WHEN {STATE.format(ref="OLD")} {FROZEN} OR {STATE.format(ref="NEW")} {FROZEN}
   BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""",
    f"""CREATE TRIGGER care_statementline_frozen_delete BEFORE DELETE ON care_statementline
   WHEN {STATE.format(ref="OLD")} {FROZEN}
   BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""",
    f"""CREATE TRIGGER care_statementline_frozen_insert BEFORE INSERT ON care_statementline
   WHEN {STATE.format(ref="NEW")} {FROZEN}
   BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""",
]
POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION care_statement_frozen() RETURNS trigger AS $$
   BEGIN
     IF OLD.state = 'paid' OR (OLD.state = 'approved' AND (TG_OP = 'DELETE' OR NEW.state != 'paid'
        OR NEW.government_total != OLD.government_total OR NEW.resident_total != OLD.resident_total
        OR NEW.line_count != OLD.line_count OR NEW.provider_id != OLD.provider_id OR NEW.month != OLD.month)) THEN
       RAISE EXCEPTION '{REFUSAL}';
     END IF;
     IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
     RETURN NEW;
   END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER care_statement_frozen BEFORE UPDATE OR DELETE ON care_statement
   FOR EACH ROW EXECUTE FUNCTION care_statement_frozen()""",
    f"""CREATE OR REPLACE FUNCTION care_statementline_frozen() RETURNS trigger AS $$
   BEGIN
     IF TG_OP IN ('UPDATE', 'DELETE') AND {STATE.format(ref="OLD")} {FROZEN} THEN
       RAISE EXCEPTION '{REFUSAL}';
     END IF;
     IF TG_OP IN ('UPDATE', 'INSERT') AND {STATE.format(ref="NEW")} {FROZEN} THEN
       RAISE EXCEPTION '{REFUSAL}';
     END IF;
     IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
     RETURN NEW;
   END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER care_statementline_frozen BEFORE INSERT OR UPDATE OR DELETE ON care_statementline
   FOR EACH ROW EXECUTE FUNCTION care_statementline_frozen()""",
]


def triggers(apps, schema_editor):
    for sql in POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE:
        schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS care_statement_frozen ON care_statement")
        schema_editor.execute("DROP TRIGGER IF EXISTS care_statementline_frozen ON care_statementline")
        schema_editor.execute("DROP FUNCTION IF EXISTS care_statement_frozen()")
        schema_editor.execute("DROP FUNCTION IF EXISTS care_statementline_frozen()")
        return
    for table, events in (
        ("care_statement", ("update", "delete")),
        ("care_statementline", ("update", "delete", "insert")),
    ):
        for event in events:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_frozen_{event}")


class Migration(migrations.Migration):
    dependencies = [("care", "0006_entitlements_example_list")]

    operations = [migrations.RunPython(triggers, drop_triggers)]
