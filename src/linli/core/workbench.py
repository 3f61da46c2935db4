"""The staff workbench's registries: what each app contributes to "Today" (工作台), to the one
search box in the staff header and to a person's page (their cases and reports).

The portal sits above every app and renders the workbench, but it must not know any app's
models. So each app registers, in its `AppConfig.ready()`, a *today* function (its counts and the
first rows of what is the actor's to do now) and a *search* function (its answers to the header
box). Both take the Actor and return plain dataclasses with translated text and links, built by
the app's own scoped selectors. A function returns nothing for an actor it has nothing for, so a
role sees only the sections of its work.

Each today function must run in a small, fixed number of queries whatever the data size (one
conditional aggregate for the counts, one query for the first rows): the home page pins the total.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from linli.core.actor import Actor

# how a count or row is shown: "" plain, "warn" due soon, "danger" overdue or returned
TONES = ("", "info", "warn", "danger")
FIRST_ROWS = 5  # rows shown under each section's counts


@dataclass(frozen=True)
class WorkCount:
    """One number on the workbench, linking to the queue that lists exactly those items."""

    key: str  # stable id, e.g. "desk.overdue" (tests and CSS hooks; never shown)
    label: str
    count: int
    url: str
    tone: str = ""


@dataclass(frozen=True)
class WorkRow:
    """One item to do now: what, where or for whom, when it is due."""

    title: str
    detail: str
    url: str
    due: date | None = None
    due_label: str = ""
    tone: str = ""


@dataclass(frozen=True)
class WorkSection:
    key: str
    title: str
    counts: list[WorkCount]
    rows: list[WorkRow] = field(default_factory=list)
    more_url: str = ""

    @property
    def total(self) -> int:
        return sum(c.count for c in self.counts)


@dataclass(frozen=True)
class SearchHit:
    title: str
    detail: str
    url: str


@dataclass(frozen=True)
class SearchGroup:
    key: str
    title: str
    hits: list[SearchHit]
    more_url: str = ""


@dataclass(frozen=True)
class SearchQuery:
    """The box's text, already classified once for every app (see `search_query_parse`)."""

    text: str
    kind: str  # "id_number", "bad_id_number", "digits", "text"
    id_number: str = ""


@dataclass(frozen=True)
class PersonRef:
    """Who a person page is about, as the other apps know them: the resident's public id (the
    desk's `applicant_ref`) and their resident account, if they have one (reports they made)."""

    public_id: str
    user_id: int | None = None


TodayFunction = Callable[[Actor, date], WorkSection | None]
SearchFunction = Callable[[Actor, SearchQuery], SearchGroup | None]
PersonFunction = Callable[[Actor, PersonRef], SearchGroup | None]


@dataclass(frozen=True)
class _Entry:
    order: int
    key: str
    today: TodayFunction | None
    search: SearchFunction | None
    person: PersonFunction | None


_REGISTRY: dict[str, _Entry] = {}


def workbench_register(
    key: str,
    *,
    order: int,
    today: TodayFunction | None = None,
    search: SearchFunction | None = None,
    person: PersonFunction | None = None,
) -> None:
    """Called from an app's `ready()`. Registering the same key again replaces the entry (Django
    may call `ready()` more than once in tests)."""
    _REGISTRY[key] = _Entry(order, key, today, search, person)


def _entries() -> list[_Entry]:
    return sorted(_REGISTRY.values(), key=lambda e: (e.order, e.key))


def _answers(kind: str, *args) -> list:
    """Call every app's function of one kind ("today", "search", "person"), in registry order,
    and keep what is not None."""
    answers = []
    for entry in _entries():
        function = getattr(entry, kind)
        if function is not None and (answer := function(*args)) is not None:
            answers.append(answer)
    return answers


def today_sections(*, actor: Actor, today: date) -> list[WorkSection]:
    """Every app's section for this actor; apps with nothing for them are left out."""
    return _answers("today", actor, today)


def search_groups(*, actor: Actor, query: SearchQuery) -> list[SearchGroup]:
    """Every app's answers to the header search; apps that found nothing are left out."""
    return [group for group in _answers("search", actor, query) if group.hits]


def person_groups(*, actor: Actor, person: PersonRef) -> list[SearchGroup]:
    """What each app holds about one person that this actor may see (their cases, their reports),
    for the person page. Empty groups are kept: "no cases" is worth saying there."""
    return _answers("person", actor, person)
