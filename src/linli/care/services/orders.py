"""Care services, stage orders: writes (one transaction, checks, audit)."""

from __future__ import annotations
