"""Stage support on the staff workbench: open restricted cases by kind (counts only, for those who
may read them: holders in their area and the assigned worker) and a case found by its exact
number in the header search — only among the cases the searcher may read, so a name, a place or
another's number never finds one."""

from __future__ import annotations

from linli.core.workbench import workbench_register
from linli.mediation.selectors.support import support_search, support_today


def register() -> None:
    workbench_register("mediation_support", order=57, today=support_today, search=support_search)
