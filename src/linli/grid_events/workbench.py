"""Grid events' part of the staff workbench: each role's working queues (a community registers,
re-dispatches what departments returned and verifies; a grid worker verifies on site; a
department accepts, handles and checks in when summoned), overdue events, supervision notices to
answer; and event numbers and addresses in the header search. Registered in
`GridEventsConfig.ready()`."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.domain import GRID_HANDLE, GRID_REGISTER, GRID_SUPERVISE, GRID_VERIFY, GRID_VIEW, is_department_only
from linli.core.actor import Actor
from linli.core.workbench import (
    FIRST_ROWS,
    PersonRef,
    SearchGroup,
    SearchHit,
    SearchQuery,
    WorkCount,
    WorkRow,
    WorkSection,
)
from linli.grid_events.selectors import (
    check_ins_due,
    event_queue_counts,
    event_search,
    events_reported_by,
    events_to_do,
    is_overdue,
)

SEARCH_LIMIT = 10
TONES = {"overdue": "danger", "returned": "danger", "supervised": "warn", "to_register": "info", "pending": "info"}


def _labels() -> dict[str, str]:
    return {
        "to_register": _("Reports to register"),
        "returned": _("Returned by departments"),
        "to_dispatch": _("To dispatch"),
        "to_verify": _("To verify on site"),
        "pending": _("Tasks to accept"),
        "handling": _("Tasks being handled"),
        "in_progress": _("With departments"),
        "supervised": _("Supervision notices to answer"),
        "overdue": _("Overdue"),
    }


def _queues_for(actor: Actor) -> tuple[str, ...]:
    """The queues that are this role's to work, in the order a worker takes them."""
    if is_department_only(actor):
        return ("pending", "handling", "supervised", "overdue")
    if actor.has_perm(GRID_REGISTER):
        return ("to_register", "returned", "to_dispatch", "to_verify", "supervised", "overdue")
    if actor.has_perm(GRID_VERIFY):
        return ("to_verify", "overdue")
    if actor.has_perm(GRID_SUPERVISE):  # district, city, auditors: totals to watch
        return ("in_progress", "overdue")
    return ()


def grid_today(actor: Actor, today: date) -> WorkSection | None:
    queues = _queues_for(actor)
    if not actor.has_perm(GRID_VIEW) or not queues:
        return None
    counts = event_queue_counts(actor=actor, queues=queues)
    board = reverse("portal:grid:board")
    labels = _labels()
    items = [
        WorkCount(f"grid.{queue}", labels[queue], counts[queue], f"{board}?queue={queue}", TONES.get(queue, ""))
        for queue in queues
    ]
    if actor.has_perm(GRID_HANDLE) and actor.department_ids:
        due = check_ins_due(actor=actor)
        items.insert(2, WorkCount("grid.check_ins", _("Check-ins due"), due, reverse("portal:grid:whistles"), "warn"))
    working = tuple(q for q in queues if q not in {"in_progress"}) or queues
    now = timezone.now()
    rows = [_event_row(event, now) for event in events_to_do(actor=actor, queues=working, limit=FIRST_ROWS)]
    return WorkSection("grid", _("Grid events"), items, rows, more_url=board)


def _event_row(event, now) -> WorkRow:
    overdue = is_overdue(event, now)
    due = timezone.localtime(event.stage_due_at) if event.stage_due_at else None
    if due is None:
        label = ""
    elif overdue:
        label = _("overdue since %(time)s") % {"time": due.strftime("%m-%d %H:%M")}
    else:
        label = _("due %(time)s") % {"time": due.strftime("%m-%d %H:%M")}
    return WorkRow(
        title=_event_title(event),
        detail=f"{event.address or event.description[:40]} · {event.get_state_display()}",
        url=_event_url(event),
        due=due.date() if due else None,
        due_label=label,
        tone="danger" if overdue else "",
    )


def _event_title(event) -> str:
    category = event.category.name if event.category else _("Not yet classified")
    return f"{event.number} · {category}"


def _event_url(event) -> str:
    return reverse("portal:grid:event", args=[event.number])


def grid_search(actor: Actor, query: SearchQuery) -> SearchGroup | None:
    """An event number (from six characters) or words of an address, within the actor's scope."""
    text = query.text.strip()
    if not actor.has_perm(GRID_VIEW) or query.kind in {"id_number", "bad_id_number"} or len(text) < 2:
        return None
    found = event_search(actor=actor, text=text, limit=SEARCH_LIMIT + 1)
    hits = [
        SearchHit(_event_title(event), f"{event.address} · {event.get_state_display()}", _event_url(event))
        for event in found[:SEARCH_LIMIT]
    ]
    more = (
        f"{reverse('portal:grid:board')}?{urlencode({'queue': 'all', 'q': text})}" if len(found) > SEARCH_LIMIT else ""
    )
    return SearchGroup("grid", _("Grid events"), hits, more)


def grid_person(actor: Actor, person: PersonRef) -> SearchGroup | None:
    """Problems the person reported from their resident account (随手拍), as far as the actor sees."""
    if not actor.has_perm(GRID_VIEW) or person.user_id is None:
        return None
    events = events_reported_by(actor=actor, user_id=person.user_id, limit=SEARCH_LIMIT)
    hits = [
        SearchHit(
            _event_title(event),
            f"{timezone.localtime(event.reported_at):%Y-%m-%d} · {event.get_state_display()}",
            _event_url(event),
        )
        for event in events
    ]
    return SearchGroup("grid", _("Problems reported"), hits)
