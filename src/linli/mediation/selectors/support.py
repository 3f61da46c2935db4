"""Reads of the restricted support cases. A case exists only for those who may read it: holders
of the permission its kind names (`domain.support.KIND_PERMISSION`) whose area covers the case's
community (`scope.area_q`: a police officer's beat), and the one staff worker assigned to it.
For everyone else — the lead's own filer included — it is missing: the same 404, an empty list,
no count, no search answer. A filer sees their receipts (number, day, "received") and nothing
more."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.accounts.domain import RESIDENT_ROLES
from linli.areas.selectors import unit_names
from linli.core.actor import Actor
from linli.core.crypto import unseal
from linli.core.errors import not_found
from linli.core.ids import uuid_or_none
from linli.core.workbench import SearchGroup, SearchHit, SearchQuery, WorkCount, WorkSection
from linli.mediation.domain.support import SupportKind, SupportState, kinds_opened_by
from linli.mediation.models import PoliceBeat, SupportCase
from linli.mediation.selectors.scope import area_covers, area_q

NAME_CONTEXT = "mediation.support.name"


def is_staff(actor: Actor) -> bool:
    """An account holding a staff role now (a resident's or a reasoner's posting is not one)."""
    return bool(set(actor.roles) - RESIDENT_ROLES)


def held_kinds(actor: Actor) -> list[str]:
    """The kinds the actor holds by permission (empty without a scope: a holder needs an area)."""
    if not (actor.scope_paths or actor.is_system):
        return []
    return kinds_opened_by(actor.permissions)


def may_hold(actor: Actor) -> bool:
    return bool(held_kinds(actor))


def holds(actor: Actor, kind: str, path: str) -> bool:
    """The actor holds this kind of case in this community (opens, assigns, closes, exports)."""
    return kind in held_kinds(actor) and area_covers(actor, path)


def support_scope_q(actor: Actor) -> Q:
    """The cases the actor may read: held kinds in their area, and the ones assigned to them."""
    q = Q(pk__in=[])
    kinds = held_kinds(actor)
    if kinds:
        q |= Q(kind__in=kinds) & area_q(actor)
    if actor.user_id is not None and is_staff(actor):
        q |= Q(assigned_id=actor.user_id)
    return q


def may_read_any(actor: Actor) -> bool:
    """Holds a kind, or is a staff account assigned to a case now: only for them do the list, the
    export and the API's list exist (anyone else gets a 404, never an empty count)."""
    if may_hold(actor):
        return True
    if actor.user_id is None or not is_staff(actor):
        return False
    return SupportCase.objects.filter(assigned_id=actor.user_id).exists()


def support_case_list(*, actor: Actor, kind: str = "", state: str = "") -> QuerySet[SupportCase]:
    """The cases the actor may read, newest first; filtered by kind and state when given."""
    if not (may_hold(actor) or (actor.user_id is not None and is_staff(actor))):
        return SupportCase.objects.none()
    cases = SupportCase.objects.filter(support_scope_q(actor))
    if kind in SupportKind.values:
        cases = cases.filter(kind=kind)
    if state in SupportState.values:
        cases = cases.filter(state=state)
    return cases.order_by("-opened_on", "-pk")


def held_case_list(*, actor: Actor, kind: str = "", state: str = "") -> QuerySet[SupportCase]:
    """Only the cases the actor holds (not those merely assigned to them): the unmasked export."""
    kinds = held_kinds(actor)
    if not kinds:
        return SupportCase.objects.none()
    return support_case_list(actor=actor, kind=kind, state=state).filter(Q(kind__in=kinds) & area_q(actor))


def support_case_get(*, actor: Actor, public_id, lock: bool = False) -> SupportCase:
    found = uuid_or_none(public_id)
    cases = support_case_list(actor=actor)
    if lock:
        cases = cases.select_for_update()
    case = cases.filter(public_id=found).first() if found else None
    if case is None:
        raise not_found("个案", "Case")
    return case


def support_case_by_number(*, actor: Actor, number: str) -> SupportCase | None:
    number = (number or "").strip().upper()
    if not number:
        return None
    return support_case_list(actor=actor).filter(number=number).first()


