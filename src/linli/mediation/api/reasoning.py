"""Safe community over JSON, stage reasoning (`/api/v1/mediation/…`)."""

from ninja import Router

router = Router()
