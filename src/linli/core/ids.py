"""Public identifiers: UUIDv7 (time-ordered, so new rows stay at the end of the index)."""

import os
import time
import uuid


def uuid7() -> uuid.UUID:
    millis = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (millis & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= ((rand >> 62) & 0xFFF) << 64
    value |= 0b10 << 62
    value |= rand & ((1 << 62) - 1)
    return uuid.UUID(int=value)


def uuid_or_none(value) -> uuid.UUID | None:
    """A public id from a URL, a form or JSON, or None when it is not one (the caller answers
    404, the same as for an id nobody has)."""
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError):
        return None
