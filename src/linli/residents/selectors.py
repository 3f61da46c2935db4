"""Reads of the resident pool: always scoped, always through the role's field set, masked.

Nothing here returns a plaintext ID number, phone or note: revealing one is a service
(`resident_reveal`) because it must be justified and audited.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Case, Count, IntegerField, Max, Min, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Substr
from django.utils import timezone

from linli.accounts.domain import ACCOUNTS_MANAGE, RESIDENTS_REVEAL, RESIDENTS_VIEW, Role
from linli.core.actor import Actor
from linli.core.crypto import blind_index
from linli.core.crypto import mask_name as crypto_mask_name
from linli.core.dates import years_before
from linli.core.errors import not_found
from linli.core.paths import subtree_counts, under_path
from linli.residents.domain import (
    ADULT_AGE,
    AWARENESS_PERIOD_DAYS,
    DEFAULT_VISIT_INTERVAL_DAYS,
    ResidentStatus,
    VisitStatus,
    age_on,
    fields_for,
    id_number_normalise,
    revealable_from,
    visit_due_on,
    visit_status,
)
from linli.residents.models import (
    CareMembership,
    CareVisitRule,
    CommunityPoolStats,
    HomeVisit,
    Household,
    ResidenceChange,
    Resident,
    RevealRight,
)

# In one filter() call both conditions apply to the same join row; `ended_on__isnull=True`
# alone would also match residents with no membership at all (the LEFT JOIN's NULL).
IN_OPEN_CARE_GROUP = Q(care_memberships__kind__isnull=False, care_memberships__ended_on__isnull=True)


def _can_view(actor: Actor) -> bool:
    return actor.has_perm(RESIDENTS_VIEW) and bool(actor.scope_paths)


def resident_list(*, actor: Actor, include_inactive: bool = False) -> QuerySet[Resident]:
    if not _can_view(actor):
        return Resident.objects.none()
    residents = actor.scoped(Resident.objects.all())
    return residents if include_inactive else residents.filter(status=ResidentStatus.ACTIVE)


def resident_get(*, actor: Actor, public_id) -> Resident:
    resident = resident_list(actor=actor, include_inactive=True).filter(public_id=public_id).first()
    if resident is None:
        raise not_found("居民", "Resident")
    return resident


def resident_find_by_id_number(*, actor: Actor, id_number: str) -> Resident | None:
    index = blind_index(id_number_normalise(id_number), context="resident.id_number")
    return resident_list(actor=actor).filter(id_number_index=index).first()


@dataclass(frozen=True)
class ApplicantCard:
    """What the service desk may know of an applicant: masked identity, home and account.
    Enough to fill a form and route a case; never a plaintext ID number or phone."""

    public_id: str
    name: str
    gender: str
    age: int
    id_number_masked: str
    phone_masked: str
    home_path: str
    address: str
    user_id: int | None


def applicant_card(resident: Resident) -> ApplicantCard:
    return ApplicantCard(
        public_id=str(resident.public_id),
        name=resident.name,
        gender=resident.get_gender_display(),
        age=age_on(resident.birth_date, timezone.localdate()),
        id_number_masked=resident.id_number_masked,
        phone_masked=resident.phone_masked,
        home_path=resident.household.path if resident.household else resident.path,
        address=_address(resident),
        user_id=resident.user_id,
    )


def applicant_find(id_number: str) -> Resident | None:
    """An active resident anywhere in the city by exact ID number. Unscoped on purpose (全市通办):
    only `residents.services.applicant_lookup` calls it, which checks the permission and audits."""
    index = blind_index(id_number_normalise(id_number), context="resident.id_number")
    residents = Resident.objects.select_related("household__building")
    return residents.filter(id_number_index=index, status=ResidentStatus.ACTIVE).first()


def applicant_for_user(user_id: int | None) -> ApplicantCard | None:
    """The resident a logged-in resident account stands for, if the pool links one."""
    return _active_applicant(user_id=user_id) if user_id is not None else None


def applicant_by_ref(public_id) -> ApplicantCard | None:
    """Re-read an applicant the desk already holds a case or lookup for (services only)."""
    try:
        return _active_applicant(public_id=public_id)
    except ValidationError:  # not a UUID: no such applicant
        return None


def _active_applicant(**lookup) -> ApplicantCard | None:
    resident = Resident.objects.select_related("household__building").filter(**lookup).first()
    if resident is None or resident.status != ResidentStatus.ACTIVE:
        return None
    return applicant_card(resident)


def resident_search(*, actor: Actor, q: str) -> QuerySet[Resident]:
    """By ID number or phone (exact, through the blind index), else by part of a name or address."""
    q = q.strip()
    residents = resident_list(actor=actor).select_related("household__building")
    if not q:
        return residents.none()
    normalised = id_number_normalise(q)
    if len(normalised) == 18 and normalised[:17].isdigit():
        return residents.filter(id_number_index=blind_index(normalised, context="resident.id_number"))
    digits = q.replace("-", "").replace(" ", "")
    if digits.isdigit() and len(digits) >= 7:
        return residents.filter(phone_index=blind_index(digits, context="resident.phone"))
    return residents.filter(
        Q(name__contains=q) | Q(household__building__address__contains=q) | Q(household__building__name=q)
    ).order_by("path", "name")[:200]


def household_list(*, actor: Actor, building_code: str = "", grid_path: str = "") -> QuerySet[Household]:
    if not _can_view(actor):
        return Household.objects.none()
    households = actor.scoped(Household.objects.select_related("building", "head"))
    if building_code:
        households = households.filter(building__code=building_code)
    if grid_path:
        households = households.filter(under_path("path", grid_path))
    return households.order_by("path", "room")


def household_get(*, actor: Actor, public_id) -> Household:
    household = household_list(actor=actor).filter(public_id=public_id).first()
    if household is None:
        raise not_found("户", "Household")
    return household


def household_members(household: Household) -> QuerySet[Resident]:
    return household.members.filter(status=ResidentStatus.ACTIVE).order_by("-is_head", "birth_date")


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime | date
    kind: str
    text: str


def household_timeline(household: Household) -> list[TimelineEntry]:
    """Moves and visits of a household, oldest first (findings stay sealed)."""
    entries = [
        TimelineEntry(m.on, m.kind, f"{m.resident.name} · {m.get_kind_display()}")
        for m in ResidenceChange.objects.filter(household=household).select_related("resident")
    ]
    entries += [
        TimelineEntry(v.visited_at.date(), "visit", str(v.visitor))
        for v in HomeVisit.objects.filter(household=household).select_related("visitor")
    ]
    return sorted(entries, key=lambda e: (e.at, e.kind))


def household_visits(household: Household, *, limit: int = 5) -> list[HomeVisit]:
    """The household's latest door-to-door visits, newest first (findings stay sealed)."""
    return list(HomeVisit.objects.filter(household=household).select_related("visitor").order_by("-visited_at")[:limit])


