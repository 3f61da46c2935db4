"""Safe community over JSON, stage screening (`/api/v1/mediation/…`)."""

from ninja import Router

router = Router()
