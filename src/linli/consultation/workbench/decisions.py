"""Stage decisions on the staff workbench: consultations with overdue implementation tasks, and
decisions whose tasks are all done, ready to complete (counts in one aggregate query, one query
for the rows)."""

from __future__ import annotations

from linli.consultation.selectors.decisions import decisions_today
from linli.core.workbench import workbench_register


def register() -> None:
    workbench_register("consultation_decisions", order=63, today=decisions_today)
