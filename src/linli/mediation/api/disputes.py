"""Safe community over JSON, stage disputes (`/api/v1/mediation/…`)."""

from ninja import Router

router = Router()
