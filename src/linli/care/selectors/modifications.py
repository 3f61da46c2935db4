"""Care services, stage modifications: reads, scoped by the actor's paths, failing closed (one 404
for missing and forbidden). Figures count households whose subsidy is paid, per district and year,
against each district's target (a row the city set, else its share of the city's goal in
proportion to its elders in difficulty)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear, Substr
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.accounts.domain import CARE_FIGURES, CARE_MANAGE, CARE_PAY, CARE_VIEW
from linli.areas.selectors import district_units
from linli.care.domain.modifications import (
    CANDIDATE_KINDS,
    CANDIDATE_MIN_AGE,
    CITY_GOAL,
    GOAL_YEAR,
    OPEN_STATES,
    ModState,
    split_goal,
)
from linli.care.domain.targets import Target
from linli.care.models import (
    ModificationApplication,
    ModificationCap,
    ModificationItem,
    ModificationLine,
    ModificationPhoto,
    ModificationStep,
    ModificationTarget,
    Provider,
)
from linli.care.selectors.orders import people_i_care_for
from linli.core.actor import Actor
from linli.core.errors import not_found
from linli.core.ids import uuid_or_none
from linli.core.workbench import WorkCount, WorkRow, WorkSection
from linli.residents.selectors import CarePerson, care_group_counts_under, care_people_in_groups

CITY_PATH_LENGTH = 4
DISTRICT_PATH_LENGTH = 6


# ---------------------------------------------------------------- the standard items


def current_items(on: date) -> list[ModificationItem]:
    """Each item's row in force on `on` (the latest dated row not after it), retired ones left
    out, in the checklist's order (group, then code)."""
    latest: dict[str, ModificationItem] = {}
    for row in ModificationItem.objects.filter(valid_from__lte=on).order_by("code", "-valid_from", "-pk"):
        latest.setdefault(row.code, row)
    return sorted((r for r in latest.values() if not r.retired), key=lambda r: (r.group, r.code))


def item_history(code: str) -> list[ModificationItem]:
    return list(ModificationItem.objects.filter(code=code).order_by("-valid_from", "-pk"))


def current_cap(on: date) -> Decimal:
    row = ModificationCap.objects.filter(valid_from__lte=on).order_by("-valid_from").first()
    return row.amount if row else Decimal(0)


# ---------------------------------------------------------------- applications


def can_see(actor: Actor) -> bool:
    return any(actor.has_perm(p) for p in (CARE_VIEW, CARE_MANAGE, CARE_PAY))


def application_list(*, actor: Actor, state: str = "", q: str = "") -> QuerySet[ModificationApplication]:
    if not can_see(actor):
        return ModificationApplication.objects.none()
    rows = actor.scoped(ModificationApplication.objects.all())
    if state == "open":
        rows = rows.filter(state__in=OPEN_STATES)
    elif state:
        rows = rows.filter(state=state)
    if q:
        rows = rows.filter(Q(person_name__contains=q) | Q(number__contains=q))
    return rows.order_by("assess_due", "-created_at", "-pk") if state == ModState.APPLIED else rows


def application_get(*, actor: Actor, public_id) -> ModificationApplication:
    ref = uuid_or_none(public_id)
    found = None
    if can_see(actor) and ref is not None:
        rows = actor.scoped(ModificationApplication.objects.select_related("contractor"))
        found = rows.filter(public_id=ref).first()
    if found is None:
        raise not_found("改造申请", "Home modification")
    return found


