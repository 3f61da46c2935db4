"""The work calendar moves here from the service desk (decision 0013). Its two tables already
exist — created by service_desk 0001 and seeded by service_desk 0003, on a fresh database as on
one in use — so this migration only adds the models to this app's state, keeping the tables'
names and rows. service_desk 0009 then drops them from the desk's state. The content types (and
the admin permissions hanging on them) are handed over too, so nothing is left stale."""

from django.db import migrations, models


def content_types_to_workdays(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in ("workcalendarday", "workcalendaryear"):
        if not content_type.objects.filter(app_label="workdays", model=model).exists():
            content_type.objects.filter(app_label="service_desk", model=model).update(app_label="workdays")


def content_types_to_service_desk(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in ("workcalendarday", "workcalendaryear"):
        if not content_type.objects.filter(app_label="service_desk", model=model).exists():
            content_type.objects.filter(app_label="workdays", model=model).update(app_label="service_desk")


class Migration(migrations.Migration):
    initial = True
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("service_desk", "0008_catalogue_guides"),  # the last state in which the desk owned the tables
    ]
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="WorkCalendarDay",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("day", models.DateField(unique=True, verbose_name="date")),
                        ("is_workday", models.BooleanField(verbose_name="working day")),
                        ("name", models.CharField(blank=True, max_length=40, verbose_name="name")),
                        ("source", models.CharField(max_length=40, verbose_name="source")),
                    ],
                    options={
                        "verbose_name": "work calendar day",
                        "verbose_name_plural": "work calendar",
                        "db_table": "service_desk_workcalendarday",
                        "ordering": ["day"],
                    },
                ),
                migrations.CreateModel(
                    name="WorkCalendarYear",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("year", models.PositiveSmallIntegerField(unique=True, verbose_name="year")),
                        ("source", models.CharField(max_length=40, verbose_name="source")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                    ],
                    options={
                        "verbose_name": "work calendar year",
                        "verbose_name_plural": "work calendar years",
                        "db_table": "service_desk_workcalendaryear",
                        "ordering": ["year"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_workdays, content_types_to_service_desk),
    ]