def mask_person(name: str) -> str:
    """The surname only, the rest hidden whatever its length (张**)."""
    name = (name or "").strip()
    return f"{name[0]}**" if name else "—"


@dataclass(frozen=True)
class SupportRow:
    """A line of the restricted list: no name in clear, no plan, no note."""

    public_id: str
    number: str
    kind: str
    kind_label: str
    path: str
    community: str
    person_masked: str
    state: str
    state_label: str
    opened_on: date
    until: date | None
    closed_on: date | None
    assigned_name: str


def support_rows(cases) -> list[SupportRow]:
    """Rows of a page of cases, with their communities' names (one query for the names)."""
    cases = list(cases)
    names = unit_names({c.path for c in cases})
    return [
        SupportRow(
            public_id=str(c.public_id),
            number=c.number,
            kind=c.kind,
            kind_label=c.get_kind_display(),
            path=c.path,
            community=names.get(c.path, c.path),
            person_masked=mask_person(unseal(c.person_name_sealed, context=NAME_CONTEXT)),
            state=c.state,
            state_label=c.get_state_display(),
            opened_on=c.opened_on,
            until=c.until,
            closed_on=c.closed_on,
            assigned_name=c.assigned_name,
        )
        for c in cases
    ]


# ---- the lead's filer --------------------------------------------------------------------------


@dataclass(frozen=True)
class Receipt:
    """What a lead's filer keeps: the number and when it was received. Nothing of the case."""

    number: str
    filed_at: datetime


def my_receipts(*, actor: Actor, limit: int = 20) -> list[Receipt]:
    if actor.user_id is None:
        return []
    rows = (
        SupportCase.objects.filter(filed_by_id=actor.user_id, kind=SupportKind.DOMESTIC_VIOLENCE)
        .order_by("-created_at", "-pk")
        .values_list("number", "created_at")[:limit]
    )
    return [Receipt(number, at) for number, at in rows]


def receipt_get(*, actor: Actor, number: str) -> Receipt:
    row = None
    if actor.user_id is not None:
        row = (
            SupportCase.objects.filter(filed_by_id=actor.user_id, number=number, kind=SupportKind.DOMESTIC_VIOLENCE)
            .values_list("number", "created_at")
            .first()
        )
    if row is None:
        raise not_found("回执", "Receipt")
    return Receipt(*row)


# ---- who is told ------------------------------------------------------------------------------


def beat_officer_ids(path: str, today: date) -> list[int]:
    """The police officers whose beat covers the community today."""
    beats = PoliceBeat.objects.filter(since__lte=today).filter(Q(until__isnull=True) | Q(until__gte=today))
    return sorted({user_id for user_id, beat in beats.values_list("user_id", "path") if path.startswith(beat)})


# ---- workbench and search ----------------------------------------------------------------------


def support_today(actor: Actor, today: date) -> WorkSection | None:
    """Open cases the actor may read, by kind: counts only (one query), for those who may read."""
    if not (may_hold(actor) or (actor.user_id is not None and is_staff(actor))):
        return None
    counted = dict(
        support_case_list(actor=actor, state=SupportState.OPEN)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    if not any(counted.values()):
        return None
    base = reverse("portal:mediation:support-list")
    counts = [
        WorkCount(f"support.{kind}", str(label), counted[kind], f"{base}?kind={kind}&state=open", "warn")
        for kind, label in SupportKind.choices
        if counted.get(kind)
    ]
    return WorkSection("mediation_support", _("Restricted support cases"), counts, [], base)


def support_search(actor: Actor, query: SearchQuery) -> SearchGroup | None:
    """A case by its exact number, only among the cases the actor may read (nothing else: a name
    or a place never finds a restricted case)."""
    text = query.text.strip().upper()
    if not text.startswith("BF"):
        return None
    case = support_case_by_number(actor=actor, number=text)
    if case is None:
        return None
    hit = SearchHit(
        case.number,
        f"{case.get_kind_display()} · {case.get_state_display()}",
        reverse("portal:mediation:support-case", args=[case.public_id]),
    )
    return SearchGroup("mediation_support", _("Restricted support cases"), [hit])