@dataclass
class ResidentCard:
    """What one actor may see of one resident: absent fields are simply not there."""

    public_id: str
    fields: dict[str, object] = field(default_factory=dict)
    revealable: frozenset[str] = frozenset()


# --- reveal rights -------------------------------------------------------------------------


def reveal_rights() -> frozenset[tuple[str, str]]:
    """The whole table as (role, field) pairs. Read from the database every time, never cached
    in a process: it is a handful of rows on a unique index, and a change made at the city takes
    effect at once on every worker and server with nothing to invalidate."""
    return frozenset(RevealRight.objects.values_list("role", "field_name"))


def revealable_for(actor: Actor) -> frozenset[str]:
    """The sealed fields this actor may reveal: holding `residents.reveal` (the permission that
    makes the log-in ask for a second factor) AND a row of the table for one of its roles."""
    if not actor.has_perm(RESIDENTS_REVEAL) or not actor.roles:
        return frozenset()
    rights = RevealRight.objects.filter(role__in=actor.roles).values_list("role", "field_name")
    return revealable_from(frozenset(rights), actor.roles)


def can_edit_reveal_rights(actor: Actor) -> bool:
    """Only the city's administrator: the role is only ever posted at the city, and it holds
    `accounts.manage` (granting a reveal right is granting access, and asks for a second factor)."""
    return Role.CITY_ADMIN in actor.roles and actor.has_perm(ACCOUNTS_MANAGE)


def resident_card(
    *,
    actor: Actor,
    resident: Resident,
    care_kinds: list[str] | None = None,
    revealable: frozenset[str] | None = None,
) -> ResidentCard:
    visible = fields_for(actor.roles)
    today = timezone.localdate()
    values = {
        "name": resident.name,
        "gender": resident.get_gender_display(),
        "birth_date": resident.birth_date,
        "age": age_on(resident.birth_date, today),
        "ethnicity": resident.ethnicity,
        "id_number": resident.id_number_masked,
        "phone": resident.phone_masked,
        "relation": resident.get_relation_display(),
        "party_member": resident.party_member,
        "education": resident.get_education_display(),
        "employment": resident.get_employment_display(),
        "disability": resident.get_disability_display(),
        "notes": "••••••" if resident.notes_sealed else "",
        "status": resident.get_status_display(),
        "address": _address(resident),
    }
    if "care_groups" in visible:
        values["care_groups"] = care_kinds if care_kinds is not None else resident_care_kinds(resident)
    return ResidentCard(
        public_id=str(resident.public_id),
        fields={k: v for k, v in values.items() if k in visible},
        revealable=revealable_for(actor) if revealable is None else revealable,
    )


