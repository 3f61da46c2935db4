from django.urls import path

from linli.timebank.web import resident

app_name = "my-timebank"
urlpatterns = [
    path("", resident.home, name="home"),
]
