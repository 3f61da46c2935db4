from django.urls import path

from linli.partners.web import staff

app_name = "partners"
urlpatterns = [
    path("", staff.home, name="home"),
]
