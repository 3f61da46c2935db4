from django.urls import path

from linli.charity.web import resident

app_name = "giving"
urlpatterns = [
    path("", resident.home, name="home"),
]
