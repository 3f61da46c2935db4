from django.urls import path

from linli.charity.web import staff

app_name = "charity"
urlpatterns = [
    path("", staff.home, name="home"),
    path("needs/new/", staff.need_new, name="need-new"),
    path("needs/<uuid:public_id>/", staff.need, name="need"),
    path("needs/<uuid:public_id>/match/", staff.need_match, name="need-match"),
    path("needs/<uuid:public_id>/step/<str:action>/", staff.need_step, name="need-step"),
    path("matches/<uuid:public_id>/<str:action>/", staff.match_step, name="match-step"),
    path("deliveries/", staff.deliveries, name="deliveries"),
    path("offers/", staff.offers, name="offers"),
    path("offers/new/", staff.offer_new, name="offer-new"),
    path("offers/<uuid:public_id>/contact/", staff.offer_reveal, name="offer-contact"),
    path("funds/", staff.funds, name="funds"),
    path("funds/<uuid:public_id>/", staff.fund, name="fund"),
    path("requests/<uuid:public_id>/withdraw/", staff.request_drop, name="request-withdraw"),
    path("figures/", staff.figures_page, name="figures"),
]