def resident_cards(*, actor: Actor, residents) -> list[ResidentCard]:
    """`resident_card` for many residents, with their care groups in one query for all."""
    residents = list(residents)
    kinds = _open_kinds([r.pk for r in residents]) if "care_groups" in fields_for(actor.roles) else {}
    revealable = revealable_for(actor) if residents else frozenset()
    return [
        resident_card(actor=actor, resident=r, care_kinds=kinds.get(r.pk, []), revealable=revealable) for r in residents
    ]


def _address(resident: Resident) -> str:
    household = resident.household
    if household is None:
        return ""
    return f"{household.building.address or household.building.name} {household.room}"


def resident_care_kinds(resident: Resident) -> list[str]:
    return list(resident.care_memberships.filter(ended_on__isnull=True).values_list("kind", flat=True))


def visit_rules() -> dict[str, int]:
    rules = {str(k): v for k, v in DEFAULT_VISIT_INTERVAL_DAYS.items()}
    rules.update(dict(CareVisitRule.objects.values_list("kind", "interval_days")))
    return rules


def _last_visit_subquery():
    return Subquery(
        HomeVisit.objects.filter(household=OuterRef("household")).order_by("-visited_at").values("visited_at")[:1]
    )


def _strictest_interval(rules: dict[str, int]):
    return Min(
        Case(
            *[When(care_memberships__kind=kind, then=Value(days)) for kind, days in rules.items()],
            output_field=IntegerField(),
        ),
        filter=Q(care_memberships__ended_on__isnull=True),
    )


class VisitDue:
    """`overdue` and `due_today` of a row that carries a `status` (care list and visit plan alike)."""

    status: VisitStatus

    @property
    def overdue(self) -> bool:
        return self.status == VisitStatus.OVERDUE

    @property
    def due_today(self) -> bool:
        return self.status == VisitStatus.DUE_TODAY


@dataclass(frozen=True)
class CareRow(VisitDue):
    resident: Resident
    kinds: list[str]
    interval_days: int
    last_visit: datetime | None
    due: date
    status: VisitStatus


def care_list(*, actor: Actor, kind: str = "", overdue_only: bool = False, today: date | None = None) -> list[CareRow]:
    """Special-care residents in scope with their strictest visit rule, last visit and due date
    (`visit_due_on`, the one rule the visit plan and the workbench use too)."""
    today = today or timezone.localdate()
    rules = visit_rules()
    residents = resident_list(actor=actor).filter(IN_OPEN_CARE_GROUP)
    if kind:
        residents = residents.filter(care_memberships__kind=kind)
    rows = (
        residents.distinct()
        .annotate(
            interval=_strictest_interval(rules),
            joined=Min("care_memberships__started_on", filter=Q(care_memberships__ended_on__isnull=True)),
            last_visit=_last_visit_subquery(),
        )
        .select_related("household__building")
        .order_by("path", "name")
    )
    kinds = _open_kinds([r.pk for r in rows])
    result = []
    for resident in rows:
        last = resident.last_visit
        interval = resident.interval or 30
        due = visit_due_on(
            last_visit=timezone.localdate(last) if last else None,
            interval_days=interval,
            joined_on=resident.joined,
            today=today,
        )
        status = visit_status(due, today)
        if status == VisitStatus.OVERDUE or not overdue_only:
            result.append(CareRow(resident, kinds.get(resident.pk, []), interval, last, due, status))
    return result


def _open_kinds(resident_ids: list[int]) -> dict[int, list[str]]:
    kinds: dict[int, list[str]] = {}
    if not resident_ids:
        return kinds
    for resident_id, kind in (
        CareMembership.objects.filter(resident_id__in=resident_ids, ended_on__isnull=True)
        .order_by("resident_id", "kind")
        .values_list("resident_id", "kind")
    ):
        kinds.setdefault(resident_id, []).append(kind)
    return kinds


@dataclass(frozen=True)
class PlanItem(VisitDue):
    household: Household
    reason: str  # "care" (a special-care member is due) or "awareness" (not visited within a year)
    due: date
    status: VisitStatus
    residents: list[str]


def visit_plan(*, actor: Actor, today: date | None = None, horizon_days: int = 7) -> list[PlanItem]:
    """The households the actor should visit: special-care members due within `horizon_days`
    (overdue first), then households nobody has visited within the awareness period (due today:
    the awareness rate counts them as unknown from now on)."""
    today = today or timezone.localdate()
    items: dict[int, PlanItem] = {}
    for row in care_list(actor=actor, today=today):
        if row.due > today + timedelta(days=horizon_days) or row.resident.household is None:
            continue
        household = row.resident.household
        current = items.get(household.pk)
        names = ([*current.residents] if current else []) + [row.resident.name]
        due = min(row.due, current.due) if current else row.due
        items[household.pk] = PlanItem(household, "care", due, visit_status(due, today), names)
    cutoff = timezone.now() - timedelta(days=AWARENESS_PERIOD_DAYS)
    unknown = (
        household_list(actor=actor)
        .annotate(last=Max("visits__visited_at"))
        .filter(Q(last__isnull=True) | Q(last__lt=cutoff))
        .exclude(pk__in=list(items))[:200]
    )
    for household in unknown:
        items[household.pk] = PlanItem(household, "awareness", today, VisitStatus.DUE_TODAY, [])
    return sorted(items.values(), key=lambda i: (i.reason != "care", i.due, i.household.path))


