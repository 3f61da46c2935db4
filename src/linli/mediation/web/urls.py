"""Staff pages of safe community (`/staff/mediation/…`), one module per stage under `web/`."""

from django.urls import path

from linli.mediation.web import disputes, home, mediators, reasoning, safety, screening, sessions, support

app_name = "mediation"
urlpatterns = [
    path("", home.staff_home, name="home"),
    *disputes.staff_urls,
    *sessions.staff_urls,
    *mediators.staff_urls,
    *screening.staff_urls,
    *reasoning.staff_urls,
    *safety.staff_urls,
    *support.staff_urls,
]
