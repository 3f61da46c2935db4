"""Care services, stage children: reads, scoped by the actor's paths, failing closed.

The children are the pool's (`care_people_in_groups`); this stage joins what it keeps (guardian,
director, last visit) in a fixed number of queries whatever the list's length. Harm cases are read
only by CARE_PROTECT holders of the child's area: for anyone else they do not exist."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import TypedDict

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.domain import (
    CARE_CHILDREN,
    CARE_FIGURES,
    CARE_LIST_EDIT,
    CARE_MANAGE,
    CARE_PROTECT,
    FACILITY_VIEW,
)
from linli.areas.selectors import unit_names, units_under
from linli.care.domain.children import (
    CHILD_KINDS,
    CHILDREN_HOME,
    COMMUNITY_LEN,
    COVERAGE_GOAL,
    DEFAULT_INTERVALS,
    HOME_GOAL,
    PROTECTION_STATION,
    STATION_GOAL,
    STREET_LEN,
    ChildVisitStatus,
    DirectorRole,
    HarmState,
    covered,
    strictest_interval,
    visit_due,
)
from linli.care.domain.targets import Target
from linli.care.models import (
    ChildCare,
    ChildDirector,
    ChildFacilityActivity,
    ChildFacilityOpening,
    ChildVisit,
    ChildVisitRule,
    HarmReport,
)
from linli.core.actor import Actor
from linli.core.errors import not_found
from linli.core.ids import uuid_or_none
from linli.core.workbench import FIRST_ROWS, WorkCount, WorkRow, WorkSection
from linli.facilities.selectors import facility_list
from linli.residents.domain import CareKind
from linli.residents.selectors import CarePerson, care_people_in_groups, care_person

FACILITY_KINDS = (CHILDREN_HOME, PROTECTION_STATION)


def may_see_children(actor: Actor) -> bool:
    return actor.has_perm(CARE_CHILDREN) and bool(actor.scope_paths)


def may_see_figures(actor: Actor) -> bool:
    return (actor.has_perm(CARE_CHILDREN) or actor.has_perm(CARE_FIGURES)) and bool(actor.scope_paths)


def may_protect(actor: Actor) -> bool:
    return actor.has_perm(CARE_PROTECT) and bool(actor.scope_paths)


def may_appoint(actor: Actor, path: str) -> bool:
    """The street (or above) appoints directors: CARE_CHILDREN or CARE_MANAGE held at a unit above
    the community, seeing it."""
    if not (actor.has_perm(CARE_CHILDREN) or actor.has_perm(CARE_MANAGE)):
        return False
    return any(path.startswith(p) and len(p) < len(path) for p in actor.scope_paths)


def may_edit_rules(actor: Actor) -> bool:
    return actor.has_perm(CARE_LIST_EDIT) and bool(actor.scope_paths)


def visit_intervals() -> dict[str, int]:
    """Days between visits per group: the defaults, overridden by the editable rules."""
    rules = dict(DEFAULT_INTERVALS)
    rules.update(dict(ChildVisitRule.objects.values_list("kind", "interval_days")))
    return rules


# ---- the lists ---------------------------------------------------------------------------------


@dataclass
class ChildRow:
    person: CarePerson
    care: ChildCare | None
    director: ChildDirector | None
    interval: int
    last_visit: date | None
    due: date
    status: str
    community_name: str = ""

    @property
    def public_id(self) -> str:
        return self.person.public_id

    @property
    def has_guardian(self) -> bool:
        return bool(self.care and self.care.guardian_name)

    @property
    def flagged(self) -> bool:
        """Red on the list: no guardian or no director recorded."""
        return not self.has_guardian or self.director is None

    @property
    def overdue(self) -> bool:
        return self.status in (ChildVisitStatus.OVERDUE, ChildVisitStatus.NEVER)

    @property
    def status_label(self) -> str:
        return str(ChildVisitStatus(self.status).label)

    @property
    def groups(self) -> list[str]:
        return [str(CareKind(k).label) for k in self.person.care_kinds if k in CHILD_KINDS]


def _last_visits(refs: list[str]) -> dict[str, date]:
    if not refs:
        return {}
    rows = ChildVisit.objects.filter(child_ref__in=refs).values("child_ref").annotate(last=Max("visited_on"))
    return {str(r["child_ref"]): r["last"] for r in rows}


def active_directors(paths, role: str = DirectorRole.DIRECTOR) -> dict[str, ChildDirector]:
    rows = ChildDirector.objects.filter(path__in=set(paths), role=role, ends_on__isnull=True)
    return {d.path: d for d in rows}


def children_rows(
    *, actor: Actor, today: date, under: str = "", status: str = "", flagged: bool = False, q: str = ""
) -> list[ChildRow]:
    """The children on the lists in the actor's scope with guardian, director and visit status
    (seven queries whatever the count)."""
    if not may_see_children(actor):
        return []
    people = care_people_in_groups(actor=actor, kinds=CHILD_KINDS, under=under if under.isdigit() else "")
    if q:
        people = [p for p in people if q in p.name]
    refs = [p.public_id for p in people]
    cares = {str(c.child_ref): c for c in ChildCare.objects.filter(child_ref__in=refs)} if refs else {}
    lasts = _last_visits(refs)
    communities = {p.path[:COMMUNITY_LEN] for p in people}
    directors = active_directors(communities)
    names = unit_names(communities)
    rules = visit_intervals()
    rows = []
    for p in people:
        interval = strictest_interval(p.care_kinds, rules)
        last = lasts.get(p.public_id)
        due, state = visit_due(last, interval, today)
        community = p.path[:COMMUNITY_LEN]
        rows.append(
            ChildRow(
                p,
                cares.get(p.public_id),
                directors.get(community),
                interval,
                last,
                due,
                state,
                names.get(community, ""),
            )
        )
    if status == "overdue":
        rows = [r for r in rows if r.overdue]
    elif status:
        rows = [r for r in rows if r.status == status]
    if flagged:
        rows = [r for r in rows if r.flagged]
    return sorted(rows, key=lambda r: (not r.overdue, r.due, r.person.path, r.person.name))


@dataclass
class ChildDetail:
    row: ChildRow
    visits: list[ChildVisit]


def child_on_lists(actor: Actor, child_ref) -> CarePerson:
    person = care_person(actor=actor, public_id=child_ref) if may_see_children(actor) else None
    if person is None or not set(person.care_kinds) & set(CHILD_KINDS):
        raise not_found("儿童", "Child")
    return person


def child_get(*, actor: Actor, child_ref, today: date) -> ChildDetail:
    """A child on the lists in the actor's scope, with their visits (missing and outside: 404)."""
    person = child_on_lists(actor, child_ref)
    community = person.path[:COMMUNITY_LEN]
    visits = list(ChildVisit.objects.filter(child_ref=person.public_id)[:20])
    last = visits[0].visited_on if visits else None
    interval = strictest_interval(person.care_kinds, visit_intervals())
    due, state = visit_due(last, interval, today)
    care = ChildCare.objects.filter(child_ref=person.public_id).first()
    director = active_directors([community]).get(community)
    names = unit_names([community])
    row = ChildRow(person, care, director, interval, last, due, state, names.get(community, ""))
    return ChildDetail(row=row, visits=visits)


