from django.urls import path

from linli.timebank.web import staff

app_name = "timebank"
urlpatterns = [
    path("", staff.home, name="home"),
    path("exchanges/", staff.exchanges, name="exchanges"),
    path("exchanges/<uuid:public_id>/", staff.exchange, name="exchange"),
    path("accounts/", staff.accounts, name="accounts"),
    path("accounts/<uuid:holder>/", staff.account, name="account"),
    path("services/", staff.services, name="services"),
    path("expiry/", staff.expiry, name="expiry"),
    path("figures/", staff.figures, name="figures"),
]
