from django.urls import path

from linli.charity.web import staff

app_name = "charity"
urlpatterns = [
    path("", staff.home, name="home"),
]
