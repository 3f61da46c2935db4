from django.urls import path

from linli.ventures.web import staff

app_name = "ventures"
urlpatterns = [
    path("", staff.home, name="home"),
]
