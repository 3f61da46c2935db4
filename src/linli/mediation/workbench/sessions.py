"""Stage sessions on the staff workbench: a mediator's sessions today, disputes due within five
days and overdue (two queries); for intake staff, the area's disputes past their time limit and
agreements whose performance date has passed with no follow-up since (three queries)."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.domain import MEDIATION_INTAKE, MEDIATION_MEDIATE
from linli.core.actor import Actor
from linli.core.workbench import FIRST_ROWS, WorkCount, WorkRow, WorkSection, workbench_register
from linli.mediation.selectors import sessions as sel


def mediator_today(actor: Actor, today: date) -> WorkSection | None:
    if not actor.has_perm(MEDIATION_MEDIATE):
        return None
    sessions = sel.sessions_today(actor=actor, today=today)
    overdue, soon = sel.mediator_due(actor=actor, today=today)
    if not (sessions or overdue or soon):
        return None
    base = reverse("portal:mediation:sessions-my")
    rows = [
        WorkRow(
            f"{timezone.localtime(s.starts_at):%H:%M} {s.dispute_title}",
            s.place,
            reverse("portal:mediation:sessions-my-dispute", args=[s.dispute_number]),
            today,
            _("Session today"),
            "info",
        )
        for s in sessions
    ]
    rows += [
        WorkRow(
            d.title,
            d.number,
            reverse("portal:mediation:sessions-my-dispute", args=[d.number]),
            d.due_on,
            _("Mediation time limit"),
            "danger",
        )
        for d in overdue
    ]
    return WorkSection(
        "mediation_sessions",
        _("My mediation cases"),
        [
            WorkCount("sessions.today", _("Mediation sessions today"), len(sessions), base, "info"),
            WorkCount("sessions.due", _("Disputes due within five days"), len(soon), base, "warn"),
            WorkCount("sessions.overdue", _("Disputes past their time limit"), len(overdue), base, "danger"),
        ],
        rows[:FIRST_ROWS],
        base,
    )


def follow_ups_today(actor: Actor, today: date) -> WorkSection | None:
    """For intake staff: the area's disputes past their time limit, and agreements whose
    performance date passed with no follow-up since (the first of them as rows)."""
    if not actor.has_perm(MEDIATION_INTAKE):
        return None
    overdue = sel.overdue_disputes(actor=actor, today=today).count()
    due = sel.follow_ups_due(actor=actor, today=today)
    count = due.count()
    if not (count or overdue):
        return None
    rows = [
        WorkRow(
            d.title,
            d.number,
            reverse("portal:mediation:dispute", args=[d.number]) + "#sessions",
            d.agreement.perform_by,
            _("Perform by"),
            "warn",
        )
        for d in (due[:FIRST_ROWS] if count else [])
    ]
    base = reverse("portal:mediation:dispute-list")
    return WorkSection(
        "mediation_follow_ups",
        _("Mediation time limits and follow-ups"),
        [
            WorkCount(
                "sessions.overdue_area", _("Disputes past their time limit"), overdue, f"{base}?overdue=1", "danger"
            ),
            WorkCount(
                "sessions.follow_up",
                _("Agreements past their performance date, not followed up"),
                count,
                reverse("portal:mediation:sessions-follow-ups"),
                "warn",
            ),
        ],
        rows,
        reverse("portal:mediation:sessions-follow-ups"),
    )


def register() -> None:
    workbench_register("mediation_sessions", order=51, today=mediator_today)
    workbench_register("mediation_follow_ups", order=52, today=follow_ups_today)
