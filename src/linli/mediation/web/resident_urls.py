"""Residents' pages of safe community (`/my/mediation/…`): apply for mediation and follow it,
慧评理 (reasoning a small dispute out), the public examples."""

from django.urls import path

from linli.mediation.web import disputes, home, reasoning, sessions

app_name = "mediation-resident"
urlpatterns = [
    path("", home.resident_home, name="home"),
    *disputes.resident_urls,
    *sessions.resident_urls,
    *reasoning.resident_urls,
]
