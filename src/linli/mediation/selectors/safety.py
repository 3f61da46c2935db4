"""Reads of stage safety: police beats and the staffing view, police cases, safety incidents,
emergency drills, the grid events an officer or the four-zero figure reads, and the four-zero
board. Every list is narrowed by `scope.area_q` (a police officer: their beat); a row outside
it answers as missing (one 404).

The four-zero counts (`four_zero_counts`) are gathered for every community under a path in one
grouped query per source, so recomputing a district costs the same dozen queries as one
community; the engine (`domain.four_zero`) decides the marks."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from linli.accounts.domain import (
    ACCOUNTS_MANAGE,
    FACILITY_VIEW,
    GRID_VIEW,
    MEDIATION_MANAGE,
    MEDIATION_VIEW,
    SAFETY_FIGURES,
    SAFETY_POLICE,
    SAFETY_RECORD,
    Role,
)
from linli.accounts.selectors import posted_user_ids
from linli.areas.domain import DepartmentKind
from linli.areas.selectors import (
    community_positions,
    department_for,
    district_units,
    map_view_settings,
    org_unit_by_path,
    unit_names,
    units_under,
)
from linli.core.actor import Actor
from linli.core.errors import not_found
from linli.core.paths import under_path
from linli.facilities.domain import FacilityStatus
from linli.facilities.selectors import facility_list
from linli.grid_events.selectors import event_list
from linli.mediation.domain.four_zero import (
    FourZeroDefinition,
    MonthCounts,
    four_zero_definition,
    is_safety_category,
    month_end,
    months_back,
)
from linli.mediation.domain.safety import (
    COMMUNITY_KINDS,
    COMMUNITY_LEN,
    STALE_MINUTES,
    STREET_LEN,
    PoliceCaseKind,
    ZeroState,
)
from linli.mediation.models import Dispute, EmergencyDrill, FourZeroStatus, PoliceBeat, PoliceCase, SafetyIncident
from linli.mediation.selectors.scope import area_q, beat_paths, is_mediator_only, is_police_only
from linli.residents.selectors import residents_by_unit

TREND_MONTHS = 12


# ---- who may do what ---------------------------------------------------------------------------


def may_manage_beats(actor: Actor) -> bool:
    """The street's or district's mediation managers and the district's account managers link
    officers to communities (a posting-like act, within their scope)."""
    return actor.has_perm(MEDIATION_MANAGE) or actor.has_perm(ACCOUNTS_MANAGE)


def may_see_board(actor: Actor) -> bool:
    return actor.has_perm(SAFETY_FIGURES) or actor.has_perm(MEDIATION_VIEW)


def sees_community(actor: Actor, path: str) -> bool:
    """The community lies in the actor's area (a police officer: their beat today)."""
    if len(path) != COMMUNITY_LEN or not path.isdigit():
        return False
    if actor.is_system:
        return actor.sees_path(path)
    if is_police_only(actor):
        return path in beat_paths(actor)
    return actor.sees_path(path)


def community_unit(path: str):
    """The active community or village at `path`, or None."""
    unit = org_unit_by_path(path) if len(path) == COMMUNITY_LEN and path.isdigit() else None
    return unit if unit is not None and unit.kind in COMMUNITY_KINDS else None


def _common_prefix(paths: list[str]) -> str:
    if not paths:
        return ""
    first, last = min(paths), max(paths)
    length = 0
    while length < min(len(first), len(last)) and first[length] == last[length]:
        length += 1
    return first[:length]


def communities_existing(paths: list[str]) -> set[str]:
    """Those of the paths that are active communities or villages (one query, under the
    paths' common prefix)."""
    root = _common_prefix([p for p in paths if p.isdigit()])
    if not root:
        return {p for p in paths if community_unit(p) is not None}
    return {path for path, _, _ in units_under(under=root, kinds=COMMUNITY_KINDS)} & set(paths)


