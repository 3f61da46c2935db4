"""Disputes: the mediators a party asked to recuse (回避), and one dispute per grid event."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("mediation", "0003_support_filed_by"),
    ]

    operations = [
        migrations.AddField(
            model_name="dispute",
            name="excluded_mediators",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddConstraint(
            model_name="dispute",
            constraint=models.UniqueConstraint(
                condition=models.Q(("source", "grid_event")),
                fields=("source_ref",),
                name="mediation_dispute_one_per_event",
            ),
        ),
    ]
