"""Relief: temporary assistance and its timeline, zero-employment cases and their follow-ups,
public-welfare posts and placements, job needs. The two timelines are append-only in the database
(updates and deletes refused by triggers)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import linli.core.ids

TABLES = {"welfare_temporarystep": "temporary assistance timeline", "welfare_zeroemploymentstep": "follow-up timeline"}


def triggers(apps, schema_editor):
    for table, what in TABLES.items():
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


def drop_triggers(apps, schema_editor):
    for table in TABLES:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_refuse()")
        else:
            for event in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{event}")


class Migration(migrations.Migration):
    dependencies = [
        ("welfare", "0002_roll_changes_reviews_payroll"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="JobNeed",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("public_id", models.UUIDField(default=linli.core.ids.uuid7, editable=False, unique=True)),
                (
                    "kind",
                    models.CharField(
                        choices=[("job", "Looking for a job"), ("training", "Wants training")],
                        max_length=10,
                        verbose_name="kind of need",
                    ),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("open", "Need not yet met"),
                            ("met", "Need met"),
                            ("closed", "Closed without result"),
                        ],
                        default="open",
                        max_length=8,
                        verbose_name="state",
                    ),
                ),
                ("person_ref", models.UUIDField(db_index=True)),
                ("person_name", models.CharField(max_length=50, verbose_name="person's name")),
                ("path", models.CharField(db_index=True, max_length=18)),
                ("wish", models.CharField(max_length=300, verbose_name="what is wanted")),
                ("by_resident", models.BooleanField(default=False)),
                ("outcome", models.CharField(blank=True, max_length=300, verbose_name="outcome")),
                ("created_by_name", models.CharField(max_length=150)),
                ("created_at", models.DateTimeField()),
            ],
            options={
                "verbose_name": "job or training need",
                "verbose_name_plural": "job and training needs",
                "ordering": ["state", "-created_at", "-pk"],
                "indexes": [models.Index(fields=["state", "path"], name="welfare_jobneed_state_path")],
            },
        ),
        migrations.CreateModel(
            name="TemporaryAssistance",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("public_id", models.UUIDField(default=linli.core.ids.uuid7, editable=False, unique=True)),
                ("number", models.CharField(max_length=24, unique=True, verbose_name="number")),
                (
                    "route",
                    models.CharField(
                        choices=[("ordinary", "Ordinary procedure"), ("fast", "Emergency: paid first by the street")],
                        max_length=10,
                        verbose_name="procedure",
                    ),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("recorded", "Waiting for the street's review"),
                            ("reviewed", "Waiting for the district's decision"),
                            ("granted", "Assistance granted"),
                            ("refused", "Assistance refused"),
                            ("paid_first", "Paid first, paperwork due"),
                            ("completed", "Paperwork complete, waiting for confirmation"),
                            ("confirmed", "Confirmed by the district"),
                        ],
                        db_index=True,
                        max_length=12,
                        verbose_name="state",
                    ),
                ),
                ("person_ref", models.UUIDField(blank=True, db_index=True, null=True)),
                ("person_name", models.CharField(max_length=50, verbose_name="person's name")),
                ("person_id_masked", models.CharField(blank=True, max_length=18, verbose_name="ID number")),
                ("household_ref", models.UUIDField(blank=True, db_index=True, null=True)),
                ("path", models.CharField(db_index=True, max_length=18)),
                ("event", models.CharField(max_length=16, verbose_name="event")),
                ("event_on", models.DateField(verbose_name="date of the event")),
                ("facts_sealed", models.TextField()),
                (
                    "form",
                    models.CharField(
                        choices=[("cash", "Cash"), ("in_kind", "In kind")],
                        default="cash",
                        max_length=8,
                        verbose_name="form of help",
                    ),
                ),
                ("amount_asked", models.DecimalField(decimal_places=2, max_digits=10, verbose_name="amount asked")),
                (
                    "amount_granted",
                    models.DecimalField(
                        blank=True, decimal_places=2, max_digits=10, null=True, verbose_name="amount granted"
                    ),
                ),
                ("granted_on", models.DateField(blank=True, db_index=True, null=True, verbose_name="granted on")),
                ("paperwork_due", models.DateField(blank=True, null=True, verbose_name="paperwork due")),
                (
                    "refusal_reason",
                    models.CharField(blank=True, max_length=500, verbose_name="reasons for the refusal"),
                ),
                ("created_by_name", models.CharField(max_length=150)),
                ("created_at", models.DateTimeField()),
                ("updated_at", models.DateTimeField()),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "temporary assistance",
                "verbose_name_plural": "temporary assistance",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="TemporaryStep",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("action", models.CharField(max_length=20)),
                ("from_state", models.CharField(blank=True, max_length=12)),
                ("to_state", models.CharField(max_length=12)),
                ("amount", models.DecimalField(blank=True, decimal_places=2, max_digits=10, null=True)),
                ("note", models.CharField(blank=True, max_length=500)),
                ("actor_id", models.BigIntegerField(null=True)),
                ("actor_name", models.CharField(max_length=150)),
                ("at", models.DateTimeField()),
                (
                    "assistance",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="steps",
                        to="welfare.temporaryassistance",
                    ),
                ),
            ],
            options={
                "ordering": ["at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="WelfarePost",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("public_id", models.UUIDField(default=linli.core.ids.uuid7, editable=False, unique=True)),
                ("title", models.CharField(max_length=60, verbose_name="post")),
                ("employer", models.CharField(max_length=80, verbose_name="employing unit")),
                ("path", models.CharField(db_index=True, max_length=18)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("cleaning", "Cleaning"),
                            ("security", "Security and patrol"),
                            ("caretaking", "Caretaking"),
                            ("elderly_help", "Help for the elderly"),
                            ("greening", "Greening"),
                            ("other", "Other post"),
                        ],
                        max_length=16,
                        verbose_name="kind of post",
                    ),
                ),
                ("capacity", models.PositiveSmallIntegerField(verbose_name="places")),
                ("filled", models.PositiveSmallIntegerField(default=0, verbose_name="places filled")),
                ("monthly_pay", models.DecimalField(decimal_places=2, max_digits=10, verbose_name="monthly pay")),
                ("starts_on", models.DateField(verbose_name="from")),
                ("ends_on", models.DateField(verbose_name="until")),
                ("created_by_name", models.CharField(max_length=150)),
                ("created_at", models.DateTimeField()),
            ],
            options={
                "verbose_name": "public-welfare post",
                "verbose_name_plural": "public-welfare posts",
                "ordering": ["-starts_on", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("filled__lte", models.F("capacity"))), name="welfare_post_capacity"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("ends_on__gte", models.F("starts_on"))), name="welfare_post_period"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="ZeroEmploymentCase",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("public_id", models.UUIDField(default=linli.core.ids.uuid7, editable=False, unique=True)),
                ("household_ref", models.UUIDField(db_index=True)),
                ("path", models.CharField(db_index=True, max_length=18)),
                ("head_name", models.CharField(max_length=50, verbose_name="head of household")),
                (
                    "state",
                    models.CharField(
                        choices=[("open", "Being followed"), ("closed", "Resolved")],
                        default="open",
                        max_length=8,
                        verbose_name="state",
                    ),
                ),
                ("found_on", models.DateField(verbose_name="found on")),
                (
                    "last_follow_up_on",
                    models.DateField(blank=True, db_index=True, null=True, verbose_name="last follow-up"),
                ),
                ("closed_on", models.DateField(blank=True, null=True, verbose_name="resolved on")),
                (
                    "closed_how",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("post", "Placed in a public-welfare post"),
                            ("job", "A member found a job"),
                            ("household_changed", "The household changed"),
                        ],
                        max_length=20,
                        verbose_name="resolved how",
                    ),
                ),
                ("close_reason", models.CharField(blank=True, max_length=500, verbose_name="note on the resolution")),
                ("created_by_name", models.CharField(max_length=150)),
                ("created_at", models.DateTimeField()),
            ],
            options={
                "verbose_name": "zero-employment household",
                "verbose_name_plural": "zero-employment households",
                "ordering": ["state", "-found_on", "-pk"],
                "indexes": [models.Index(fields=["state", "path"], name="welfare_zero_state_path")],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("state", "open")), fields=("household_ref",), name="welfare_zero_open_once"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("state", "open"),
                            models.Q(
                                models.Q(("closed_how", ""), _negated=True),
                                models.Q(("close_reason", ""), _negated=True),
                            ),
                            _connector="OR",
                        ),
                        name="welfare_zero_closed_why",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="PostPlacement",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("public_id", models.UUIDField(default=linli.core.ids.uuid7, editable=False, unique=True)),
                ("person_ref", models.UUIDField(db_index=True)),
                ("person_name", models.CharField(max_length=50, verbose_name="person's name")),
                ("household_ref", models.UUIDField(blank=True, null=True)),
                ("path", models.CharField(db_index=True, max_length=18)),
                ("from_on", models.DateField(verbose_name="from")),
                ("to_on", models.DateField(db_index=True, verbose_name="until")),
                ("ended_on", models.DateField(blank=True, null=True, verbose_name="left on")),
                ("end_reason", models.CharField(blank=True, max_length=300, verbose_name="reason for leaving")),
                ("created_by_name", models.CharField(max_length=150)),
                ("created_at", models.DateTimeField()),
                (
                    "post",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="placements", to="welfare.welfarepost"
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="placements",
                        to="welfare.zeroemploymentcase",
                    ),
                ),
            ],
            options={
                "verbose_name": "placement",
                "verbose_name_plural": "placements",
                "ordering": ["-from_on", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="ZeroEmploymentStep",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=20)),
                ("on", models.DateField()),
                ("note", models.CharField(blank=True, max_length=500)),
                ("actor_name", models.CharField(max_length=150)),
                ("at", models.DateTimeField()),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="steps",
                        to="welfare.zeroemploymentcase",
                    ),
                ),
            ],
            options={
                "ordering": ["on", "at", "pk"],
            },
        ),
        migrations.AddIndex(
            model_name="temporaryassistance",
            index=models.Index(fields=["state", "path"], name="welfare_temp_state_path"),
        ),
        migrations.AddConstraint(
            model_name="temporaryassistance",
            constraint=models.CheckConstraint(condition=models.Q(("amount_asked__gte", 0)), name="welfare_temp_asked"),
        ),
        migrations.AddConstraint(
            model_name="temporaryassistance",
            constraint=models.CheckConstraint(
                condition=models.Q(("amount_granted__isnull", True), ("amount_granted__gte", 0), _connector="OR"),
                name="welfare_temp_granted",
            ),
        ),
        migrations.AddIndex(
            model_name="temporarystep",
            index=models.Index(fields=["assistance", "at"], name="welfare_tempstep_at"),
        ),
        migrations.AddConstraint(
            model_name="postplacement",
            constraint=models.UniqueConstraint(
                condition=models.Q(("ended_on__isnull", True)),
                fields=("person_ref",),
                name="welfare_placement_one_open",
            ),
        ),
        migrations.AddIndex(
            model_name="zeroemploymentstep",
            index=models.Index(fields=["case", "on"], name="welfare_zerostep_on"),
        ),
        migrations.RunPython(triggers, drop_triggers),
    ]
