"""The deliberation API (`/api/v1/consultation/…`): one router per stage, mounted here."""

from ninja import Router

from linli.consultation.api import board, burden, consultations, decisions, topics, village, voting

router = Router(tags=["consultation"])
for stage in (topics, consultations, voting, decisions, village, board, burden):
    router.add_router("", stage.router)
