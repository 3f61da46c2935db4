"""Safe community over JSON, stage support (`/api/v1/mediation/…`)."""

from ninja import Router

router = Router()