def communities_of(actor: Actor) -> list[tuple[str, str]]:
    """(path, name) of the communities and villages in the actor's area, in path order."""
    if is_mediator_only(actor) and not actor.is_system:
        return []  # a mediator holds their disputes, not an area (as `scope.area_q`)
    if is_police_only(actor) and not actor.is_system:
        paths = beat_paths(actor)
        names = unit_names(paths)
        return sorted((path, names.get(path, path)) for path in paths)
    rows: dict[str, str] = {}
    for root in actor.scope_paths:
        if root.isdigit():
            rows |= {path: name for path, name, _ in units_under(under=root[:COMMUNITY_LEN], kinds=COMMUNITY_KINDS)}
    return sorted(rows.items())


def district_paths() -> list[str]:
    return list(district_units().values_list("path", flat=True))


def _reader(permission: str, root: str) -> Actor:
    """The platform reading another app's rows under `root` (counts, never a person)."""
    return Actor.system("mediation.safety", permissions=frozenset({permission}), root_path=root)


def _city_root(actor: Actor) -> str:
    paths = [p for p in actor.scope_paths if p.isdigit()] or beat_paths(actor)
    return paths[0][:4] if paths else ""


# ---- police beats ------------------------------------------------------------------------------


def beat_list(*, actor: Actor, include_ended: bool = False) -> QuerySet[PoliceBeat]:
    if not (may_manage_beats(actor) or may_see_board(actor) or actor.has_perm(SAFETY_POLICE)):
        return PoliceBeat.objects.none()
    beats = PoliceBeat.objects.filter(area_q(actor))
    if not include_ended:
        beats = beats.filter(until__isnull=True)
    return beats.order_by("path", "-since", "-pk")


def beat_get(*, actor: Actor, pk: int) -> PoliceBeat:
    beat = beat_list(actor=actor, include_ended=True).filter(pk=pk).first() if may_manage_beats(actor) else None
    if beat is None:
        raise not_found("社区民警责任区", "Police beat")
    return beat


@dataclass(frozen=True)
class StaffingRow:
    path: str
    name: str
    beat: PoliceBeat | None  # the active beat; None: no officer (shown red)


def beat_staffing(*, actor: Actor) -> list[StaffingRow]:
    """Every community of the area with its active officer, or none (two queries)."""
    communities = communities_of(actor)
    beats = {b.path: b for b in beat_list(actor=actor).filter(path__in=[p for p, _ in communities])}
    return [StaffingRow(path, name, beats.get(path)) for path, name in communities]


def police_officers_for(community_path: str) -> list[tuple[int, str]]:
    """(user id, name) of the police officers posted at the community's district police
    department: who may serve the community's beat."""
    department = department_for(unit_path=community_path[:6], kind=DepartmentKind.POLICE)
    if department is None:
        return []
    ids = posted_user_ids(roles={Role.POLICE_OFFICER}, department_id=department.pk)
    users = get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("display_name", "username")
    return [(user.pk, user.display_name or user.username) for user in users]


def officers_by_district(districts) -> dict[str, list[tuple[int, str]]]:
    """The police officers who may serve beats, per district (one lookup per district)."""
    return {district: police_officers_for(district + "000000") for district in sorted(districts)}


def communities_with_officer(paths: list[str]) -> set[str]:
    """Those of the communities that have an active officer (one query)."""
    return set(PoliceBeat.objects.filter(path__in=paths, until__isnull=True).values_list("path", flat=True))


def beat_active_of(community_path: str) -> PoliceBeat | None:
    return PoliceBeat.objects.filter(path=community_path, until__isnull=True).first()


def _beat_paths_in(since: dt.date, until: dt.date, under: str) -> set[str]:
    """Communities under `under` that some officer served on any day between the two dates."""
    beats = PoliceBeat.objects.filter(under_path("path", under), since__lte=until).filter(
        Q(until__isnull=True) | Q(until__gte=since)
    )
    return set(beats.values_list("path", flat=True))


