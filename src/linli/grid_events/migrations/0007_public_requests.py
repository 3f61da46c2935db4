"""Which events the public Open311 list shows (decision 0014): residents' reports (随手拍, Open311,
the hotline) from the start; events from patrols and staff only once published."""

from django.db import migrations, models

RESIDENT_CHANNELS = ("resident_photo", "open311", "hotline")


def residents_reports_public(apps, schema_editor):
    GridEvent = apps.get_model("grid_events", "GridEvent")
    GridEvent.objects.filter(channel__in=RESIDENT_CHANNELS).update(is_public=True)


class Migration(migrations.Migration):
    dependencies = [("grid_events", "0006_department_kind_choices")]

    operations = [
        migrations.AddField(
            model_name="gridevent",
            name="is_public",
            field=models.BooleanField(default=False, verbose_name="public"),
        ),
        migrations.AddField(
            model_name="gridevent",
            name="public_reason",
            field=models.CharField(blank=True, max_length=500, verbose_name="why hidden or published"),
        ),
        migrations.AddIndex(
            model_name="gridevent",
            index=models.Index(fields=["is_public", "reported_at"], name="grid_event_public"),
        ),
        migrations.RunPython(residents_reports_public, migrations.RunPython.noop, elidable=True),
    ]
