"""The resident pool's part of the staff workbench: the home visits (走楼入户) that are the
worker's to make (overdue, due today, due this week, households unknown for a year), and people
in the header search (a name, an address, or an 18-digit ID number, exact and audited).
Registered in `ResidentsConfig.ready()`."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from linli.accounts.domain import RESIDENTS_VIEW, RESIDENTS_VISIT
from linli.core.actor import Actor
from linli.core.workbench import FIRST_ROWS, SearchGroup, SearchHit, SearchQuery, WorkCount, WorkRow, WorkSection
from linli.residents.selectors import plan_counts, resident_cards, resident_search, visit_plan
from linli.residents.services import resident_search_audit

SEARCH_LIMIT = 10


def visits_today(actor: Actor, today: date) -> WorkSection | None:
    if not actor.has_perm(RESIDENTS_VISIT):
        return None
    plan = visit_plan(actor=actor, today=today)
    counts = plan_counts(plan)
    url = reverse("portal:residents:plan")
    items = [
        WorkCount("visits.overdue", _("Visits overdue"), counts["overdue"], f"{url}#overdue", "danger"),
        WorkCount("visits.due_today", _("Visits due today"), counts["due_today"], f"{url}#due-today", "warn"),
        WorkCount("visits.this_week", _("Visits due this week"), counts["this_week"], f"{url}#this-week"),
        WorkCount("visits.awareness", _("Households not visited for a year"), counts["awareness"], f"{url}#unknown"),
    ]
    rows = [_plan_row(item) for item in plan if item.reason == "care"][:FIRST_ROWS]
    return WorkSection("visits", _("Door-to-door visits"), items, rows, more_url=url)


def _plan_row(item) -> WorkRow:
    if item.overdue:
        label, tone = _("overdue since %(day)s") % {"day": item.due.isoformat()}, "danger"
    elif item.due_today:
        label, tone = _("due today"), "warn"
    else:
        label, tone = _("due %(day)s") % {"day": item.due.isoformat()}, ""
    return WorkRow(
        title=str(item.household),
        detail="、".join(item.residents),
        url=f"{reverse('portal:residents:visit-new')}?household={item.household.public_id}",
        due=item.due,
        due_label=label,
        tone=tone,
    )


def residents_search(actor: Actor, query: SearchQuery) -> SearchGroup | None:
    """People by exact ID number (audited like the resident search), or by name or address."""
    if not actor.has_perm(RESIDENTS_VIEW) or query.kind == "bad_id_number" or not query.text.strip():
        return None
    text = query.id_number or query.text
    found = list(resident_search(actor=actor, q=text)[: SEARCH_LIMIT + 1])
    resident_search_audit(actor=actor, q=text, found=found)
    cards = resident_cards(actor=actor, residents=found[:SEARCH_LIMIT])
    hits = [
        SearchHit(
            title=card.fields.get("name", ""),
            detail=" · ".join(str(v) for v in (card.fields.get("id_number"), card.fields.get("address")) if v),
            url=reverse("portal:residents:resident", args=[card.public_id]),
        )
        for card in cards
    ]
    more = reverse("portal:residents:search") if len(found) > SEARCH_LIMIT else ""
    return SearchGroup("residents", _("Residents"), hits, more)
