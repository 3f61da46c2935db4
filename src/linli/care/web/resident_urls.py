"""Resident pages of care services (`/my/care/…`, phone and elder mode first)."""

from django.urls import path

from linli.care.web import children, classes, entitlements, modifications, orders, resident, statements

app_name = "care-resident"
urlpatterns = [
    path("", resident.home, name="home"),
    *entitlements.resident_urls,
    *orders.resident_urls,
    *statements.resident_urls,
    *modifications.resident_urls,
    *children.resident_urls,
    *classes.resident_urls,
]