def plan_counts(plan: list[PlanItem]) -> dict[str, int]:
    """The workbench's numbers, from the visit plan itself so the two always agree: visits
    overdue, due today, due later this week, and households not visited for a year."""
    care = [i for i in plan if i.reason == "care"]
    return {
        "overdue": sum(1 for i in care if i.overdue),
        "due_today": sum(1 for i in care if i.due_today),
        "this_week": sum(1 for i in care if i.status == VisitStatus.UPCOMING),
        "awareness": sum(1 for i in plan if i.reason == "awareness"),
    }


FIGURES = ("households", "residents", "households_visited", "care_residents", "care_visited", "complete_records")
COMMUNITY_PATH_LENGTH = 12


@dataclass
class PoolRates:
    households: int = 0
    residents: int = 0
    households_visited: int = 0
    care_residents: int = 0
    care_visited: int = 0
    complete_records: int = 0
    as_of: datetime | None = None  # None: computed live; else the time of the stored figures

    @property
    def awareness_rate(self) -> float | None:
        return self.households_visited / self.households if self.households else None

    @property
    def care_awareness_rate(self) -> float | None:
        return self.care_visited / self.care_residents if self.care_residents else None

    @property
    def electronic_record_rate(self) -> float | None:
        return self.complete_records / self.residents if self.residents else None

    def add(self, other: PoolRates) -> None:
        for name in FIGURES:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        if other.as_of is not None:  # the oldest stored figure dates the sum
            self.as_of = min(self.as_of or other.as_of, other.as_of)


def pool_rates(*, actor: Actor, path: str, now: datetime | None = None) -> PoolRates:
    """The plan's figures for everything under `path` (inside the actor's scope): 百家情知晓率,
    special-care awareness, electronic record rate. A community or anything below it is counted
    live; a street, district or the city sums the per-community figures `linli tick` stores
    (`as_of` says when), or counts live while none are stored yet."""
    return pool_rates_by_child(actor=actor, path=path, child_length=len(path), now=now).get(path, PoolRates())


def pool_rates_by_child(
    *, actor: Actor, path: str, child_length: int, now: datetime | None = None
) -> dict[str, PoolRates]:
    """`pool_rates` for every child of `path` at once (children's paths have `child_length`
    digits, at most a community's): the same few queries whatever the number of children."""
    if not _can_view(actor) or not actor.sees_path(path):
        raise not_found("单位", "Org unit")
    by_community = _stored_figures(path) if len(path) < COMMUNITY_PATH_LENGTH else None
    if not by_community:
        by_community = pool_figures_by_community(path=path, now=now)
    children: dict[str, PoolRates] = {}
    for community_path, figures in by_community.items():
        children.setdefault(community_path[:child_length], PoolRates(as_of=figures.as_of)).add(figures)
    return children


def _stored_figures(path: str) -> dict[str, PoolRates]:
    return {
        row.path: PoolRates(as_of=row.computed_at, **{name: getattr(row, name) for name in FIGURES})
        for row in CommunityPoolStats.objects.filter(under_path("path", path))
    }


def pool_figures_by_community(*, path: str, now: datetime | None = None) -> dict[str, PoolRates]:
    """Live figures for every community under `path`, one GROUP BY per figure (and one pass in
    Python over the special-care residents), whatever the number of communities."""
    now = now or timezone.now()
    under = under_path("path", path)
    community = Substr("path", 1, COMMUNITY_PATH_LENGTH)
    residents = Resident.objects.filter(under, status=ResidentStatus.ACTIVE)
    cutoff = now - timedelta(days=AWARENESS_PERIOD_DAYS)
    counts = {
        "households": Household.objects.filter(under, members__status=ResidentStatus.ACTIVE)
        .annotate(c=community)
        .values("c")
        .annotate(n=Count("pk", distinct=True)),
        "residents": residents.annotate(c=community).values("c").annotate(n=Count("pk")),
        "households_visited": HomeVisit.objects.filter(under, visited_at__gte=cutoff)
        .annotate(c=community)
        .values("c")
        .annotate(n=Count("household_id", distinct=True)),
        "care_residents": residents.filter(IN_OPEN_CARE_GROUP)
        .annotate(c=community)
        .values("c")
        .annotate(n=Count("pk", distinct=True)),
        "complete_records": residents.exclude(id_number_index="")
        .exclude(household__isnull=True)
        .annotate(c=community)
        .values("c")
        .annotate(n=Count("pk")),
    }
    figures: dict[str, PoolRates] = {}
    for name, rows in counts.items():
        for row in rows:
            setattr(figures.setdefault(row["c"], PoolRates()), name, row["n"])
    for community_path in _care_visited_paths(residents, now):
        figures.setdefault(community_path, PoolRates()).care_visited += 1
    return figures


