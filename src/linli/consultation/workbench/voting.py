"""Stage voting on the staff workbench: consultations whose voting closes today, and those past
their closing time not yet counted (counts in one aggregate query, one query for the rows)."""

from __future__ import annotations

from linli.consultation.selectors.voting import voting_today
from linli.core.workbench import workbench_register


def register() -> None:
    workbench_register("consultation_voting", order=62, today=voting_today)
