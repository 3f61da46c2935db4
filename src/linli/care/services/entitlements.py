"""Care services, stage entitlements: writes (one transaction, checks, audit)."""

from __future__ import annotations
