"""Social assistance: relief (no ORM)."""

from linli.core.errors import Msg

AUDIT_ACTIONS: dict[str, Msg] = {}