def child_for_report(*, actor: Actor, child_ref) -> CarePerson:
    """Any child (under 18) of the pool in the actor's scope, for a harm report."""
    person = care_person(actor=actor, public_id=child_ref) if may_see_children(actor) else None
    if person is None or person.age_on(timezone.localdate()) >= 18:
        raise not_found("儿童", "Child")
    return person


# ---- coverage ----------------------------------------------------------------------------------


@dataclass
class CoverageRow:
    path: str
    name: str
    children: int
    visited: int

    @property
    def rate(self) -> float:
        return self.visited / self.children if self.children else 1.0

    @property
    def percent(self) -> int:
        return round(self.rate * 100)


@dataclass
class Coverage:
    communities: list[CoverageRow]
    streets: list[CoverageRow]
    children: int
    visited: int

    @property
    def rate(self) -> float:
        return self.visited / self.children if self.children else 1.0


def coverage(*, actor: Actor, today: date, under: str = "") -> Coverage:
    """Children visited within their interval / all children on the lists, per community and
    street of the actor's scope (counts only, no person)."""
    if not may_see_figures(actor):
        return Coverage([], [], 0, 0)
    figures_actor = _with_children_read(actor)
    people = care_people_in_groups(actor=figures_actor, kinds=CHILD_KINDS, under=under if under.isdigit() else "")
    lasts = _last_visits([p.public_id for p in people])
    rules = visit_intervals()
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    per_street: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for p in people:
        hit = covered(lasts.get(p.public_id), strictest_interval(p.care_kinds, rules), today)
        for unit in (per[p.path[:COMMUNITY_LEN]], per_street[p.path[:STREET_LEN]]):
            unit[0] += 1
            unit[1] += int(hit)
    names = unit_names(set(per) | set(per_street))
    rows = [CoverageRow(path, names.get(path, path), n, v) for path, (n, v) in sorted(per.items())]
    streets = [CoverageRow(path, names.get(path, path), n, v) for path, (n, v) in sorted(per_street.items())]
    return Coverage(rows, streets, sum(r.children for r in rows), sum(r.visited for r in rows))


