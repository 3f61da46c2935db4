"""Care services, stage statements: writes (one transaction, checks, audit)."""

from __future__ import annotations
