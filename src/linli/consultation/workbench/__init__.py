"""This app's contributions to the staff workbench (see `core.workbench`): one module per stage,
each with a `register()` that adds its today and search functions; all made in `ready()`."""

from __future__ import annotations

import importlib

STAGES = ("topics", "consultations", "voting", "decisions", "village", "board", "burden")


def consultation_register() -> None:
    for stage in STAGES:
        module = importlib.import_module(f"linli.consultation.workbench.{stage}")
        module.register()
