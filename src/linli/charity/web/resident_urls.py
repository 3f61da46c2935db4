from django.urls import path

from linli.charity.web import resident

app_name = "giving"
urlpatterns = [
    path("", resident.home, name="home"),
    path("needs/<uuid:public_id>/", resident.need, name="need"),
    path("needs/<uuid:public_id>/help/", resident.help_need, name="help"),
    path("offer/", resident.offer, name="offer"),
    path("my/", resident.mine, name="my"),
    path("my/<uuid:public_id>/withdraw/", resident.withdraw, name="withdraw"),
    path("funds/<uuid:public_id>/", resident.fund, name="fund"),
]