def _with_children_read(actor: Actor) -> Actor:
    """Figures count children for holders of CARE_FIGURES too; the count leaves the selector, no
    person does."""
    return actor if actor.has_perm(CARE_CHILDREN) else _lent(actor, CARE_CHILDREN)


def _lent(actor: Actor, permission: str) -> Actor:
    """The same actor and scope with one permission more, for one read inside this module (the
    request's actor is a lazy object, so it is copied field by field)."""
    values = {f.name: getattr(actor, f.name) for f in fields(Actor)}
    return Actor(**(values | {"permissions": actor.permissions | {permission}}))


# ---- directors ---------------------------------------------------------------------------------


@dataclass
class UnitDirector:
    path: str
    name: str
    director: ChildDirector | None


def directors_page(*, actor: Actor) -> tuple[list[UnitDirector], list[UnitDirector]]:
    """(communities with their active director, streets with their supervisor) of the scope."""
    if not may_see_children(actor):
        return [], []
    communities, streets = [], []
    for root in actor.scope_paths:
        communities += units_under(under=root, kinds=("community", "village"))
        streets += units_under(under=root, kinds=("street",)) if len(root) <= STREET_LEN else []
    directors = active_directors([c[0] for c in communities])
    supervisors = active_directors([s[0] for s in streets], DirectorRole.SUPERVISOR)
    return (
        [UnitDirector(p, n, directors.get(p)) for p, n, _ in communities],
        [UnitDirector(p, n, supervisors.get(p)) for p, n, _ in streets],
    )


def directed_communities(user_id: int | None) -> list[str]:
    """The communities this account is the active children's director of."""
    if user_id is None:
        return []
    rows = ChildDirector.objects.filter(user_id=user_id, role=DirectorRole.DIRECTOR, ends_on__isnull=True)
    return list(rows.values_list("path", flat=True))


# ---- children's homes and protection stations -------------------------------------------------


def _facility_reader(actor: Actor) -> Actor:
    """Children's workers read the registry's children's homes and stations of their own scope;
    the registry's selector asks for FACILITY_VIEW, which a community worker does not hold, so it
    is lent for this read only (the scope stays the actor's)."""
    if actor.has_perm(FACILITY_VIEW):
        return actor
    return _lent(actor, FACILITY_VIEW)


def children_facilities(*, actor: Actor, kind: str = "", under: str = ""):
    """The children's homes and protection stations of the actor's scope (registry rows)."""
    if not may_see_figures(actor):
        return []
    kinds = [kind] if kind in FACILITY_KINDS else list(FACILITY_KINDS)
    found = facility_list(actor=_facility_reader(actor), under=under).filter(kind__code__in=kinds)
    return list(found)


def children_facility_get(*, actor: Actor, public_id):
    found = uuid_or_none(public_id)
    if not may_see_children(actor) or found is None:
        raise not_found("设施", "Facility")
    rows = facility_list(actor=_facility_reader(actor)).filter(kind__code__in=FACILITY_KINDS, public_id=found)
    facility = rows.first()
    if facility is None:
        raise not_found("设施", "Facility")
    return facility


def facility_logs(*, facility) -> tuple[list[ChildFacilityOpening], list[ChildFacilityActivity]]:
    ref = facility.public_id
    return (
        list(ChildFacilityOpening.objects.filter(facility_ref=ref)[:30]),
        list(ChildFacilityActivity.objects.filter(facility_ref=ref)[:30]),
    )


@dataclass
class FacilityFigures:
    communities: list[tuple[str, str, bool]]  # path, name, has an open children's home
    streets: list[tuple[str, str, bool]]  # path, name, has an active protection station
    with_home: int
    with_station: int


def facility_figures(*, actor: Actor) -> FacilityFigures:
    """Communities and villages with an open children's home; streets with an open station."""
    if not may_see_figures(actor):
        return FacilityFigures([], [], 0, 0)
    open_rows = facility_list(actor=_facility_reader(actor), status="open").filter(kind__code__in=FACILITY_KINDS)
    held = set(open_rows.values_list("kind__code", "path"))
    homes = {path[:COMMUNITY_LEN] for code, path in held if code == CHILDREN_HOME}
    stations = {path[:STREET_LEN] for code, path in held if code == PROTECTION_STATION}
    communities, streets = [], []
    for root in actor.scope_paths:
        communities += [(p, n, p in homes) for p, n, _ in units_under(under=root, kinds=("community", "village"))]
        streets += [(p, n, p in stations) for p, n, _ in units_under(under=root, kinds=("street",))]
    return FacilityFigures(communities, streets, sum(1 for c in communities if c[2]), sum(1 for s in streets if s[2]))


