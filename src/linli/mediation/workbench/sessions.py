"""Stage sessions on the staff workbench: a mediator's sessions today and disputes due soon."""

from __future__ import annotations


def register() -> None:
    return None
