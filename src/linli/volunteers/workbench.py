"""Volunteers' part of the staff workbench (today): sign-ups to confirm, reported hours to approve
and activities today, for community workers and organisers. Registered in `VolunteersConfig.ready()`."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.domain import VOLUNTEER_MANAGE
from linli.core.actor import Actor
from linli.core.workbench import FIRST_ROWS, WorkCount, WorkRow, WorkSection
from linli.volunteers.selectors import activities_today, hours_to_approve, signups_to_confirm


def volunteers_today(actor: Actor, today: date) -> WorkSection | None:
    if not actor.has_perm(VOLUNTEER_MANAGE) or not actor.scope_paths:
        return None
    to_confirm = signups_to_confirm(actor=actor).count()
    to_approve = hours_to_approve(actor=actor).count()
    today_activities = activities_today(actor=actor, today=today)
    running = list(today_activities.order_by("starts_at")[:FIRST_ROWS])
    # the count is of every activity today, not of the first rows shown
    running_count = len(running) if len(running) < FIRST_ROWS else today_activities.count()
    home = reverse("portal:volunteers:home")
    counts = [
        WorkCount("volunteers.to_confirm", _("Sign-ups to confirm"), to_confirm, home, "info" if to_confirm else ""),
        WorkCount(
            "volunteers.to_approve",
            _("Reported hours to approve"),
            to_approve,
            reverse("portal:volunteers:hours"),
            "info" if to_approve else "",
        ),
        WorkCount("volunteers.today", _("Activities today"), running_count, home),
    ]
    rows = [
        WorkRow(
            title=activity.title,
            detail=f"{timezone.localtime(activity.starts_at):%H:%M}–{timezone.localtime(activity.ends_at):%H:%M} · "
            f"{activity.place}",
            url=reverse("portal:volunteers:activity", args=[activity.public_id]),
        )
        for activity in running
    ]
    return WorkSection("volunteers", _("Volunteers"), counts, rows, more_url=home)
