"""Reads of stage board: conventions and notices for staff (scoped, one 404 for missing and
forbidden), and the public board, which needs no actor: anyone may read a community's or
village's notices showing today and its conventions in force, never a draft or a withdrawn
notice."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet, Value

from linli.accounts.domain import CONSULT_MANAGE, CONSULT_VIEW
from linli.areas.models import OrgUnit
from linli.areas.selectors import district_units, org_unit_by_path, unit_names, units_under
from linli.consultation.domain.board import (
    BOARD_KIND_ORDER,
    EXPIRING_DAYS,
    NoticeKind,
    VersionState,
    notice_status,
)
from linli.consultation.models import BoardNotice, Consultation, Convention, ConventionVersion, VillageMatter
from linli.consultation.selectors.scope import COMMUNITY_LEN, area_q
from linli.core.actor import Actor
from linli.core.errors import not_found

BOARD_UNIT_KINDS = ("community", "village")
FIND_LIMIT = 50  # names a search answers at most
PUBLIC_STATES = (VersionState.ADOPTED, VersionState.SUPERSEDED, VersionState.CONSULTING)


# ---------------------------------------------------------------- conventions (staff)


def _may_read(actor: Actor) -> bool:
    return actor.has_perm(CONSULT_VIEW) or actor.has_perm(CONSULT_MANAGE)


def convention_list(*, actor: Actor, path: str = "") -> QuerySet[Convention]:
    """The conventions of the actor's area (a community or street prefix narrows it), each with
    its version in force and its open draft, if any, as `in_force` and `open_version` numbers."""
    if not _may_read(actor):
        return Convention.objects.none()
    rows = Convention.objects.filter(area_q(actor))
    if path.isdigit():
        rows = rows.filter(path__startswith=path)
    return rows.prefetch_related("versions").order_by("path", "kind", "pk")


def convention_get(*, actor: Actor, public_id: UUID | str) -> Convention:
    found = convention_list(actor=actor).filter(public_id=public_id).first()
    if found is None:
        raise not_found("公约章程", "Convention")
    return found


def version_get(convention: Convention, number: int) -> ConventionVersion:
    found = next((v for v in convention.versions.all() if v.version == number), None)
    if found is None:
        raise not_found("版本", "Version")
    return found


def convention_in_force(convention: Convention) -> ConventionVersion | None:
    return next((v for v in convention.versions.all() if v.state == VersionState.ADOPTED), None)


def convention_open_version(convention: Convention) -> ConventionVersion | None:
    """The draft being written or consulted on (at most one)."""
    open_states = (VersionState.DRAFT, VersionState.CONSULTING)
    return next((v for v in convention.versions.all() if v.state in open_states), None)


# ---------------------------------------------------------------- notices (staff)


@dataclass
class ManagedBoard:
    """A community's board as its managers see it: every notice, in its column."""

    path: str
    name: str
    showing: list = field(default_factory=list)
    upcoming: list = field(default_factory=list)
    expired: list = field(default_factory=list)
    withdrawn: list = field(default_factory=list)


def board_units(*, actor: Actor) -> list[tuple[str, str]]:
    """(path, name) of the communities and villages whose boards the actor may read."""
    if not _may_read(actor):
        return []
    found: dict[str, str] = {}
    for root in actor.scope_paths:
        if len(root) >= COMMUNITY_LEN:
            found |= {p: n for p, n in unit_names([root[:COMMUNITY_LEN]]).items()}
        else:
            found |= {p: n for p, n, _ in units_under(under=root, kinds=BOARD_UNIT_KINDS)}
    return sorted(found.items())


def board_unit(*, actor: Actor, path: str) -> str:
    """The name of a community or village in the actor's area; one 404 otherwise."""
    unit = org_unit_by_path(path) if len(path) == COMMUNITY_LEN else None
    if unit is None or unit.kind not in BOARD_UNIT_KINDS or not _may_read(actor) or not actor.sees_path(path):
        raise not_found("社区", "Community")
    return unit.name


def board_managed(*, actor: Actor, path: str, today: dt.date) -> ManagedBoard:
    board = ManagedBoard(path, board_unit(actor=actor, path=path))
    for notice in BoardNotice.objects.filter(path=path).order_by("-public_from", "-pk"):
        status = notice_status(notice.public_from, notice.public_until, notice.withdrawn_at is not None, today)
        getattr(board, status).append(notice)
    return board


def notice_get(*, actor: Actor, public_id: UUID | str) -> BoardNotice:
    found = None
    if _may_read(actor):
        found = BoardNotice.objects.filter(area_q(actor), public_id=public_id).first()
    if found is None:
        raise not_found("公开事项", "Notice")
    return found


def notice_list(*, actor: Actor, path: str = "") -> QuerySet[BoardNotice]:
    """The notices of the actor's area, newest first (the API's list)."""
    if not _may_read(actor):
        return BoardNotice.objects.none()
    rows = BoardNotice.objects.filter(area_q(actor))
    if path.isdigit():
        rows = rows.filter(path__startswith=path)
    return rows.order_by("-public_from", "-pk")


# ---------------------------------------------------------------- the workbench


@dataclass(frozen=True)
class WorkItem:
    what: str  # "expiring" or "consulting"
    title: str
    day: dt.date | None
    public_id: UUID
    path: str