def _care_visited_paths(residents: QuerySet[Resident], now: datetime):
    """The community of each special-care resident whose household was visited within their
    strictest interval (special-care residents are a few percent: read once, judged in Python)."""
    rows = (
        residents.filter(IN_OPEN_CARE_GROUP)
        .values("pk", "path")
        .annotate(interval=_strictest_interval(visit_rules()), last_visit=Max("household__visits__visited_at"))
        .values_list("path", "interval", "last_visit")
    )
    for path, interval, last_visit in rows:
        if last_visit is not None and last_visit >= now - timedelta(days=interval or 30):
            yield path[:COMMUNITY_PATH_LENGTH]


def resident_counts_under(*, parent_path: str, child_length: int) -> dict[str, int]:
    return subtree_counts(model=Resident, parent_path=parent_path, child_length=child_length)


def household_counts_under(*, parent_path: str, child_length: int) -> dict[str, int]:
    return subtree_counts(model=Household, parent_path=parent_path, child_length=child_length)


def resident_total(*, actor: Actor) -> int:
    return actor.scoped(Resident.objects.filter(status=ResidentStatus.ACTIVE)).count()


def applicant_sample(*, n: int, seed: int, focus_path: str = "", focus_share: float = 0.5) -> list[ApplicantCard]:
    """Up to `n` distinct active residents with a household, as applicants for demo and
    benchmark cases (not an interface: it reads across the whole city). `focus_share` of them
    live under `focus_path` when it is given, so the demo accounts see cases."""
    rng = random.Random(seed)
    residents = Resident.objects.filter(status=ResidentStatus.ACTIVE, household__isnull=False)
    chosen: list[int] = []
    if focus_path:
        local = list(residents.filter(under_path("path", focus_path)).values_list("pk", flat=True)[:50_000])
        chosen = rng.sample(local, min(len(local), int(n * focus_share)))
    others = list(residents.values_list("pk", flat=True)[:200_000])
    rest = [pk for pk in rng.sample(others, min(len(others), n)) if pk not in set(chosen)]
    picked = (chosen + rest)[:n]
    rows = Resident.objects.select_related("household__building").filter(pk__in=picked)
    return [applicant_card(r) for r in rows]


# Counts for planning (facilities): numbers only, no person is read, so no field set applies.
def households_by_unit(*, under: str, length: int = 12) -> dict[str, int]:
    """Households with at least one active member, per unit whose path is the first `length`
    characters of the household's path (12: community/village, 9: street)."""
    rows = (
        Household.objects.filter(under_path("path", under), members__status=ResidentStatus.ACTIVE)
        .annotate(unit=Substr("path", 1, length))
        .values("unit")
        .annotate(n=Count("pk", distinct=True))
    )
    return {row["unit"]: row["n"] for row in rows}


def residents_by_unit(*, under: str, length: int) -> dict[str, int]:
    """Active residents living in a household, per unit whose path is the first `length`
    characters of theirs (6: district, 9: street): one grouped query."""
    rows = (
        Resident.objects.filter(under_path("path", under), status=ResidentStatus.ACTIVE, household__isnull=False)
        .annotate(unit=Substr("path", 1, length))
        .values("unit")
        .annotate(n=Count("pk"))
    )
    return {row["unit"]: row["n"] for row in rows}


def residents_by_building(*, under: str) -> dict[int, int]:
    """Active residents living in each building (by building id)."""
    rows = (
        Resident.objects.filter(under_path("path", under), status=ResidentStatus.ACTIVE, household__isnull=False)
        .values("household__building_id")
        .annotate(n=Count("pk"))
    )
    return {row["household__building_id"]: row["n"] for row in rows}


# --- for social assistance (welfare): people and households by employment -------------------


@dataclass(frozen=True)
class WelfarePerson:
    """What social assistance reads of a resident: identity masked, the household, and the
    fields its rules need (birth date, sex, employment, disability level)."""

    public_id: str
    name: str
    gender: str
    birth_date: date
    employment: str
    employment_label: str
    disability: str
    id_number_masked: str
    household_ref: str
    path: str


