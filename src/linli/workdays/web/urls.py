from django.urls import path

from linli.workdays.web import staff

app_name = "workdays"
urlpatterns = [
    path("calendar/", staff.calendar, name="calendar"),
    path("calendar/<int:year>/", staff.calendar, name="calendar-year"),
    path("calendar/<int:year>/schedule/", staff.schedule, name="calendar-schedule"),
]