def application_counts(*, actor: Actor, today: date) -> dict[str, int]:
    """Applications per state in the actor's scope, with the overdue assessments and payments."""
    rows = application_list(actor=actor)
    counts = dict(rows.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    counts["assess_overdue"] = rows.filter(state=ModState.APPLIED, assess_due__lt=today).count()
    counts["pay_overdue"] = rows.filter(state=ModState.ACCEPTED, pay_due__lt=today).count()
    return counts


def application_lines(application: ModificationApplication) -> list[ModificationLine]:
    return list(application.lines.select_related("item").order_by("item__group", "item__code", "pk"))


def application_photos(application: ModificationApplication) -> list[ModificationPhoto]:
    return list(application.photos.defer("sealed").order_by("uploaded_at", "pk"))


def application_steps(application: ModificationApplication) -> list[ModificationStep]:
    return list(ModificationStep.objects.filter(application=application).order_by("at", "pk"))


def photo_get(application: ModificationApplication, public_id) -> ModificationPhoto:
    ref = uuid_or_none(public_id)
    photo = ModificationPhoto.objects.filter(application=application, public_id=ref).first() if ref else None
    if photo is None:
        raise not_found("照片", "Photo")
    return photo


# ---------------------------------------------------------------- the family's own


def my_refs(user_id: int | None) -> dict[str, CarePerson]:
    """The people a resident account may apply for (themself, their household, linked elders)."""
    return {p.public_id: p for p in people_i_care_for(user_id)} if user_id else {}


def my_applications(user_id: int | None) -> QuerySet[ModificationApplication]:
    """Applications for the people the account cares for, or that the account made."""
    if not user_id:
        return ModificationApplication.objects.none()
    refs = list(my_refs(user_id))
    return ModificationApplication.objects.filter(Q(person_ref__in=refs) | Q(applied_by_id=user_id)).order_by(
        "-created_at", "-pk"
    )


def my_application_get(user_id: int | None, public_id) -> ModificationApplication:
    ref = uuid_or_none(public_id)
    found = my_applications(user_id).filter(public_id=ref).first() if ref else None
    if found is None:
        raise not_found("改造申请", "Home modification")
    return found


# ---------------------------------------------------------------- candidates from the pool


def candidates(*, actor: Actor, today: date, under: str = "", limit: int = 200) -> list[CarePerson]:
    """Elders in difficulty (CANDIDATE_KINDS, aged 60 or more) of the actor's scope whose household
    has no application that is open or done (a refused or withdrawn one does not count)."""
    if not actor.has_perm(CARE_MANAGE):
        return []
    try:
        floor = today.replace(year=today.year - CANDIDATE_MIN_AGE)
    except ValueError:  # 29 February
        floor = today.replace(year=today.year - CANDIDATE_MIN_AGE, day=28)
    # read a bounded batch (a city-wide officer's scope holds tens of thousands of elders); those
    # already applied for are dropped below, so read more than the page shows
    people = care_people_in_groups(
        actor=actor, kinds=CANDIDATE_KINDS, under=under, born_on_or_before=floor, limit=limit * 5
    )
    taken = set(
        ModificationApplication.objects.filter(
            household_ref__in=[p.household_ref for p in people if p.household_ref],
            state__in=OPEN_STATES | {ModState.PAID},
        ).values_list("household_ref", flat=True)
    )
    seen: set[str] = set()
    found = []
    for person in people:  # one elder per household: the first of each
        if not person.household_ref or person.household_ref in seen or uuid_or_none(person.household_ref) in taken:
            continue
        seen.add(person.household_ref)
        found.append(person)
        if len(found) >= limit:
            break
    return found


# ---------------------------------------------------------------- progress toward the goal


@dataclass(frozen=True)
class DistrictProgress:
    path: str
    name: str
    target: int
    done: int
    by_year: dict[int, int]
    set_by_city: bool

    @property
    def rate(self) -> float:
        return self.done / self.target if self.target else 0.0


@dataclass(frozen=True)
class Progress:
    districts: list[DistrictProgress]
    years: list[int]
    goal: int
    done: int

    def year_totals(self) -> list[int]:
        return [sum(d.by_year.get(y, 0) for d in self.districts) for y in self.years]


def can_see_progress(actor: Actor) -> bool:
    return any(actor.has_perm(p) for p in (CARE_FIGURES, CARE_VIEW, CARE_MANAGE))


def default_targets(city_path: str) -> dict[str, int]:
    """The city's goal split over its districts in proportion to their elders in difficulty."""
    districts = [p for p in district_units().filter(path__startswith=city_path).values_list("path", flat=True)]
    counts = care_group_counts_under(parent_path=city_path, child_length=DISTRICT_PATH_LENGTH, kinds=CANDIDATE_KINDS)
    return split_goal(CITY_GOAL, {p: counts.get(p, 0) for p in districts})


def _city_of(actor: Actor) -> str:
    paths = sorted(actor.scope_paths, key=len)
    return paths[0][:CITY_PATH_LENGTH] if paths else ""


def progress(*, actor: Actor) -> Progress | None:
    """Done (subsidy paid) per district and year against the districts' targets: every district
    of the city for a city-wide actor, the actor's own district(s) otherwise."""
    if not can_see_progress(actor) or not actor.scope_paths:
        return None
    city = _city_of(actor)
    citywide = any(len(p) <= CITY_PATH_LENGTH for p in actor.scope_paths)
    shown = {p[:DISTRICT_PATH_LENGTH] for p in actor.scope_paths if len(p) >= DISTRICT_PATH_LENGTH}
    units = list(district_units().filter(path__startswith=city).values_list("path", "name"))
    if not citywide:
        units = [(p, n) for p, n in units if p in shown]
    defaults = default_targets(city)
    set_rows = dict(ModificationTarget.objects.values_list("district_path", "households"))
    done_rows = (
        ModificationApplication.objects.filter(state=ModState.PAID, path__startswith=city)
        .annotate(district=Substr("path", 1, DISTRICT_PATH_LENGTH), year=ExtractYear("paid_on"))
        .values("district", "year")
        .annotate(n=Count("pk"))
        .values_list("district", "year", "n")
    )
    by_district: dict[str, dict[int, int]] = {}
    for district, year, n in done_rows:
        by_district.setdefault(district, {})[year] = n
    years = sorted({y for d in by_district.values() for y in d} | {GOAL_YEAR})
    districts = [
        DistrictProgress(
            path=p,
            name=n,
            target=set_rows.get(p, defaults.get(p, 0)),
            done=sum(by_district.get(p, {}).values()),
            by_year=by_district.get(p, {}),
            set_by_city=p in set_rows,
        )
        for p, n in units
    ]
    goal = CITY_GOAL if citywide else sum(d.target for d in districts)
    return Progress(districts=districts, years=years, goal=goal, done=sum(d.done for d in districts))


def modifications_targets(*, actor: Actor, today: date) -> list[Target]:
    """This stage's line on the care overview page: the city's 11,000 households by 2025 for a
    city-wide actor, the district's own number for a district (or street, community) actor."""
    data = progress(actor=actor)
    if data is None or not data.districts:
        return []
    citywide = any(len(p) <= CITY_PATH_LENGTH for p in actor.scope_paths)
    label = _("Elder-friendly home modifications done (subsidy paid)")
    if citywide:
        goal_label = _("%(goal)s households by %(year)s") % {"goal": data.goal, "year": GOAL_YEAR}
    else:
        names = "、".join(d.name for d in data.districts)
        goal_label = _("%(district)s: %(goal)s households by %(year)s") % {
            "district": names,
            "goal": data.goal,
            "year": GOAL_YEAR,
        }
    return [
        Target(
            key="modifications",
            label=label,
            done=data.done,
            base=None,
            goal=float(data.goal),
            goal_label=goal_label,
            url=reverse("portal:care:modifications-progress"),
        )
    ]


# ---------------------------------------------------------------- the workbench


def modifications_today(actor: Actor, today: date) -> WorkSection | None:
    """Applications to assess, plans awaiting confirmation, acceptances due, subsidies to approve."""
    if not actor.has_perm(CARE_MANAGE) and not actor.has_perm(CARE_PAY):
        return None
    counts = application_counts(actor=actor, today=today)
    url = reverse("portal:care:modifications")
    parts = []
    if actor.has_perm(CARE_MANAGE):
        parts += [
            ("assess", _("Homes to assess"), ModState.APPLIED, "danger" if counts["assess_overdue"] else ""),
            ("confirm", _("Plans awaiting the family's confirmation"), ModState.ASSESSED, ""),
            ("accept", _("Works to accept"), ModState.IN_WORKS, ""),
        ]
    if actor.has_perm(CARE_PAY):
        parts.append(("pay", _("Subsidies to approve"), ModState.ACCEPTED, "danger" if counts["pay_overdue"] else ""))
    work = [
        WorkCount(f"care_mod.{key}", label, counts.get(state, 0), f"{url}?state={state}", tone)
        for key, label, state, tone in parts
    ]
    if not any(c.count for c in work):
        return None
    overdue = application_list(actor=actor, state=ModState.APPLIED).filter(assess_due__lt=today)[:5]
    rows = [
        WorkRow(
            title=a.person_name,
            detail=_("Home assessment overdue"),
            url=reverse("portal:care:modifications-item", args=[a.public_id]),
            due=a.assess_due,
            tone="danger",
        )
        for a in overdue
    ]
    return WorkSection("care_modifications", _("Elder-friendly home modifications"), work, rows, url)


def contractor_choices(limit: int = 100) -> list[tuple]:
    """Active providers that may be named as a modification's contractor: (public id, name)."""
    return list(Provider.objects.filter(active=True).order_by("name").values_list("public_id", "name")[:limit])