def _welfare_person(resident: Resident) -> WelfarePerson:
    household = resident.household
    return WelfarePerson(
        public_id=str(resident.public_id),
        name=resident.name,
        gender=resident.gender,
        birth_date=resident.birth_date,
        employment=resident.employment,
        employment_label=resident.get_employment_display() if resident.employment else "",
        disability=resident.disability,
        id_number_masked=resident.id_number_masked,
        household_ref=str(household.public_id) if household else "",
        path=household.path if household else resident.path,
    )


def welfare_person(*, actor: Actor, public_id) -> WelfarePerson | None:
    """An active resident in the actor's scope, or None (missing, moved away or outside)."""
    try:
        resident = (
            actor.scoped(Resident.objects.select_related("household"))
            .filter(public_id=public_id, status=ResidentStatus.ACTIVE)
            .first()
        )
    except ValidationError:
        return None
    return _welfare_person(resident) if resident is not None else None


def welfare_person_for_user(user_id: int | None) -> WelfarePerson | None:
    """The active resident a resident's own account stands for (their own page)."""
    if user_id is None:
        return None
    resident = Resident.objects.select_related("household").filter(user_id=user_id).first()
    if resident is None or resident.status != ResidentStatus.ACTIVE:
        return None
    return _welfare_person(resident)


def welfare_household_people(*, actor: Actor, household_ref) -> list[WelfarePerson]:
    """The active members of a household in the actor's scope, the head first (one query)."""
    try:
        residents = actor.scoped(Resident.objects.select_related("household")).filter(
            household__public_id=household_ref, status=ResidentStatus.ACTIVE
        )
        return [_welfare_person(r) for r in residents.order_by("-is_head", "birth_date")]
    except ValidationError:
        return []


@dataclass(frozen=True)
class HouseholdBrief:
    household_ref: str
    path: str
    head_name: str


def households_without_work(
    *, actor: Actor, working_age_births: dict[str, tuple[date, date]], under: str = ""
) -> list[HouseholdBrief]:
    """Households in the actor's scope (optionally under a path) where at least one member of
    working age is recorded as unemployed with no level 1–2 disability, and no member of working
    age is employed — zero-employment households (零就业家庭) as social assistance defines them.
    `working_age_births` gives, per gender, the (born after, born on or before) bounds of working
    age on the day. One grouped query over the residents' indexed paths, whatever the city's size."""
    working_age = Q(pk__in=[])
    for gender, (after, on_or_before) in working_age_births.items():
        working_age |= Q(gender=gender, birth_date__gt=after, birth_date__lte=on_or_before)
    residents = actor.scoped(Resident.objects.filter(status=ResidentStatus.ACTIVE, household__isnull=False), "path")
    if under:
        residents = residents.filter(under_path("path", under))
    grouped = (
        residents.values("household_id")
        .annotate(
            able=Count("pk", filter=working_age & Q(employment="unemployed") & ~Q(disability__in=["1", "2"])),
            employed=Count("pk", filter=working_age & Q(employment="employed")),
        )
        .filter(able__gt=0, employed=0)
        .values("household_id")
    )
    eldest = (
        Resident.objects.filter(household_id=OuterRef("pk"), status=ResidentStatus.ACTIVE)
        .order_by("-is_head", "birth_date", "pk")
        .values("name")[:1]
    )
    rows = (
        Household.objects.filter(pk__in=Subquery(grouped))
        .annotate(first_name=Subquery(eldest))
        .order_by("path", "room")
        .values_list("public_id", "path", "head__name", "first_name")
    )
    return [HouseholdBrief(str(ref), path, head or first or "") for ref, path, head, first in rows]


def welfare_people_search(*, actor: Actor, q: str, limit: int = 20) -> list[WelfarePerson]:
    """Residents of the actor's scope by exact ID number or phone, else part of a name or address
    (as `resident_search`), for choosing a person in a social-assistance form."""
    if len(q.strip()) < 1:
        return []
    residents = actor.scoped(Resident.objects.select_related("household__building")).filter(
        status=ResidentStatus.ACTIVE
    )
    q = q.strip()
    normalised = id_number_normalise(q)
    if len(normalised) in (15, 18):
        found = residents.filter(id_number_index=blind_index(normalised, context="resident.id_number"))
    else:
        found = residents.filter(Q(name__contains=q) | Q(household__building__address__contains=q))
    return [_welfare_person(r) for r in found.order_by("path", "name")[:limit]]


def welfare_person_by_ref(public_id) -> WelfarePerson | None:
    """An active resident by public id, unscoped: only for a case the desk already accepted (the
    window may be anywhere in the city; the record then belongs to the resident's home)."""
    try:
        resident = Resident.objects.select_related("household").filter(public_id=public_id).first()
    except ValidationError:
        return None
    if resident is None or resident.status != ResidentStatus.ACTIVE:
        return None
    return _welfare_person(resident)


# --- for care services (care): elders, children and the people who order for them -------------


