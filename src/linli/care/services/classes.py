"""Care services, stage classes: writes (one transaction, checks, audit)."""

from __future__ import annotations
