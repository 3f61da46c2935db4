from django.urls import path

from linli.timebank.web import resident

app_name = "my-timebank"
urlpatterns = [
    path("", resident.home, name="home"),
    path("exchange/", resident.exchange, name="exchange"),
    path("exchanges/<uuid:public_id>/cancel/", resident.cancel, name="cancel"),
    path("donate/", resident.donate, name="donate"),
]
