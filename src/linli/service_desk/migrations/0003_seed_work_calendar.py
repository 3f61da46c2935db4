"""Seed the work calendar from the `chinese-calendar` package at install time, so due dates
are right from the first case. `linli calendar-seed` refreshes it after a package upgrade;
admins enter years the package does not know yet."""

from django.db import migrations


def forwards(apps, schema_editor):
    from chinese_calendar import constants

    day_model = apps.get_model("service_desk", "WorkCalendarDay")
    year_model = apps.get_model("service_desk", "WorkCalendarYear")
    rows = [
        day_model(day=day, is_workday=False, name=str(name), source="chinese-calendar")
        for day, name in constants.holidays.items()
        if day.weekday() < 5
    ] + [
        day_model(day=day, is_workday=True, name=str(name), source="chinese-calendar")
        for day, name in constants.workdays.items()
        if day.weekday() >= 5
    ]
    day_model.objects.bulk_create(rows, ignore_conflicts=True)
    years = {d.year for d in constants.holidays} | {d.year for d in constants.workdays}
    year_model.objects.bulk_create(
        [year_model(year=y, source="chinese-calendar") for y in sorted(years)], ignore_conflicts=True
    )


class Migration(migrations.Migration):
    dependencies = [("service_desk", "0002_caseevent_append_only")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
