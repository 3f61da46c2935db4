"""The move of the calendar out of the service desk keeps a database's rows: from a database
migrated to the desk's last migration before the move (service_desk 0008, no workdays app),
migrating on hands the very rows, and their content types, to linli.workdays. The tables keep
their names; a fresh database (every other test) gets the same tables from service_desk 0001."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("service_desk", "0008_catalogue_guides"), ("workdays", None)]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([node for node in targets if node[1]]).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_move_keeps_its_calendar_rows():
    try:
        old = _migrate(BEFORE)
        old_day, old_year = (
            old.get_model("service_desk", "WorkCalendarDay"),
            old.get_model("service_desk", "WorkCalendarYear"),
        )
        old_day.objects.create(day=date(2027, 2, 7), is_workday=True, name="春节调休", source="admin")
        old_year.objects.update_or_create(year=2027, defaults={"source": "admin"})
        seeded = old_day.objects.count()
        ContentType.objects.get_or_create(app_label="service_desk", model="workcalendarday")
        ContentType.objects.filter(app_label="workdays").delete()
        with connection.cursor() as cursor:
            assert "service_desk_workcalendarday" in connection.introspection.table_names(cursor)

        new = _migrate(_latest())
        day, year = new.get_model("workdays", "WorkCalendarDay"), new.get_model("workdays", "WorkCalendarYear")
        # every row comes through: the install-time seed (2004–2026) when this test runs first, and
        # the admin's day (an earlier transactional test in the same run may have flushed the seed)
        assert day.objects.count() == seeded >= 1
        assert day.objects.get(day=date(2027, 2, 7)).name == "春节调休"
        assert year.objects.get(year=2027).source == "admin"
        assert ContentType.objects.filter(app_label="workdays", model="workcalendarday").exists()
        assert not ContentType.objects.filter(app_label="service_desk", model="workcalendarday").exists()
        with pytest.raises(LookupError):
            new.get_model("service_desk", "WorkCalendarDay")

        # and back: the desk owns the rows again, nothing lost
        old = _migrate(BEFORE)
        assert old.get_model("service_desk", "WorkCalendarDay").objects.count() == seeded
    finally:
        _migrate(_latest())
