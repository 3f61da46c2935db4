"""Staff pages of deliberation (`/staff/consultation/…`), one module per stage under `web/`."""

from django.urls import path

from linli.consultation.web import board, burden, consultations, decisions, home, topics, village, voting

app_name = "consultation"
urlpatterns = [
    path("", home.staff_home, name="home"),
    *topics.staff_urls,
    *consultations.staff_urls,
    *voting.staff_urls,
    *decisions.staff_urls,
    *village.staff_urls,
    *board.staff_urls,
    *burden.staff_urls,
]
