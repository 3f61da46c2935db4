from django.urls import path

from linli.volunteers.web import resident

app_name = "volunteer"
urlpatterns = [
    path("", resident.home, name="home"),
]
