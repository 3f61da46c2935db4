"""Safe community over JSON, stage sessions (`/api/v1/mediation/…`)."""

from ninja import Router

router = Router()
