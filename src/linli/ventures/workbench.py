"""Venture projects' part of the staff workbench: a panel member's applications to score; a
manager's calls past their deadline (or under review) to decide, milestones reported to accept
and milestones overdue; an organisation's milestones due within 30 days. Registered in
`VenturesConfig.ready()`. A fixed number of queries whatever the data size."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from linli.accounts.domain import VENTURES_APPLY, VENTURES_MANAGE, VENTURES_REVIEW
from linli.core.actor import Actor
from linli.core.workbench import FIRST_ROWS, WorkCount, WorkRow, WorkSection
from linli.ventures.selectors import (
    calls_to_decide,
    milestones_due,
    milestones_overdue,
    milestones_to_accept,
    org_ids_for,
    to_score,
)


def ventures_today(actor: Actor, today: date) -> WorkSection | None:
    counts: list[WorkCount] = []
    rows: list[WorkRow] = []
    home = reverse("portal:ventures:home")
    if actor.has_perm(VENTURES_REVIEW):
        pending = list(to_score(actor=actor)[: FIRST_ROWS + 1])
        if pending:
            counts.append(
                WorkCount("ventures.to_score", _("Applications to score"), to_score(actor=actor).count(), home, "info")
            )
            rows += [
                WorkRow(
                    a.title, f"{a.org_name} · {a.call.title}", reverse("portal:ventures:review", args=[a.public_id])
                )
                for a in pending[:FIRST_ROWS]
            ]
    if actor.has_perm(VENTURES_MANAGE):
        calls = list(calls_to_decide(actor=actor, today=today)[:FIRST_ROWS])
        overdue = milestones_overdue(actor=actor, today=today)
        projects = reverse("portal:ventures:projects")
        counts += [
            WorkCount(
                "ventures.to_decide",
                _("Calls to decide"),
                calls_to_decide(actor=actor, today=today).count(),
                home,
                "warn",
            ),
            WorkCount(
                "ventures.to_accept",
                _("Milestones to accept"),
                milestones_to_accept(actor=actor).count(),
                projects,
                "info",
            ),
            WorkCount("ventures.overdue", _("Milestones overdue"), overdue.count(), projects, "danger"),
        ]
        rows += [
            WorkRow(
                c.title,
                _("applications closed %(date)s") % {"date": f"{c.deadline:%Y-%m-%d}"},
                reverse("portal:ventures:call", args=[c.public_id]),
                due=c.deadline,
                tone="warn",
            )
            for c in calls
        ]
        rows += [_milestone_row(m, today) for m in overdue[:FIRST_ROWS]]
    elif actor.has_perm(VENTURES_APPLY) and org_ids_for(actor):
        due = list(milestones_due(actor=actor, today=today)[: FIRST_ROWS + 1])
        counts.append(
            WorkCount(
                "ventures.due",
                _("Milestones to report"),
                milestones_due(actor=actor, today=today).count(),
                reverse("portal:ventures:mine"),
                "warn",
            )
        )
        rows += [_milestone_row(m, today) for m in due[:FIRST_ROWS]]
    if not counts:
        return None
    return WorkSection("ventures", _("Venture projects"), counts, rows[:FIRST_ROWS], more_url=home)


def _milestone_row(milestone, today: date) -> WorkRow:
    late = milestone.due_on < today
    return WorkRow(
        milestone.project.title,
        milestone.title,
        reverse("portal:ventures:project", args=[milestone.project.public_id]),
        due=milestone.due_on,
        due_label=(_("overdue since %(date)s") if late else _("due %(date)s")) % {"date": f"{milestone.due_on:%m-%d}"},
        tone="danger" if late else "",
    )
