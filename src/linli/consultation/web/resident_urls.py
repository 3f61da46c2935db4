"""Residents' pages of deliberation (`/my/consultation/…`): propose and support topics, comment,
vote, follow a decision and evaluate it."""

from django.urls import path

from linli.consultation.web import board, consultations, decisions, home, topics, village, voting

app_name = "consultation-resident"
urlpatterns = [
    path("", home.resident_home, name="home"),
    *topics.resident_urls,
    *consultations.resident_urls,
    *voting.resident_urls,
    *decisions.resident_urls,
    *village.resident_urls,
    *board.resident_urls,
]