# ---- harm reports ------------------------------------------------------------------------------


def harm_case_list(*, actor: Actor, state: str = "open"):
    """Restricted cases of the actor's area: CARE_PROTECT only; nothing for anyone else."""
    if not may_protect(actor):
        return HarmReport.objects.none()
    cases = actor.scoped(HarmReport.objects.all())
    if state in HarmState.values:
        cases = cases.filter(state=state)
    return cases.order_by("-filed_at", "-pk")


def harm_case_get(*, actor: Actor, public_id, lock: bool = False) -> HarmReport:
    found = uuid_or_none(public_id)
    cases = harm_case_list(actor=actor, state="")
    if lock:
        cases = cases.select_for_update()
    case = cases.filter(public_id=found).first() if found else None
    if case is None:
        raise not_found("个案", "Case")
    return case


class Receipt(TypedDict):
    """A reporter's receipt: its number and when the report was filed."""

    receipt: str
    filed_at: datetime


def my_receipts(*, actor: Actor) -> list[Receipt]:
    """The reporter's own receipts: number, when, received — nothing of the case."""
    if actor.user_id is None:
        return []
    return list(HarmReport.objects.filter(reporter_id=actor.user_id).values("receipt", "filed_at")[:20])


def receipt_get(*, actor: Actor, receipt: str) -> Receipt:
    row = HarmReport.objects.filter(reporter_id=actor.user_id, receipt=receipt).values("receipt", "filed_at").first()
    if actor.user_id is None or row is None:
        raise not_found("回执", "Receipt")
    return row


# ---- overview and workbench -------------------------------------------------------------------


def children_targets(*, actor: Actor, today: date) -> list[Target]:
    """The plan's three children's lines for the actor's scope."""
    if not may_see_figures(actor):
        return []
    cover = coverage(actor=actor, today=today)
    places = facility_figures(actor=actor)
    url = reverse("portal:care:children-coverage")
    lines = [
        Target(
            "children.coverage",
            _("Care coverage of children in difficulty and others"),
            cover.visited,
            cover.children,
            COVERAGE_GOAL,
            "100%",
            url,
        ),
        Target(
            "children.homes",
            _("Villages and communities with a children's home"),
            places.with_home,
            len(places.communities),
            HOME_GOAL,
            _("every village"),
            reverse("portal:care:children-facilities"),
        ),
    ]
    if places.streets:
        lines.append(
            Target(
                "children.stations",
                _("Streets and towns with a minors' protection station"),
                places.with_station,
                len(places.streets),
                STATION_GOAL,
                _("70% by 2025"),
                reverse("portal:care:children-facilities"),
            )
        )
    return lines


def children_today(actor: Actor, today: date) -> WorkSection | None:
    """Visits due and overdue, children without guardian or director; open harm cases for
    CARE_PROTECT holders."""
    counts, rows = [], []
    if may_see_children(actor):
        children = children_rows(actor=actor, today=today)
        overdue = [r for r in children if r.overdue]
        soon = [r for r in children if r.status == ChildVisitStatus.DUE_SOON]
        flagged = [r for r in children if r.flagged]
        base = reverse("portal:care:children-list")
        counts += [
            WorkCount(
                "children.overdue", _("Children's visits overdue"), len(overdue), f"{base}?status=overdue", "danger"
            ),
            WorkCount(
                "children.due", _("Children's visits due this week"), len(soon), f"{base}?status=due_soon", "warn"
            ),
            WorkCount(
                "children.flagged",
                _("Children without guardian or director"),
                len(flagged),
                f"{base}?flagged=1",
                "danger",
            ),
        ]
        rows = [
            WorkRow(
                r.person.name,
                r.community_name,
                reverse("portal:care:children-child", args=[r.public_id]),
                r.due,
                r.status_label,
                "danger",
            )
            for r in overdue[:FIRST_ROWS]
        ]
    if may_protect(actor):
        open_cases = harm_case_list(actor=actor).count()
        counts.append(
            WorkCount(
                "children.harm", _("Open harm cases"), open_cases, reverse("portal:care:children-harm-cases"), "danger"
            )
        )
    if not counts or not any(c.count for c in counts):
        return None
    return WorkSection(
        "care_children", _("Children's care and protection"), counts, rows, reverse("portal:care:children-list")
    )
