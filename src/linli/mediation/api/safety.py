"""Safe community over JSON, stage safety (`/api/v1/mediation/…`)."""

from ninja import Router

router = Router()
