"""The Django admin lists the calendar read only: entries go through the page or the API, which
audit them and keep a year's statutory holidays when it is first entered."""

from datetime import date

from linli.workdays.models import WorkCalendarDay


def test_the_admin_lists_the_calendar_and_offers_no_edit(client, db, django_user_model):
    root = django_user_model.objects.create_superuser(username="root", password="x-Very-long-9", email="")
    client.force_login(root)
    days = client.get("/staff/admin/workdays/workcalendarday/?day__year=2026")
    assert days.status_code == 200
    page = days.content.decode()
    spring_festival = WorkCalendarDay.objects.get(day=date(2026, 2, 16))
    assert f"/staff/admin/workdays/workcalendarday/{spring_festival.pk}/change/" in page
    assert "chinese-calendar" in page
    assert client.get("/staff/admin/workdays/workcalendaryear/").status_code == 200
    assert client.get("/staff/admin/workdays/workcalendarday/add/").status_code == 403
    assert client.get("/staff/admin/service_desk/workcalendarday/").status_code == 404
