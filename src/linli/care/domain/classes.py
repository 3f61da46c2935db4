"""Care services, stage classes: vocabulary and rules with no ORM."""

from __future__ import annotations

from linli.core.errors import Msg

AUDIT_ACTIONS: dict[str, Msg] = {}
