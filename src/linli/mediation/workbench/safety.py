"""Stage safety on the staff workbench: the community police officer's security events of the
week in their beat; "no drill this year yet" for the communities of a recorder's area; for the
street and above, the communities that missed a zero last month (first rows of each)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from linli.accounts.domain import SAFETY_FIGURES, SAFETY_POLICE, SAFETY_RECORD
from linli.core.actor import Actor
from linli.core.workbench import FIRST_ROWS, WorkCount, WorkRow, WorkSection, workbench_register
from linli.mediation.domain.four_zero import four_zero_definition, month_start
from linli.mediation.domain.safety import STREET_LEN
from linli.mediation.selectors import safety as sel


def _last_month(today: dt.date) -> dt.date:
    return month_start(month_start(today) - dt.timedelta(days=1))


def _security(actor: Actor, today: dt.date) -> tuple[list[WorkCount], list[WorkRow]]:
    monday = today - dt.timedelta(days=today.weekday())
    events = sel.security_events(actor=actor, since=monday, until=today)
    url = reverse("portal:mediation:safety-police")
    count = WorkCount("safety.security", _("Security events in your beat this week"), len(events), url, "warn")
    rows = [
        WorkRow(e.category.name if e.category else e.number, e.number, url, e.reported_at.date(), "", "warn")
        for e in events[:FIRST_ROWS]
    ]
    return [count], rows


def _no_drill(actor: Actor, today: dt.date) -> tuple[list[WorkCount], list[WorkRow]]:
    without = sel.communities_without_drill(actor=actor, year=today.year)
    url = reverse("portal:mediation:safety-drills")
    count = WorkCount("safety.no_drill", _("Communities with no drill this year yet"), len(without), url, "danger")
    rows = [WorkRow(name, _("No drill this year yet"), url, tone="danger") for _path, name in without[:FIRST_ROWS]]
    return [count], rows


def _missed(actor: Actor, today: dt.date) -> tuple[list[WorkCount], list[WorkRow]]:
    month = _last_month(today)
    missed = sel.communities_missed(actor=actor, month=month)
    url = f"{reverse('portal:mediation:safety-board')}?month={month:%Y-%m}"
    names = {z.key: z.zh for z in four_zero_definition().zeros()}
    count = WorkCount("safety.missed", _("Communities that missed a zero last month"), len(missed), url, "danger")
    rows = [
        WorkRow(name, "、".join(names[k] for k in keys), url, tone="danger")
        for _path, name, keys in missed[:FIRST_ROWS]
    ]
    return [count], rows


def safety_today(actor: Actor, today: dt.date) -> WorkSection | None:
    counts: list[WorkCount] = []
    rows: list[WorkRow] = []
    parts = []
    if actor.has_perm(SAFETY_POLICE):
        parts.append(_security)
    if actor.has_perm(SAFETY_RECORD):
        parts.append(_no_drill)
    # the street and above watch the zeros; a community sees its own on the board
    if actor.has_perm(SAFETY_FIGURES) and any(len(p) <= STREET_LEN for p in actor.scope_paths):
        parts.append(_missed)
    for part in parts:
        more_counts, more_rows = part(actor, today)
        counts += more_counts
        rows += more_rows
    if not any(c.count for c in counts):
        return None
    return WorkSection("mediation_safety", _("Community safety"), counts, rows[:FIRST_ROWS])


def register() -> None:
    workbench_register("mediation_safety", order=56, today=safety_today)
