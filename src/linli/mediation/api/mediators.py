"""Safe community over JSON, stage mediators (`/api/v1/mediation/…`)."""

from ninja import Router

router = Router()
