"""Reads of social organisations, scoped by the actor; missing and forbidden are the same 404.

Who sees what:
- staff whose roles (other than organiser) carry PARTNERS_VIEW or PARTNERS_EDIT: organisations
  based under their scope paths, and every citywide organisation of a city they work in;
- an organiser: only the organisations their account speaks for (`OrgMember`);
- anyone else: nothing.

Other apps use three functions with fixed signatures: `org_ids_for`, `social_org_brief` and
`social_org_choices`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet

from linli.accounts.domain import PARTNERS_EDIT, PARTNERS_VIEW, Role, permissions_for
from linli.areas.selectors import unit_names, units_under
from linli.core.actor import Actor
from linli.core.errors import not_found
from linli.core.ids import uuid_or_none
from linli.core.paths import under_path
from linli.partners.domain import (
    FILED_REMINDER_DAYS,
    TERM_ENDING_DAYS,
    OrgKind,
    OrgStatus,
    PremisesStatus,
)
from linli.partners.models import (
    EvaluationSheet,
    OrgEvaluation,
    OrgMember,
    Premises,
    SocialOrg,
    SocialWorker,
    SocialWorkStation,
)

# ---- who may do what -------------------------------------------------------------------------


def _staff_permissions(actor: Actor) -> frozenset[str]:
    """Permissions from the actor's roles other than organiser (a system actor's as given)."""
    if actor.is_system:
        return actor.permissions
    return permissions_for(set(actor.roles) - {Role.ORGANISER, Role.RESIDENT}) & actor.permissions


def staff_may_view(actor: Actor) -> bool:
    granted = _staff_permissions(actor)
    return bool(actor.scope_paths) and bool({PARTNERS_VIEW, PARTNERS_EDIT} & granted)


def may_edit(actor: Actor) -> bool:
    return bool(actor.scope_paths) and PARTNERS_EDIT in _staff_permissions(actor)


def is_organiser(actor: Actor) -> bool:
    return actor.user_id is not None and actor.has_role(Role.ORGANISER)


def _prefixes(paths: tuple[str, ...]) -> set[str]:
    return {path[:n] for path in paths for n in range(1, len(path) + 1)}


def _staff_q(actor: Actor) -> Q:
    """Organisations based in the scope, and citywide ones of a city above it."""
    return actor.scope_q("unit_path") | Q(citywide=True, unit_path__in=_prefixes(actor.scope_paths))


# ---- the three selectors other apps call ----------------------------------------------------------


@dataclass(frozen=True)
class OrgBrief:
    public_id: uuid.UUID
    name: str
    name_en: str
    kind: str
    kind_label: str
    unit_path: str
    unit_name: str
    citywide: bool
    active: bool


def org_ids_for(actor: Actor) -> frozenset[uuid.UUID]:
    """The public ids of the active organisations this actor speaks for (empty for non-organisers)."""
    user_id = actor.user_id
    if user_id is None or not is_organiser(actor):
        return frozenset()
    rows = OrgMember.objects.filter(user_id=user_id, social_org__active=True).values_list(
        "social_org__public_id", flat=True
    )
    return frozenset(rows)


def _briefs(orgs) -> list[OrgBrief]:
    orgs = list(orgs)
    names = unit_names({org.unit_path for org in orgs})
    return [
        OrgBrief(
            public_id=org.public_id,
            name=org.name,
            name_en=org.name_en,
            kind=org.kind,
            kind_label=str(OrgKind(org.kind).label),
            unit_path=org.unit_path,
            unit_name=names.get(org.unit_path, ""),
            citywide=org.citywide,
            active=org.active,
        )
        for org in orgs
    ]


def social_org_brief(public_id) -> OrgBrief | None:
    """What another app shows of an organisation (no personal data), or None for an unknown id."""
    key = uuid_or_none(public_id)
    if key is None:
        return None
    org = SocialOrg.objects.filter(public_id=key).first()
    return _briefs([org])[0] if org else None


def social_org_choices(actor: Actor) -> list[OrgBrief]:
    """The active organisations the actor may pick: an organiser its own; staff those in their
    scope and the citywide ones."""
    orgs = SocialOrg.objects.filter(active=True)
    query = Q(pk__in=[])
    if is_organiser(actor):
        query |= Q(members__user_id=actor.user_id)
    if actor.scope_paths and (actor.is_system or set(actor.roles) - {Role.ORGANISER, Role.RESIDENT}):
        query |= _staff_q(actor)
    return _briefs(orgs.filter(query).distinct().order_by("name", "pk"))


# ---- the register ------------------------------------------------------------------------------------


def _visible(actor: Actor) -> Q | None:
    query = None
    if staff_may_view(actor):
        query = _staff_q(actor)
    if is_organiser(actor) and PARTNERS_VIEW in actor.permissions:
        own = Q(members__user_id=actor.user_id)
        query = own if query is None else query | own
    return query


def social_org_list(
    *,
    actor: Actor,
    kind: str = "",
    status: str = "",
    grade: str = "",
    under: str = "",
    q: str = "",
    active: str = "1",
) -> QuerySet[SocialOrg]:
    query = _visible(actor)
    if query is None:
        return SocialOrg.objects.none()
    orgs = SocialOrg.objects.filter(pk__in=SocialOrg.objects.filter(query).values("pk"))
    if kind:
        orgs = orgs.filter(kind=kind)
    if status:
        orgs = orgs.filter(status=status)
    if grade == "none":
        orgs = orgs.filter(grade="")
    elif grade:
        orgs = orgs.filter(grade=grade)
    if under.isdigit():
        orgs = orgs.filter(under_path("unit_path", under))
    if q:
        orgs = orgs.filter(Q(name__contains=q) | Q(credit_code=q.upper()) | Q(services__contains=q))
    if active == "1":
        orgs = orgs.filter(active=True)
    elif active == "0":
        orgs = orgs.filter(active=False)
    return orgs.order_by("unit_path", "name", "pk")


def social_org_get(*, actor: Actor, public_id) -> SocialOrg:
    key = uuid_or_none(public_id)
    if key is None:
        raise not_found("社会组织", "Social organisation")
    org = social_org_list(actor=actor, active="").filter(public_id=key).first()
    if org is None:
        raise not_found("社会组织", "Social organisation")
    return org


def social_org_editable(*, actor: Actor, org: SocialOrg) -> bool:
    """The civil-affairs officer keeps organisations based in their scope (a citywide one only
    from the city)."""
    return may_edit(actor) and actor.sees_path(org.unit_path)


def unit_name_map(paths) -> dict[str, str]:
    return unit_names(paths)


def evaluation_list(*, org: SocialOrg) -> QuerySet[OrgEvaluation]:
    """The evaluations of an organisation the caller already got through `social_org_get`."""
    return org.evaluations.select_related("sheet").order_by("-year")


def evaluations_visible(*, actor: Actor, year: int | None = None) -> QuerySet[OrgEvaluation]:
    query = _visible(actor)
    if query is None:
        return OrgEvaluation.objects.none()
    evaluations = OrgEvaluation.objects.filter(social_org__in=SocialOrg.objects.filter(query).values("pk"))
    if year:
        evaluations = evaluations.filter(year=year)
    return evaluations.select_related("social_org", "sheet").order_by("-year", "social_org__name", "pk")


def evaluation_get(*, actor: Actor, public_id) -> OrgEvaluation:
    key = uuid_or_none(public_id)
    if key is None:
        raise not_found("评估", "Evaluation")
    evaluation = evaluations_visible(actor=actor).filter(public_id=key).first()
    if evaluation is None:
        raise not_found("评估", "Evaluation")
    return evaluation


def sheet_default() -> EvaluationSheet | None:
    return EvaluationSheet.objects.order_by("-is_default", "pk").first()


def sheet_list() -> QuerySet[EvaluationSheet]:
    return EvaluationSheet.objects.all()


def members_of(*, org: SocialOrg) -> list[tuple[str, str]]:
    """(username, display name) of the accounts speaking for an organisation."""
    return list(
        OrgMember.objects.filter(social_org=org)
        .order_by("user__username")
        .values_list("user__username", "user__display_name")
    )


# ---- stations and social workers ---------------------------------------------------------------------


def _station_view(actor: Actor) -> bool:
    return staff_may_view(actor) or (is_organiser(actor) and PARTNERS_VIEW in actor.permissions)


def _station_q(actor: Actor) -> Q:
    """Stations of the streets in scope, and the station of the street a community worker's
    community belongs to."""
    if not actor.scope_paths:
        return Q(pk__in=[])
    return actor.scope_q("street_path") | Q(street_path__in=_prefixes(actor.scope_paths))


def station_list(*, actor: Actor, under: str = "", brand: str = "") -> QuerySet[SocialWorkStation]:
    if not _station_view(actor):
        return SocialWorkStation.objects.none()
    stations = SocialWorkStation.objects.filter(_station_q(actor))
    if under.isdigit():
        stations = stations.filter(under_path("street_path", under))
    if brand == "1":
        stations = stations.filter(brand=True)
    return stations.annotate(
        worker_count=Count("workers", filter=Q(workers__active=True)),
        certified_count=Count("workers", filter=Q(workers__active=True) & ~Q(workers__certificate_level="none")),
    ).order_by("street_path")


def station_get(*, actor: Actor, public_id) -> SocialWorkStation:
    key = uuid_or_none(public_id)
    if key is None:
        raise not_found("社工站", "Social-work station")
    station = station_list(actor=actor).filter(public_id=key).first()
    if station is None:
        raise not_found("社工站", "Social-work station")
    return station


def worker_list(*, actor: Actor, station: SocialWorkStation | None = None) -> QuerySet[SocialWorker]:
    if not _station_view(actor):
        return SocialWorker.objects.none()
    workers = SocialWorker.objects.filter(station__in=SocialWorkStation.objects.filter(_station_q(actor)).values("pk"))
    if station is not None:
        workers = workers.filter(station=station)
    return workers.select_related("station").order_by("station__street_path", "-active", "name", "pk")


def worker_get(*, actor: Actor, public_id) -> SocialWorker:
    key = uuid_or_none(public_id)
    if key is None:
        raise not_found("社会工作者", "Social worker")
    worker = worker_list(actor=actor).filter(public_id=key).first()
    if worker is None:
        raise not_found("社会工作者", "Social worker")
    return worker


def streets_without_station(*, actor: Actor) -> list[tuple[str, str]]:
    """(path, name) of the streets in scope that have no station yet: what a new one may be for."""
    if not may_edit(actor):
        return []
    taken = set(SocialWorkStation.objects.values_list("street_path", flat=True))
    streets = [row for root in actor.scope_paths for row in units_under(under=root, kinds=("street",))]
    return [(path, name) for path, name, _ in streets if path not in taken]


# ---- premises -----------------------------------------------------------------------------------------


def premises_list(*, actor: Actor, status: str = "", under: str = "") -> QuerySet[Premises]:
    if not staff_may_view(actor):
        return Premises.objects.none()
    premises = actor.scoped(Premises.objects.all())
    if status:
        premises = premises.filter(status=status)
    if under.isdigit():
        premises = premises.filter(under_path("path", under))
    return premises.order_by("path", "term_to", "pk")


def premises_get(*, actor: Actor, public_id) -> Premises:
    key = uuid_or_none(public_id)
    if key is None:
        raise not_found("闲置场地", "Premises")
    found = premises_list(actor=actor).filter(public_id=key).first()
    if found is None:
        raise not_found("闲置场地", "Premises")
    return found


# ---- the officer's day ----------------------------------------------------------------------------------


def orgs_without_evaluation(*, actor: Actor, year: int) -> QuerySet[SocialOrg]:
    """Active organisations in the officer's scope with no evaluation for `year`."""
    if not may_edit(actor):
        return SocialOrg.objects.none()
    return (
        actor.scoped(SocialOrg.objects.filter(active=True), "unit_path")
        .exclude(evaluations__year=year)
        .order_by("unit_path", "name", "pk")
    )