# ---- police cases and the officer's grid events -----------------------------------------------


def police_case_list(*, actor: Actor, month: dt.date | None = None) -> QuerySet[PoliceCase]:
    if not (actor.has_perm(SAFETY_POLICE) or may_see_board(actor)):
        return PoliceCase.objects.none()
    cases = PoliceCase.objects.filter(area_q(actor))
    if month is not None:
        cases = cases.filter(occurred_on__gte=month, occurred_on__lte=month_end(month))
    return cases.order_by("-occurred_on", "-pk")


def _events_in(actor: Actor, since: dt.date, until: dt.date):
    """Grid events reported in the actor's area between two days (inclusive), read through the
    grid-events app as the platform (a police officer holds no grid posting)."""
    root = _city_root(actor)
    if not root:
        return None
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min))
    return (
        event_list(actor=_reader(GRID_VIEW, root))
        .filter(area_q(actor, "community_path"), reported_at__gte=start, reported_at__lt=end)
        .order_by("-reported_at")
    )


def security_events(*, actor: Actor, since: dt.date, until: dt.date, limit: int = 100) -> list:
    """Grid events of the public-security categories (their department kind is the police)
    in the actor's area: what the community police officer receives."""
    if not (actor.has_perm(SAFETY_POLICE) or actor.has_perm(SAFETY_RECORD)):
        return []
    events = _events_in(actor, since, until)
    if events is None:
        return []
    return list(events.filter(category__department_kind=DepartmentKind.POLICE)[:limit])


def safety_events(*, actor: Actor, since: dt.date, until: dt.date, limit: int = 100) -> list:
    """Grid events of the four-zero's safety categories in the actor's area (they count as
    accidents; read-only here)."""
    if not (actor.has_perm(SAFETY_RECORD) or may_see_board(actor)):
        return []
    events = _events_in(actor, since, until)
    if events is None:
        return []
    return list(events.filter(_safety_q(four_zero_definition()))[:limit])


def _safety_q(definition: FourZeroDefinition) -> Q:
    query = Q(pk__in=[])
    for prefix in definition.safety_categories:
        query |= Q(category__code__startswith=prefix)
    return query


def grid_event_in(*, number: str, community_path: str):
    """The grid event with this number if it was reported in the community, else None."""
    events = event_list(actor=_reader(GRID_VIEW, community_path))
    return events.filter(number=number, community_path=community_path).first()


# ---- incidents and drills ----------------------------------------------------------------------


def incident_list(*, actor: Actor, month: dt.date | None = None) -> QuerySet[SafetyIncident]:
    if not (actor.has_perm(SAFETY_RECORD) or may_see_board(actor)):
        return SafetyIncident.objects.none()
    incidents = SafetyIncident.objects.filter(area_q(actor))
    if month is not None:
        incidents = incidents.filter(occurred_on__gte=month, occurred_on__lte=month_end(month))
    return incidents.order_by("-occurred_on", "-pk")


def drill_list(*, actor: Actor, year: int | None = None) -> QuerySet[EmergencyDrill]:
    if not (actor.has_perm(SAFETY_RECORD) or may_see_board(actor)):
        return EmergencyDrill.objects.none()
    drills = EmergencyDrill.objects.filter(area_q(actor))
    if year is not None:
        drills = drills.filter(held_on__year=year)
    return drills.order_by("-held_on", "-pk")


def drill_places(community_path: str, limit: int = 50) -> list[tuple[str, str]]:
    """(public id, name) of the registry's facilities in service in the community's street,
    shelters first: where a drill may be held."""
    street = community_path[:STREET_LEN]
    facilities = facility_list(actor=_reader(FACILITY_VIEW, street), status=FacilityStatus.OPEN, under=street)
    rows = facilities.order_by("-kind__is_shelter", "name").values_list("public_id", "name", "kind__name")[:limit]
    return [(str(public_id), f"{name}（{kind}）") for public_id, name, kind in rows]


