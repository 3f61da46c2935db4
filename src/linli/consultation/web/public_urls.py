"""The public board (`/board/…`): readable by anyone, without logging in."""

from linli.consultation.web import board, burden, decisions, village

app_name = "board"
urlpatterns = [
    *board.public_urls,
    *decisions.public_urls,
    *village.public_urls,
    *burden.public_urls,
]