def filed_orgs_overdue(*, actor: Actor, today: date) -> QuerySet[SocialOrg]:
    """Filed (备案) organisations on the register for more than a year and still not registered."""
    if not may_edit(actor):
        return SocialOrg.objects.none()
    cutoff = today - timedelta(days=FILED_REMINDER_DAYS)
    return actor.scoped(
        SocialOrg.objects.filter(active=True, status=OrgStatus.FILED).filter(
            Q(filed_on__lt=cutoff) | Q(filed_on__isnull=True, created_at__date__lt=cutoff)
        ),
        "unit_path",
    ).order_by("filed_on", "pk")


def premises_terms_ending(*, actor: Actor, today: date) -> QuerySet[Premises]:
    if not may_edit(actor):
        return Premises.objects.none()
    return actor.scoped(
        Premises.objects.filter(
            status__in=[PremisesStatus.OFFERED, PremisesStatus.IN_USE],
            term_to__gte=today,
            term_to__lte=today + timedelta(days=TERM_ENDING_DAYS),
        )
    ).order_by("term_to", "pk")


# ---- figures ------------------------------------------------------------------------------------------


@dataclass
class FigureRow:
    path: str
    name: str
    by_kind: dict[str, int]
    by_grade: dict[str, int]
    orgs: int = 0
    registered: int = 0
    streets: int = 0
    streets_with_station: int = 0
    brand_stations: int = 0
    social_workers: int = 0
    certified_workers: int = 0
    premises_in_use: int = 0
    premises_area_m2: float = 0.0

    @property
    def coverage(self):
        from linli.partners.domain import coverage_rate

        return coverage_rate(self.streets_with_station, self.streets)

    @property
    def graded(self) -> int:
        return sum(self.by_grade.values())


