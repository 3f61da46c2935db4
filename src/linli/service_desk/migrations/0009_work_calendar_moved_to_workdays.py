"""The work calendar now belongs to linli.workdays (decision 0013): drop its two models from the
desk's state only. The tables stay, with their rows, under the workdays app."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("service_desk", "0008_catalogue_guides"),
        ("workdays", "0001_take_over_work_calendar"),  # the workdays app holds the tables first
    ]
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="WorkCalendarDay"),
                migrations.DeleteModel(name="WorkCalendarYear"),
            ],
            database_operations=[],
        ),
    ]