def drill_places_for(community_paths: list[str], streets_max: int = 3) -> list[tuple[str, str]]:
    """The places of the streets of these communities (a form's choices; a few streets at most)."""
    streets = sorted({p[:STREET_LEN] for p in community_paths})[:streets_max]
    return [place for street in streets for place in drill_places(street + "000")]


def drill_place_ok(community_path: str, facility_ref: str) -> bool:
    return any(ref == str(facility_ref) for ref, _ in drill_places(community_path, limit=1000))


def drill_place_names(drills) -> dict[str, str]:
    """Facility names of the drills' places (one query), by public id."""
    refs = {str(d.facility_ref): d.path[:4] for d in drills if d.facility_ref}
    if not refs:
        return {}
    reader = _reader(FACILITY_VIEW, next(iter(refs.values())))  # the drills' city
    rows = facility_list(actor=reader).filter(public_id__in=list(refs)).values_list("public_id", "name")
    return {str(public_id): name for public_id, name in rows}


# ---- the four-zero counts ----------------------------------------------------------------------


def _per_community(rows) -> dict[str, int]:
    return {row["unit"]: row["n"] for row in rows}


def _grouped(queryset: QuerySet, field_name: str = "path") -> dict[str, int]:
    rows = queryset.annotate(unit=Substr(field_name, 1, COMMUNITY_LEN)).values("unit").annotate(n=Count("pk"))
    return _per_community(rows)


