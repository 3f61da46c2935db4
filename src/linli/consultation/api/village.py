"""API of stage village, under `/api/v1/consultation/`."""

from ninja import Router

router = Router(tags=["consultation"])
