"""Care services, stage children: writes (one transaction, checks, audit)."""

from __future__ import annotations