@dataclass(frozen=True)
class CarePerson:
    """What care services read of a resident: the name, the home (address and the building's
    position, for a carer's check-in), the facts the service list's conditions read (birth date,
    disability level, open care groups) and the masked ID. Never a clear ID number or phone."""

    public_id: str
    name: str
    gender: str
    birth_date: date
    disability: str
    care_kinds: tuple[str, ...]
    id_number_masked: str
    household_ref: str
    path: str
    address: str
    lat: float | None
    lng: float | None
    user_id: int | None

    def age_on(self, day: date) -> int:
        return age_on(self.birth_date, day)


_CARE_RELATED = ("household__building",)


def _care_people(residents) -> list[CarePerson]:
    """CarePersons of a resident queryset in two queries (the residents, their open groups)."""
    rows = list(residents.select_related(*_CARE_RELATED))
    kinds = _open_kinds([r.pk for r in rows])
    return [_care_person(r, kinds.get(r.pk, [])) for r in rows]


def _care_person(resident: Resident, kinds: list[str]) -> CarePerson:
    household = resident.household
    building = household.building if household else None
    return CarePerson(
        public_id=str(resident.public_id),
        name=resident.name,
        gender=resident.gender,
        birth_date=resident.birth_date,
        disability=resident.disability,
        care_kinds=tuple(kinds),
        id_number_masked=resident.id_number_masked,
        household_ref=str(household.public_id) if household else "",
        path=household.path if household else resident.path,
        address=_address(resident),
        lat=building.lat if building else None,
        lng=building.lng if building else None,
        user_id=resident.user_id,
    )


def _one_care_person(residents) -> CarePerson | None:
    try:
        found = _care_people(residents.filter(status=ResidentStatus.ACTIVE)[:1])
    except ValidationError:  # not a UUID
        return None
    return found[0] if found else None


def care_person(*, actor: Actor, public_id) -> CarePerson | None:
    """An active resident in the actor's scope, or None (missing, moved away, outside, not an id)."""
    try:
        return _one_care_person(actor.scoped(Resident.objects.all()).filter(public_id=public_id))
    except ValidationError:  # the filter checks the UUID as it is built
        return None


def care_person_by_ref(public_id) -> CarePerson | None:
    """An active resident by public id, unscoped: only where care services already checked the
    caller's right to this person (their own order, a provider's assigned order, a family link)."""
    try:
        return _one_care_person(Resident.objects.filter(public_id=public_id))
    except ValidationError:  # the filter checks the UUID as it is built
        return None


def care_person_for_user(user_id: int | None) -> CarePerson | None:
    """The active resident a resident's own account stands for."""
    if user_id is None:
        return None
    return _one_care_person(Resident.objects.filter(user_id=user_id))


def care_person_by_id_number(id_number: str) -> CarePerson | None:
    """An active resident by exact ID number (blind index), unscoped: for a family member linking
    an elder with the code on the elder's card; care services checks the code."""
    normalised = id_number_normalise(id_number)
    if len(normalised) not in (15, 18):
        return None
    index = blind_index(normalised, context="resident.id_number")
    return _one_care_person(Resident.objects.filter(id_number_index=index))


def care_household_people(household_ref) -> list[CarePerson]:
    """The active members of a household, the head first, unscoped: a resident orders for the
    people they live with."""
    try:
        residents = Resident.objects.filter(household__public_id=household_ref, status=ResidentStatus.ACTIVE)
        return _care_people(residents.order_by("-is_head", "birth_date", "pk"))
    except ValidationError:
        return []


def care_people_by_refs(refs) -> dict[str, CarePerson]:
    """Active residents by public id, unscoped, keyed by the id (a provider's or a list's page
    shows many at once: two queries, whatever the count)."""
    refs = [r for r in refs if r]
    if not refs:
        return {}
    try:
        people = _care_people(Resident.objects.filter(public_id__in=refs, status=ResidentStatus.ACTIVE))
    except ValidationError:
        return {}
    return {p.public_id: p for p in people}


def care_people_in_groups(
    *, actor: Actor, kinds, under: str = "", born_on_or_before: date | None = None, limit: int | None = None
) -> list[CarePerson]:
    """Active residents of the actor's scope in any of the open care groups `kinds` (children's
    lists; elders in difficulty for home modification), optionally under a path and born on or
    before a day (an age floor), ordered by path and name."""
    residents = actor.scoped(Resident.objects.filter(status=ResidentStatus.ACTIVE), "path").filter(
        care_memberships__kind__in=list(kinds), care_memberships__ended_on__isnull=True
    )
    if under:
        residents = residents.filter(under_path("path", under))
    if born_on_or_before is not None:
        residents = residents.filter(birth_date__lte=born_on_or_before)
    residents = residents.distinct().order_by("path", "name", "pk")
    return _care_people(residents[:limit] if limit else residents)


