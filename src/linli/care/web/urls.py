"""Staff pages of care services (`/staff/care/…`), one module per stage under `web/`."""

from django.urls import path

from linli.care.web import children, classes, entitlements, modifications, orders, resident, statements

app_name = "care"
urlpatterns = [
    path("", resident.staff_home, name="home"),
    *entitlements.staff_urls,
    *orders.staff_urls,
    *statements.staff_urls,
    *modifications.staff_urls,
    *children.staff_urls,
    *classes.staff_urls,
]