def four_zero_counts(*, under: str, month: dt.date) -> dict[str, MonthCounts]:
    """The records' counts for every community and village under `under` in `month` (the first
    day), in a fixed number of grouped queries whatever the number of communities."""
    definition = four_zero_definition()
    last = month_end(month)
    communities = [path for path, _, _ in units_under(under=under, kinds=COMMUNITY_KINDS)]
    root = under[:COMMUNITY_LEN]
    petitions = _grouped(
        Dispute.objects.filter(under_path("path", root), escalated=True, registered_on__gte=month)
        .filter(registered_on__lte=last)
        .order_by()
    )
    incidents = SafetyIncident.objects.filter(under_path("path", root), occurred_on__gte=month, occurred_on__lte=last)
    accidents: dict[str, int] = defaultdict(int)
    counted_events: set[str] = set()
    for path, number in incidents.values_list("path", "grid_event_number"):
        accidents[path] += 1
        if number:
            counted_events.add(number)  # the incident report and its grid event are one accident
    start = timezone.make_aware(dt.datetime.combine(month, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
    events = event_list(actor=_reader(GRID_VIEW, root)).filter(
        _safety_q(definition), under_path("community_path", root), reported_at__gte=start, reported_at__lt=end
    )
    for path, number, code in events.order_by().values_list("community_path", "number", "category__code"):
        if number not in counted_events and is_safety_category(code or "", definition):
            accidents[path] += 1
    cases = _grouped(
        PoliceCase.objects.filter(under_path("path", root), kind=PoliceCaseKind.CRIMINAL, occurred_on__gte=month)
        .filter(occurred_on__lte=last)
        .order_by()
    )
    drills = _grouped(
        EmergencyDrill.objects.filter(under_path("path", root), held_on__gte=month.replace(month=1))
        .filter(held_on__lte=last)
        .order_by()
    )
    served = _beat_paths_in(month, last, root)
    # a shelter counts for the community its unit path lies in (one registered at a street counts for none)
    shelters = facility_list(actor=_reader(FACILITY_VIEW, root), status=FacilityStatus.OPEN).filter(
        kind__is_shelter=True
    )
    shelter_m2: dict[str, Decimal] = {
        row["unit"]: row["m2"]
        for row in shelters.order_by()
        .annotate(unit=Substr("path", 1, COMMUNITY_LEN))
        .values("unit")
        .annotate(m2=Sum("floor_area_m2"))
    }
    residents = residents_by_unit(under=root, length=COMMUNITY_LEN)
    return {
        path: MonthCounts(
            petitions=petitions.get(path, 0),
            accidents=accidents.get(path, 0),
            cases=cases.get(path, 0) if path in served else None,
            drills=drills.get(path, 0),
            shelter_m2=shelter_m2.get(path),
            residents=residents.get(path, 0),
        )
        for path in communities
    }


# ---- the board ---------------------------------------------------------------------------------


def _status_q(actor: Actor) -> Q:
    return area_q(actor) if may_see_board(actor) or actor.has_perm(SAFETY_POLICE) else Q(pk__in=[])


def four_zero_fresh(*, actor: Actor, month: dt.date, now: dt.datetime | None = None) -> bool:
    """The stored statuses of the area for the month exist for every community and are newer
    than STALE_MINUTES (one query)."""
    now = now or timezone.now()
    figures = FourZeroStatus.objects.filter(_status_q(actor), month=month).aggregate(
        oldest=Min("computed_at"), n=Count("pk")
    )
    if not figures["n"]:
        return False
    return figures["n"] >= len(communities_of(actor)) and figures["oldest"] >= now - dt.timedelta(minutes=STALE_MINUTES)


@dataclass
class BoardRow:
    path: str
    name: str
    street: str
    status: FourZeroStatus
    lat: float | None = None
    lng: float | None = None

    @property
    def marks(self) -> list[str]:
        s = self.status
        return [s.petitions_state, s.accidents_state, s.cases_state, s.readiness_state]

    @property
    def colour(self) -> str:
        """The map's colour: green four-zero, red a zero missed, grey no records for a zero."""
        if self.status.four_zero:
            return "met"
        return "missed" if ZeroState.MISSED in self.marks else "no_data"


@dataclass
class Board:
    month: dt.date
    rows: list[BoardRow]
    trend: list[tuple[dt.date, int, int]]  # (month, four-zero communities, communities with a status)
    misses_by_street: list[tuple[str, dict[str, int]]] = field(default_factory=list)
    computed_at: dt.datetime | None = None

    @property
    def four_zero(self) -> int:
        return sum(1 for r in self.rows if r.status.four_zero)

    @property
    def drills_only(self) -> int:
        return sum(1 for r in self.rows if r.status.shelter_m2_per_resident is None)


def four_zero_board(*, actor: Actor, month: dt.date, street: str = "") -> Board:
    """One row per community from the stored statuses, with the names, the map's points, the
    twelve months' trend and the misses by street (five queries)."""
    if not may_see_board(actor):
        raise not_found("四零社区看板", "Four-zero board")
    statuses = FourZeroStatus.objects.filter(_status_q(actor), month=month)
    if street.isdigit():
        statuses = statuses.filter(under_path("path", street))
    statuses_list = list(statuses.order_by("path"))
    paths = {s.path for s in statuses_list}
    names = unit_names(paths | {p[:STREET_LEN] for p in paths})
    positions = community_positions()
    where = {key: (float(positions.lat[i]), float(positions.lng[i])) for i, key in enumerate(positions.keys)}
    rows = [
        BoardRow(
            s.path, names.get(s.path, s.path), names.get(s.path[:STREET_LEN], ""), s, *where.get(s.path, (None, None))
        )
        for s in statuses_list
    ]
    window = months_back(month, TREND_MONTHS)
    trend_q = FourZeroStatus.objects.filter(_status_q(actor), month__gte=window[0], month__lte=month)
    if street.isdigit():
        trend_q = trend_q.filter(under_path("path", street))
    by_month = {
        r["month"]: (r["yes"], r["n"])
        for r in trend_q.order_by().values("month").annotate(yes=Count("pk", filter=Q(four_zero=True)), n=Count("pk"))
    }
    trend = [(m, *by_month.get(m, (0, 0))) for m in window]
    return Board(month, rows, trend, _misses_by_street(rows), max((s.computed_at for s in statuses_list), default=None))


def _misses_by_street(rows: list[BoardRow]) -> list[tuple[str, dict[str, int]]]:
    streets: dict[str, dict[str, int]] = {}
    for row in rows:
        counts = streets.setdefault(row.street or row.path[:STREET_LEN], dict.fromkeys(ZEROS_KEYS, 0))
        for key, state in zip(ZEROS_KEYS, row.marks, strict=True):
            if state == ZeroState.MISSED:
                counts[key] += 1
    return sorted(streets.items())


ZEROS_KEYS = ("petitions", "accidents", "cases", "readiness")


def four_zero_list(*, actor: Actor, month: dt.date) -> QuerySet[FourZeroStatus]:
    """The stored statuses of the area for a month (the API's list)."""
    if not may_see_board(actor):
        return FourZeroStatus.objects.none()
    return FourZeroStatus.objects.filter(_status_q(actor), month=month).order_by("path")


def districts_stale(*, month: dt.date, before: dt.datetime) -> list[str]:
    """Districts whose statuses of the month are missing or were computed before `before`
    (two queries)."""
    oldest = {
        row["district"]: row["oldest"]
        for row in FourZeroStatus.objects.filter(month=month)
        .annotate(district=Substr("path", 1, 6))
        .values("district")
        .annotate(oldest=Min("computed_at"))
    }
    return [path for path in district_paths() if path not in oldest or oldest[path] < before]


def months_stored(*, under: str, months: list[dt.date]) -> set[dt.date]:
    """Which of the months already have stored statuses under a path (one query)."""
    stored = FourZeroStatus.objects.filter(under_path("path", under), month__in=months)
    return set(stored.values_list("month", flat=True).distinct())


def records_exist(*, under: str) -> dict[str, bool]:
    """Whether any beat, drill, incident or police case is recorded under a path (the demo's
    idempotency: each part is made once)."""
    q = under_path("path", under)
    return {
        "beats": PoliceBeat.objects.filter(q).exists(),
        "drills": EmergencyDrill.objects.filter(q).exists(),
        "incidents": SafetyIncident.objects.filter(q).exists(),
        "cases": PoliceCase.objects.filter(q).exists(),
    }


def last_status_month(*, actor: Actor) -> dt.date | None:
    return FourZeroStatus.objects.filter(_status_q(actor)).aggregate(m=Max("month"))["m"]


def map_settings(*, actor: Actor) -> dict:
    """The board map's tile server and centre (see `areas.selectors.map_view_settings`)."""
    return map_view_settings(actor=actor)


# ---- the workbench -----------------------------------------------------------------------------


def communities_missed(*, actor: Actor, month: dt.date) -> list[tuple[str, str, list[str]]]:
    """(path, name, zeros missed) of the area's communities that missed a zero in the month."""
    statuses = list(
        FourZeroStatus.objects.filter(_status_q(actor), month=month)
        .filter(
            Q(petitions_state=ZeroState.MISSED)
            | Q(accidents_state=ZeroState.MISSED)
            | Q(cases_state=ZeroState.MISSED)
            | Q(readiness_state=ZeroState.MISSED)
        )
        .order_by("path")
    )
    names = unit_names([s.path for s in statuses])
    result = []
    for s in statuses:
        marks = (s.petitions_state, s.accidents_state, s.cases_state, s.readiness_state)
        missed = [key for key, state in zip(ZEROS_KEYS, marks, strict=True) if state == ZeroState.MISSED]
        result.append((s.path, names.get(s.path, s.path), missed))
    return result


def communities_without_drill(*, actor: Actor, year: int) -> list[tuple[str, str]]:
    """(path, name) of the area's communities with no drill recorded this year."""
    communities = communities_of(actor)
    held = set(
        EmergencyDrill.objects.filter(area_q(actor), held_on__year=year).values_list("path", flat=True).distinct()
    )
    return [(path, name) for path, name in communities if path not in held]