def care_people_search(*, actor: Actor, q: str, limit: int = 20) -> list[CarePerson]:
    """Residents of the actor's scope by exact ID number, else part of a name or address (a
    worker choosing the elder to order for or to assess)."""
    q = q.strip()
    if not q:
        return []
    residents = actor.scoped(Resident.objects.filter(status=ResidentStatus.ACTIVE))
    normalised = id_number_normalise(q)
    if len(normalised) in (15, 18):
        found = residents.filter(id_number_index=blind_index(normalised, context="resident.id_number"))
    else:
        found = residents.filter(Q(name__contains=q) | Q(household__building__address__contains=q))
    return _care_people(found.order_by("path", "name")[:limit])


def care_group_counts_under(*, parent_path: str, child_length: int, kinds) -> dict[str, int]:
    """Active residents in any of the open care groups `kinds`, counted per child unit (a figure
    denominator: children to cover per community, elders in difficulty per district)."""
    residents = Resident.objects.filter(
        status=ResidentStatus.ACTIVE, care_memberships__kind__in=list(kinds), care_memberships__ended_on__isnull=True
    ).filter(under_path("path", parent_path))
    rows = (
        residents.annotate(unit=Substr("path", 1, child_length))
        .values("unit")
        .annotate(n=Count("pk", distinct=True))
        .values_list("unit", "n")
    )
    return dict(rows)


def care_elders_sample(*, under: str, born_on_or_before: date, limit: int) -> list[CarePerson]:
    """Active residents under a path born on or before a day (elders), with a home position,
    unscoped: the care demo's elders who order home care (orders stage)."""
    residents = Resident.objects.filter(
        under_path("path", under),
        status=ResidentStatus.ACTIVE,
        birth_date__lte=born_on_or_before,
        household__building__lat__isnull=False,
    )
    return _care_people(residents.order_by("path", "pk")[:limit])


def care_people_aged(
    *, actor: Actor, under: str, born_on_or_before: date, limit: int | None = None
) -> list[CarePerson]:
    """Active residents of the actor's scope under a path born on or before a day (the elders 60+
    a community assesses), ordered by path; `limit` keeps the first ones."""
    residents = actor.scoped(
        Resident.objects.filter(status=ResidentStatus.ACTIVE, birth_date__lte=born_on_or_before), "path"
    ).filter(under_path("path", under))
    residents = residents.order_by("path", "pk")
    return _care_people(residents[:limit] if limit else residents)


# ---------------------------------------------------------------- deliberation's rolls (issue 18)


@dataclass(frozen=True)
class RollVoter:
    """An adult on a consultation's roll: public ids and a masked name, nothing more."""

    resident_ref: uuid.UUID
    household_ref: uuid.UUID | None
    path: str
    name_masked: str
    household_label: str  # building and room: how a household is named on a roll


def _adults_under(under: str, on: date) -> QuerySet[Resident]:
    born_by = years_before(on, ADULT_AGE)
    return Resident.objects.filter(path__startswith=under, status=ResidentStatus.ACTIVE, birth_date__lte=born_by)


_VOTER_FIELDS = ("public_id", "household__public_id", "path", "name", "household__building__name", "household__room")


def roll_voters(*, under: str, on: date) -> Iterator[RollVoter]:
    """Active residents aged 18 or more on `on` living under a path (building, grid, community or
    village), in path order. Unscoped: only deliberation's roll freeze and quorum counts call it,
    after checking the actor runs that community's consultation. Streams (100,000 rows)."""
    rows = (
        _adults_under(under, on)
        .order_by("path", "household_id", "pk")
        .values_list(
            "public_id", "household__public_id", "path", "name", "household__building__name", "household__room"
        )
    )
    for public_id, household_ref, path, name, building, room in rows.iterator(chunk_size=5000):
        label = f"{building or ''} {room or ''}".strip()
        yield RollVoter(public_id, household_ref, path, crypto_mask_name(name), label)


def roll_counts(*, under: str, on: date) -> tuple[int, int]:
    """(adults, households with an adult) living under a path: the denominators of a villagers'
    meeting's quorum (村民委员会组织法 art. 22)."""
    adults = _adults_under(under, on)
    return adults.count(), adults.exclude(household__isnull=True).values("household_id").distinct().count()


def voter_for_user(user_id: int | None) -> RollVoter | None:
    """The active resident a resident account stands for, as a voter (any age: the roll decides)."""
    if user_id is None:
        return None
    row = (
        Resident.objects.filter(user_id=user_id, status=ResidentStatus.ACTIVE)
        .values_list(
            "public_id", "household__public_id", "path", "name", "household__building__name", "household__room"
        )
        .first()
    )
    if row is None:
        return None
    public_id, household_ref, path, name, building, room = row
    return RollVoter(public_id, household_ref, path, crypto_mask_name(name), f"{building or ''} {room or ''}".strip())
