"""Social assistance's parts of the staff workbench, registered in `WelfareConfig.ready()`. Each
stage's scoped selector builds its section: applications waiting for the actor's step, the roll's
reviews and payrolls, temporary assistance and zero-employment follow-ups; and, for the city's
civil-affairs officer, the amounts still at the shipped example values."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from linli.core.actor import Actor
from linli.core.workbench import WorkCount, WorkSection, workbench_register
from linli.welfare.selectors.applications import applications_today
from linli.welfare.selectors.relief import relief_today
from linli.welfare.selectors.roll import roll_today
from linli.welfare.selectors.rules import welfare_rules_today


def rules_today(actor: Actor, today: date) -> WorkSection | None:
    figures = welfare_rules_today(actor=actor)
    if figures is None:
        return None
    url = reverse("portal:welfare:rules")
    counts = [
        WorkCount(
            "welfare.example_values",
            _("Amounts still at the shipped example values"),
            figures["example_values"],
            url,
            "warn" if figures["example_values"] else "",
        ),
        WorkCount("welfare.changes_upcoming", _("City changes taking effect later"), figures["changes_upcoming"], url),
    ]
    return WorkSection("welfare_rules", _("Assistance rules and amounts"), counts, more_url=url)


def welfare_register() -> None:
    workbench_register("welfare", order=30, today=applications_today)
    workbench_register("welfare_roll", order=31, today=roll_today)
    workbench_register("welfare_relief", order=32, today=relief_today)
    workbench_register("welfare_rules", order=33, today=rules_today)