def board_work(*, actor: Actor, today: dt.date) -> list[WorkItem]:
    """For the two committees: notices coming down within EXPIRING_DAYS and convention drafts
    under consultation, in one query (a union), soonest first."""
    if not actor.has_perm(CONSULT_MANAGE):
        return []
    until = today + dt.timedelta(days=EXPIRING_DAYS)
    expiring = (
        BoardNotice.objects.filter(area_q(actor), withdrawn_at__isnull=True, public_from__lte=today)
        .filter(public_until__gte=today, public_until__lte=until)
        .annotate(what=Value("expiring"))
        .values_list("what", "title", "public_until", "public_id", "path")
        .order_by()
    )
    consulting = (
        ConventionVersion.objects.filter(area_q(actor, "convention__path"), state=VersionState.CONSULTING)
        .annotate(what=Value("consulting"))
        .values_list("what", "convention__title", "adopted_on", "convention__public_id", "convention__path")
        .order_by()
    )
    items = [WorkItem(*row) for row in expiring.union(consulting, all=True).order_by()]
    return sorted(items, key=lambda i: (i.what != "expiring", i.day or dt.date.max, i.title))


# ---------------------------------------------------------------- the public board (no actor)


@dataclass
class PublicBoard:
    path: str
    name: str
    unit_kind: str
    parents: list[tuple[str, str]]  # (path, name) of its district and street
    by_kind: list[tuple[str, list]]  # (kind, notices showing) in the board's order

    @property
    def groups(self) -> list[tuple[Any, list]]:
        """(kind label, notices) for pages."""
        labels = dict(NoticeKind.choices)
        return [(labels[kind], notices) for kind, notices in self.by_kind]

    conventions: list[tuple[Convention, ConventionVersion]]  # with the version in force


def public_unit(path: str):
    """A community or village of the tree, for the public board; one 404 otherwise."""
    unit = org_unit_by_path(path) if len(path) == COMMUNITY_LEN and path.isdigit() else None
    if unit is None or unit.kind not in BOARD_UNIT_KINDS:
        raise not_found("社区", "Community")
    return unit


def notices_showing(path: str, today: dt.date) -> QuerySet[BoardNotice]:
    return (
        BoardNotice.objects.filter(path=path, withdrawn_at__isnull=True, public_from__lte=today)
        .filter(Q(public_until__isnull=True) | Q(public_until__gte=today))
        .order_by("-public_from", "-pk")
    )


def conventions_in_force(path: str) -> list[tuple[Convention, ConventionVersion]]:
    versions = ConventionVersion.objects.filter(convention__path=path, state=VersionState.ADOPTED)
    return [(v.convention, v) for v in versions.select_related("convention").order_by("convention__kind", "pk")]


def public_board(path: str, today: dt.date) -> PublicBoard:
    """What the board of a community or village shows today: notices grouped by kind, and the
    conventions in force. Anonymous readers: only authored text, no person's name."""
    unit = public_unit(path)
    by_kind: dict[str, list] = {}
    for notice in notices_showing(path, today):
        by_kind.setdefault(notice.kind, []).append(notice)
    groups = [(k, by_kind[k]) for k in BOARD_KIND_ORDER if k in by_kind]
    names = unit_names([path[:6], path[:9]])
    parents = [(p, names[p]) for p in (path[:6], path[:9]) if p in names]
    return PublicBoard(path, unit.name, unit.kind, parents, groups, conventions_in_force(path))


def public_convention(public_id: UUID | str) -> tuple[Convention, list[ConventionVersion]]:
    """A convention with its public versions (in force, earlier ones, the draft under
    consultation); one 404 for a convention with none yet."""
    convention = Convention.objects.filter(public_id=public_id).first()
    if convention is None:
        raise not_found("公约章程", "Convention")
    versions = list(convention.versions.filter(state__in=PUBLIC_STATES).order_by("-version"))
    if not versions:
        raise not_found("公约章程", "Convention")
    return convention, versions


def find_units(q: str) -> list[tuple[str, str, str]]:
    """(path, name, parent street's name) of communities and villages whose name holds `q`."""
    q = q.strip()
    if not q:
        return []
    rows = list(
        OrgUnit.objects.filter(kind__in=BOARD_UNIT_KINDS, is_active=True, name__contains=q)
        .order_by("path")
        .values_list("path", "name")[:FIND_LIMIT]
    )
    streets = unit_names({p[:9] for p, _ in rows})
    return [(p, n, streets.get(p[:9], "")) for p, n in rows]


def find_children(path: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """For browsing district → street → community: the chosen path's trail (path, name) and its
    children (the city's districts when no path is chosen)."""
    if not path.isdigit() or len(path) not in (6, 9):
        kinds: tuple[str, ...] = ("district",)
        under = ""
    else:
        kinds = ("street",) if len(path) == 6 else BOARD_UNIT_KINDS
        under = path
    children = [(p, n) for p, n, _ in units_under(under=under, kinds=kinds)] if under else _districts()
    trail_paths = [path[:6], path[:9]][: (1 if len(path) == 6 else 2)] if under else []
    names = unit_names(trail_paths)
    return [(p, names[p]) for p in trail_paths if p in names], children


def _districts() -> list[tuple[str, str]]:
    return list(district_units().order_by("path").values_list("path", "name"))


def names_of(paths) -> dict[str, str]:
    """Names of communities and villages by path (for lists that show several)."""
    return unit_names(paths)


def consultation_choices(path: str) -> list[tuple[str, str]]:
    """(public id, number and title) of the community's consultations a draft may be put to."""
    rows = Consultation.objects.filter(path=path).exclude(state="cancelled").order_by("-created_at")
    return [
        (str(pid), f"{number} {title}") for pid, number, title in rows.values_list("public_id", "number", "title")[:50]
    ]


def matter_choices(path: str) -> list[tuple[str, str]]:
    """(public id, number and title) of a village's major matters (for its village rules)."""
    rows = VillageMatter.objects.filter(path=path).exclude(state="withdrawn").order_by("-created_at")
    return [
        (str(pid), f"{number} {title}") for pid, number, title in rows.values_list("public_id", "number", "title")[:50]
    ]
