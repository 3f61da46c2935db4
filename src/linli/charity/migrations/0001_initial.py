"""Needs, offers, matches, micro-funds and their ledger; a need's timeline and a fund's ledger are
append-only in the database (updates and deletes refused by triggers)."""

from decimal import Decimal

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import linli.core.ids

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
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CharityNeed",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("public_id", models.UUIDField(default=linli.core.ids.uuid7, editable=False, unique=True)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("goods", "Goods"),
                            ("money", "Money"),
                            ("service", "Service"),
                            ("tutoring", "Tutoring"),
                            ("other", "Other"),
                        ],
                        max_length=12,
                        verbose_name="kind",
                    ),
                ),
                ("category", models.CharField(blank=True, max_length=20, verbose_name="category")),
                ("title", models.CharField(max_length=60, verbose_name="title")),
                ("description", models.TextField(blank=True, verbose_name="description")),
                ("quantity", models.PositiveIntegerField(verbose_name="quantity")),
                ("unit", models.CharField(max_length=8, verbose_name="unit")),
                ("needed_by", models.DateField(blank=True, null=True, verbose_name="needed by")),
                ("community_path", models.CharField(db_index=True, max_length=12)),
                ("beneficiary", models.CharField(max_length=40, verbose_name="beneficiary")),
                ("note_sealed", models.TextField(blank=True)),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("open", "Open for help"),
                            ("matched", "Matched"),
                            ("delivered", "Delivered"),
                            ("acknowledged", "Acknowledged"),
                            ("closed", "Need closed"),
                        ],
                        default="open",
                        max_length=12,
                        verbose_name="state",
                    ),
                ),
                ("allocated", models.PositiveIntegerField(default=0)),
                ("delivered", models.PositiveIntegerField(default=0)),
                ("created_by_name", models.CharField(max_length=150)),
                ("created_at", models.DateTimeField()),
                ("state_changed_at", models.DateTimeField()),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="CharityOffer",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("public_id", models.UUIDField(default=linli.core.ids.uuid7, editable=False, unique=True)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("goods", "Goods"),
                            ("money", "Money"),
                            ("service", "Service"),
                            ("tutoring", "Tutoring"),
                            ("other", "Other"),
                        ],
                        max_length=12,
                        verbose_name="kind",
                    ),
                ),
                ("category", models.CharField(blank=True, max_length=20, verbose_name="category")),
                ("title", models.CharField(max_length=60, verbose_name="title")),
                ("description", models.TextField(blank=True, verbose_name="description")),
                ("quantity", models.PositiveIntegerField(verbose_name="quantity")),
                ("unit", models.CharField(max_length=8, verbose_name="unit")),
                ("allocated", models.PositiveIntegerField(default=0)),
                ("path", models.CharField(db_index=True, max_length=12)),
                (
                    "reach",
                    models.CharField(
                        choices=[
                            ("community", "This community"),
                            ("street", "This street"),
                            ("city", "The whole city"),
                        ],
                        default="community",
                        max_length=10,
                        verbose_name="area served",
                    ),
                ),
                ("available_until", models.DateField(blank=True, null=True, verbose_name="available until")),
                (
                    "donor_type",
                    models.CharField(
                        choices=[
                            ("resident", "Resident"),
                            ("organisation", "Organisation"),
                            ("walk_in", "Walk-in donor (recorded by staff)"),
                        ],
                        max_length=12,
                    ),
                ),
                ("org_id", models.UUIDField(blank=True, db_index=True, null=True)),
                ("donor_name", models.CharField(max_length=100, verbose_name="donor")),
                ("donor_contact_sealed", models.TextField(blank=True)),
                ("anonymous", models.BooleanField(default=False, verbose_name="anonymous")),
                (
                    "state",
                    models.CharField(
                        choices=[("open", "Available"), ("withdrawn", "Withdrawn")], default="open", max_length=10
                    ),
                ),
                ("created_at", models.DateTimeField()),
                (
                    "donor_user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "for_need",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="charity.charityneed",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="Match",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("public_id", models.UUIDField(default=linli.core.ids.uuid7, editable=False, unique=True)),
                ("quantity", models.PositiveIntegerField(verbose_name="quantity")),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("confirmed", "Confirmed, to deliver"),
                            ("delivered", "Delivered"),
                            ("acknowledged", "Received by the beneficiary"),
                            ("cancelled", "Cancelled"),
                        ],
                        default="confirmed",
                        max_length=12,
                    ),
                ),
                ("confirmed_by_name", models.CharField(max_length=150)),
                ("confirmed_at", models.DateTimeField()),
                ("delivered_at", models.DateTimeField(blank=True, null=True)),
                ("delivery_note", models.CharField(blank=True, max_length=200)),
                ("acknowledged_at", models.DateTimeField(blank=True, null=True)),
                (
                    "need",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="matches", to="charity.charityneed"
                    ),
                ),
                (
                    "offer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="matches", to="charity.charityoffer"
                    ),
                ),
            ],
            options={
                "ordering": ["confirmed_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="MicroFund",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("public_id", models.UUIDField(default=linli.core.ids.uuid7, editable=False, unique=True)),
                ("name", models.CharField(max_length=60, verbose_name="name")),
                ("community_path", models.CharField(db_index=True, max_length=12)),
                ("purpose", models.TextField(blank=True, verbose_name="purpose")),
                (
                    "threshold",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("5000.00"),
                        max_digits=12,
                        verbose_name="decision threshold (yuan)",
                    ),
                ),
                ("balance", models.DecimalField(decimal_places=2, default=Decimal("0.00"), max_digits=14)),
                ("is_active", models.BooleanField(default=True)),
                ("created_at", models.DateTimeField()),
            ],
            options={
                "ordering": ["community_path", "name"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("balance__gte", 0)), name="charity_fund_balance_not_negative"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="FundEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("public_id", models.UUIDField(default=linli.core.ids.uuid7, editable=False, unique=True)),
                (
                    "kind",
                    models.CharField(
                        choices=[("donation", "Donation"), ("payment", "Payment"), ("correction", "Correction")],
                        max_length=12,
                    ),
                ),
                ("amount", models.DecimalField(decimal_places=2, max_digits=12)),
                ("balance_after", models.DecimalField(decimal_places=2, max_digits=14)),
                ("on", models.DateField(verbose_name="date")),
                ("receipt", models.CharField(blank=True, max_length=40, verbose_name="receipt number")),
                ("donor_name", models.CharField(blank=True, max_length=100, verbose_name="donor")),
                ("anonymous", models.BooleanField(default=False)),
                ("purpose", models.CharField(blank=True, max_length=200, verbose_name="what for")),
                ("payee", models.CharField(blank=True, max_length=100, verbose_name="payee")),
                ("decision_text", models.TextField(blank=True, verbose_name="decision")),
                ("decision_on", models.DateField(blank=True, null=True, verbose_name="decision date")),
                ("decision_ref", models.CharField(blank=True, max_length=100, verbose_name="meeting or reference")),
                ("deliberation_id", models.UUIDField(blank=True, null=True)),
                ("reason", models.CharField(blank=True, max_length=200, verbose_name="reason")),
                ("recorded_by_name", models.CharField(max_length=150)),
                ("recorded_at", models.DateTimeField()),
                (
                    "corrects",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="corrections",
                        to="charity.fundentry",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "fund",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="entries", to="charity.microfund"
                    ),
                ),
            ],
            options={
                "ordering": ["recorded_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="NeedStep",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("action", models.CharField(max_length=20)),
                ("from_state", models.CharField(blank=True, max_length=12)),
                ("to_state", models.CharField(max_length=12)),
                ("actor_name", models.CharField(max_length=150)),
                ("note", models.TextField(blank=True)),
                ("details", models.JSONField(blank=True, default=dict)),
                ("at", models.DateTimeField()),
                (
                    "actor",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "need",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="steps", to="charity.charityneed"
                    ),
                ),
            ],
            options={
                "ordering": ["at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="PaymentRequest",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("public_id", models.UUIDField(default=linli.core.ids.uuid7, editable=False, unique=True)),
                ("purpose", models.CharField(max_length=200, verbose_name="what for")),
                ("payee", models.CharField(max_length=100, verbose_name="payee")),
                ("amount", models.DecimalField(decimal_places=2, max_digits=12, verbose_name="amount (yuan)")),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("waiting", "Waiting for the residents' decision"),
                            ("paid", "Paid"),
                            ("withdrawn", "Withdrawn"),
                        ],
                        default="waiting",
                        max_length=10,
                    ),
                ),
                ("requested_by_name", models.CharField(max_length=150)),
                ("requested_at", models.DateTimeField()),
                (
                    "entry",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="charity.fundentry",
                    ),
                ),
                (
                    "fund",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="requests", to="charity.microfund"
                    ),
                ),
            ],
            options={
                "ordering": ["requested_at", "pk"],
            },
        ),
        migrations.AddIndex(
            model_name="charityneed",
            index=models.Index(fields=["state", "community_path"], name="charity_need_state_path"),
        ),
        migrations.AddConstraint(
            model_name="charityneed",
            constraint=models.CheckConstraint(
                condition=models.Q(("allocated__lte", models.F("quantity"))), name="charity_need_not_over"
            ),
        ),
        migrations.AddConstraint(
            model_name="charityneed",
            constraint=models.CheckConstraint(
                condition=models.Q(("delivered__lte", models.F("allocated"))), name="charity_need_delivered"
            ),
        ),
        migrations.AddConstraint(
            model_name="charityneed",
            constraint=models.CheckConstraint(condition=models.Q(("quantity__gt", 0)), name="charity_need_quantity"),
        ),
        migrations.AddIndex(
            model_name="charityoffer",
            index=models.Index(fields=["state", "kind"], name="charity_offer_state_kind"),
        ),
        migrations.AddConstraint(
            model_name="charityoffer",
            constraint=models.CheckConstraint(
                condition=models.Q(("allocated__lte", models.F("quantity"))), name="charity_offer_not_over"
            ),
        ),
        migrations.AddConstraint(
            model_name="charityoffer",
            constraint=models.CheckConstraint(condition=models.Q(("quantity__gt", 0)), name="charity_offer_quantity"),
        ),
        migrations.AddConstraint(
            model_name="match",
            constraint=models.CheckConstraint(condition=models.Q(("quantity__gt", 0)), name="charity_match_quantity"),
        ),
        migrations.AddIndex(
            model_name="fundentry",
            index=models.Index(fields=["fund", "recorded_at"], name="charity_entry_fund_at"),
        ),
        migrations.AddConstraint(
            model_name="fundentry",
            constraint=models.CheckConstraint(
                condition=models.Q(("amount", 0), _negated=True), name="charity_entry_not_zero"
            ),
        ),
        migrations.AddIndex(
            model_name="needstep",
            index=models.Index(fields=["need", "at"], name="charity_step_need_at"),
        ),
        migrations.AddConstraint(
            model_name="paymentrequest",
            constraint=models.CheckConstraint(condition=models.Q(("amount__gt", 0)), name="charity_request_amount"),
        ),
        migrations.RunPython(triggers, drop_triggers),
    ]
