"""Care services, stage modifications: writes (one transaction, checks, audit)."""

from __future__ import annotations
