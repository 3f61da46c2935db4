from django.urls import path

from linli.volunteers.web import staff

app_name = "volunteers"
urlpatterns = [
    path("", staff.home, name="home"),
]