@dataclass
class Figures:
    root_path: str
    root_name: str
    child_heading_kind: str  # "district" or "street" or "community"
    rows: list[FigureRow]
    total: FigureRow
    citywide_orgs: int


def figures_root(actor: Actor, under: str = "") -> str:
    """The area the figures page shows: `under` when the actor sees it, else the actor's first."""
    if not staff_may_view(actor):
        raise not_found("区域", "Area")
    if under and under.isdigit() and actor.sees_path(under):
        return under
    return actor.scope_paths[0]


def _child_length(root: str) -> int:
    return {4: 6, 6: 9, 9: 12}.get(len(root), 12)


def partner_figures(*, actor: Actor, under: str = "") -> Figures:
    """Organisations by kind and grade, stations and their coverage of streets, brand stations,
    social workers and premises in use, per child unit of the area (districts of the city, streets
    of a district, communities of a street), in a handful of grouped queries."""
    from django.db.models import Sum
    from django.db.models.functions import Substr

    from linli.partners.domain import GRADES

    root = figures_root(actor, under)
    length = _child_length(root)
    child_kinds = {6: ("district",), 9: ("street",), 12: ("community", "village")}[length]
    children = units_under(under=root, kinds=child_kinds)
    rows = {
        path: FigureRow(path=path, name=name, by_kind={k: 0 for k in OrgKind.values}, by_grade=dict.fromkeys(GRADES, 0))
        for path, name, _ in children
    }
    total = FigureRow(
        path=root,
        name=unit_names([root]).get(root, root),
        by_kind={k: 0 for k in OrgKind.values},
        by_grade=dict.fromkeys(GRADES, 0),
    )
    orgs = (
        SocialOrg.objects.filter(under_path("unit_path", root), active=True, citywide=False)
        .annotate(child=Substr("unit_path", 1, length))
        .values("child", "kind", "grade", "status")
        .annotate(n=Count("pk"))
    )
    for row in orgs:
        targets = [total] + ([rows[row["child"]]] if row["child"] in rows else [])
        for target in targets:
            target.orgs += row["n"]
            target.by_kind[row["kind"]] = target.by_kind.get(row["kind"], 0) + row["n"]
            if row["grade"] in target.by_grade:
                target.by_grade[row["grade"]] += row["n"]
            if row["status"] == OrgStatus.REGISTERED:
                target.registered += row["n"]
    street_length = 9
    streets = units_under(under=root, kinds=("street",)) if len(root) <= street_length else []
    stations = {
        s["street_path"]: s
        for s in SocialWorkStation.objects.filter(under_path("street_path", root)).values("street_path", "brand")
    }
    for path, _name, _ur in streets:
        targets = [total] + ([rows[path[:length]]] if path[:length] in rows else [])
        for target in targets:
            target.streets += 1
            if path in stations:
                target.streets_with_station += 1
                target.brand_stations += int(stations[path]["brand"])
    workers = (
        SocialWorker.objects.filter(under_path("station__street_path", root), active=True)
        .annotate(child=Substr("station__street_path", 1, min(length, street_length)))
        .values("child", "certificate_level")
        .annotate(n=Count("pk"))
    )
    for worker_row in workers:
        targets = [total] + ([rows[worker_row["child"]]] if worker_row["child"] in rows else [])
        for target in targets:
            target.social_workers += worker_row["n"]
            if worker_row["certificate_level"] != "none":
                target.certified_workers += worker_row["n"]
    premises = (
        Premises.objects.filter(under_path("path", root), status=PremisesStatus.IN_USE)
        .annotate(child=Substr("path", 1, length))
        .values("child")
        .annotate(n=Count("pk"), area=Sum("area_m2"))
    )
    for premises_row in premises:
        targets = [total] + ([rows[premises_row["child"]]] if premises_row["child"] in rows else [])
        for target in targets:
            target.premises_in_use += premises_row["n"]
            target.premises_area_m2 += float(premises_row["area"] or 0)
    citywide = (
        SocialOrg.objects.filter(active=True, citywide=True, unit_path__in=_prefixes((root,))).count()
        if len(root) <= 4
        else 0
    )
    return Figures(
        root_path=root,
        root_name=total.name,
        child_heading_kind=child_kinds[0],
        rows=list(rows.values()),
        total=total,
        citywide_orgs=citywide,
    )


def unit_choices(*, actor: Actor, kinds: tuple[str, ...] = ("district", "street", "community", "village")):
    """(path, name) of the units of these kinds in the actor's scope, indented by level: what a
    form offers for "based in" or "area"."""
    choices: list[tuple[str, str]] = []
    for root in actor.scope_paths:
        for path, name, _ur in units_under(under=root, kinds=kinds):
            indent = {4: "", 6: "", 9: "— ", 12: "—— "}.get(len(path), "")
            choices.append((path, f"{indent}{name}"))
    return choices


def register_has_rows() -> bool:
    """Whether any organisation is on the register (the demo fills an empty one only)."""
    return SocialOrg.objects.exists()


def premises_has_rows() -> bool:
    return Premises.objects.exists()
