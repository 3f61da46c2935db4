"""Links from lower apps into deliberation: a recurring grid event put to the committees as a topic
(`grid_events.handoffs`), a micro-fund payment above its threshold put to consultation or to the
village procedure. Filled by stage topics."""

from __future__ import annotations


def handoffs_register() -> None:
    pass
