from django.urls import path

from linli.timebank.web import staff

app_name = "timebank"
urlpatterns = [
    path("", staff.home, name="home"),
]
