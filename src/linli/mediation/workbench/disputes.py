"""Stage disputes on the staff workbench: today's counts and rows, and header-search answers."""

from __future__ import annotations


def register() -> None:
    return None
