"""Care services over JSON, stage entitlements (added to `/api/v1/care/` in `api/__init__.py`)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["care"])
