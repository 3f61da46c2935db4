"""The service desk's part of the staff workbench: the queues that are the actor's to work now
(online applications to take in, my cases, my unit's decisions, supplements received, due soon,
overdue) and open rectifications with their follow-up calls; and case numbers in the header
search. Registered in `ServiceDeskConfig.ready()`."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from linli.accounts.domain import DESK_ACCEPT, DESK_DECIDE, DESK_VIEW
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
from linli.service_desk.domain import RUNNING_STATES, CaseState
from linli.service_desk.selectors import (
    cases_by_number,
    cases_of_applicant,
    cases_to_do,
    queue_counts,
    rectification_counts,
)

SEARCH_LIMIT = 10


def _labels() -> dict[str, str]:
    return {
        "intake": _("Online applications to take in"),
        "mine": _("My open cases"),
        "unit": _("My unit decides"),
        "supplied": _("Supplements received"),
        "due_soon": _("Due soon"),
        "overdue": _("Overdue"),
    }


TONES = {"overdue": "danger", "due_soon": "warn", "supplied": "info", "intake": "info"}


def _queues_for(actor: Actor) -> tuple[str, ...]:
    queues: tuple[str, ...] = ()
    if actor.has_perm(DESK_ACCEPT):
        queues += ("intake", "mine")
    if actor.has_perm(DESK_DECIDE):
        queues += ("unit", "supplied")
    return (*queues, "due_soon", "overdue")


def desk_today(actor: Actor, today: date) -> WorkSection | None:
    if not actor.has_perm(DESK_VIEW):
        return None
    queues = _queues_for(actor)
    counts = queue_counts(actor=actor, queues=queues, today=today)
    base = reverse("portal:desk:queues")
    labels = _labels()
    items = [
        WorkCount(f"desk.{queue}", labels[queue], counts[queue], f"{base}?queue={queue}", TONES.get(queue, ""))
        for queue in queues
    ]
    rectifications = rectification_counts(actor=actor, today=today)
    items.append(
        WorkCount(
            "desk.rectifications",
            _("Rectifications and follow-up calls"),
            rectifications["open"],
            reverse("portal:desk:rectifications"),
            "danger" if rectifications["overdue"] else "",
        )
    )
    rows = [_case_row(case, today) for case in cases_to_do(actor=actor, today=today, limit=FIRST_ROWS)]
    return WorkSection("desk", _("Service desk"), items, rows, more_url=base)


def _case_row(case, today: date) -> WorkRow:
    running = case.state in RUNNING_STATES
    overdue = running and case.due_on is not None and case.due_on < today
    if case.state == CaseState.AWAITING_SUPPLEMENT:
        due_label = _("paused for a supplement")
    elif case.state == CaseState.DECIDED:
        due_label = _("decided: deliver the result")
    elif case.due_on is None:
        due_label = ""
    elif overdue:
        due_label = _("overdue since %(day)s") % {"day": case.due_on.isoformat()}
    elif case.due_on == today:
        due_label = _("due today")
    else:
        due_label = _("due %(day)s") % {"day": case.due_on.isoformat()}
    return WorkRow(
        title=_case_title(case),
        detail=f"{case.applicant_name} · {case.get_state_display()}",
        url=_case_url(case),
        due=case.due_on,
        due_label=due_label,
        tone="danger" if overdue else "warn" if running and case.due_on == today else "",
    )


def _case_title(case) -> str:
    return f"{case.number} · {case.item_version.title}"


def _case_url(case) -> str:
    return reverse("portal:desk:case", args=[case.public_id])


def desk_search(actor: Actor, query: SearchQuery) -> SearchGroup | None:
    """A case number (or part of one, from six characters) within the actor's scope."""
    text = query.text.strip().upper()
    wanted = query.kind not in {"id_number", "bad_id_number"} and len(text) >= 6 and any(c.isdigit() for c in text)
    if not actor.has_perm(DESK_VIEW) or not wanted:
        return None
    cases = cases_by_number(actor=actor, text=text, limit=SEARCH_LIMIT + 1)
    hits = [
        SearchHit(_case_title(case), f"{case.applicant_name} · {case.get_state_display()}", _case_url(case))
        for case in cases[:SEARCH_LIMIT]
    ]
    more = (
        f"{reverse('portal:desk:queues')}?{urlencode({'queue': 'all', 'q': text})}" if len(cases) > SEARCH_LIMIT else ""
    )
    return SearchGroup("desk", _("Service cases"), hits, more)


def desk_person(actor: Actor, person: PersonRef) -> SearchGroup | None:
    """The person's applications that the actor may see, newest first."""
    if not actor.has_perm(DESK_VIEW):
        return None
    cases = cases_of_applicant(actor=actor, applicant_ref=person.public_id, limit=SEARCH_LIMIT)
    hits = [
        SearchHit(_case_title(case), f"{case.submitted_at:%Y-%m-%d} · {case.get_state_display()}", _case_url(case))
        for case in cases
    ]
    return SearchGroup("desk", _("Service cases"), hits)
