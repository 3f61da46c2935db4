"""Reads of volunteers, scoped by the actor; missing and forbidden are the same 404.

Scope: staff see volunteers registered in their area and activities organised there; an
activity's page also shows the volunteers who signed up for it, from wherever they come (a
volunteer may serve anywhere in the city). An organiser (ORGANISER role) sees only the activities
of their own organisations (`partners.selectors.org_ids_for`) and the volunteers signed up for
them. A resident sees their own volunteer record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from linli.accounts.domain import VOLUNTEER_MANAGE, VOLUNTEER_VIEW, Role
from linli.accounts.selectors import posting_list
from linli.areas.selectors import org_unit_by_path, unit_names, units_under
from linli.core.actor import Actor
from linli.core.errors import not_found
from linli.core.paths import under_path
from linli.partners.selectors import org_ids_for, social_org_brief
from linli.volunteers.domain import (
    ACTIVE_SIGNUP_STATES,
    ActivityStatus,
    HoursState,
    SignUpState,
    VolunteerStatus,
    star_level,
)
from linli.volunteers.models import Activity, ServiceHours, Shift, SignUp, Volunteer, VolunteerFigure

COUNTED = Q(state=HoursState.APPROVED)


# ---- who may see what ----------------------------------------------------------------------------


def _staff(actor: Actor) -> bool:
    return bool(actor.scope_paths) and (actor.has_perm(VOLUNTEER_VIEW) or actor.has_perm(VOLUNTEER_MANAGE))


def organiser_only(actor: Actor) -> bool:
    """An organisation's account (no other staff role): its organisations' activities only."""
    return actor.has_role(Role.ORGANISER) and not (actor.roles - {Role.ORGANISER, Role.RESIDENT})


def org_ids(actor: Actor) -> frozenset:
    """The public ids of the organisations the actor speaks for (partners app)."""
    return org_ids_for(actor)


def activity_list(*, actor: Actor) -> QuerySet[Activity]:
    """Activities the actor may manage or read as staff."""
    if not _staff(actor):
        return Activity.objects.none()
    if organiser_only(actor):
        ids = org_ids(actor)
        return Activity.objects.filter(organisation_id__in=ids) if ids else Activity.objects.none()
    return actor.scoped(Activity.objects.all(), "organiser_path")


def activity_in_reach(*, actor: Actor, activity: Activity) -> bool:
    """Whether `activity_list(actor)` holds this activity, decided on the row already loaded
    (no query for staff: a check-in runs it on every scan)."""
    if not _staff(actor):
        return False
    if organiser_only(actor):
        return activity.organisation_id in org_ids(actor)
    return actor.sees_path(activity.organiser_path)


def activity_get(*, actor: Actor, public_id) -> Activity:
    activity = _by_public_id(activity_list(actor=actor), public_id)
    if activity is None:
        raise not_found("活动", "Activity")
    return activity


def volunteer_list(*, actor: Actor) -> QuerySet[Volunteer]:
    """Volunteers registered in the actor's area; for an organiser, those signed up for their
    organisations' activities."""
    if not _staff(actor):
        return Volunteer.objects.none()
    if organiser_only(actor):
        ids = org_ids(actor)
        if not ids:
            return Volunteer.objects.none()
        signed = SignUp.objects.filter(volunteer=OuterRef("pk"), shift__activity__organisation_id__in=ids)
        return Volunteer.objects.filter(Exists(signed))
    return actor.scoped(Volunteer.objects.all(), "registered_path")


def volunteer_get(*, actor: Actor, public_id) -> Volunteer:
    """A volunteer registered in scope, or signed up for an activity the actor sees."""
    volunteer = _by_public_id(volunteer_list(actor=actor), public_id)
    if volunteer is None and _staff(actor):
        signed = SignUp.objects.filter(shift__activity__in=activity_list(actor=actor)).values("volunteer_id")
        volunteer = _by_public_id(Volunteer.objects.filter(pk__in=signed), public_id)
    if volunteer is None:
        raise not_found("志愿者", "Volunteer")
    return volunteer


def _by_public_id(queryset: QuerySet, public_id):
    try:
        return queryset.filter(public_id=public_id).first()
    except (ValidationError, ValueError):
        return None


# ---- the briefs other apps read ------------------------------------------------------------------


@dataclass(frozen=True)
class VolunteerBrief:
    public_id: str
    display_name: str
    registered_path: str
    unit_name: str
    total_minutes: int
    star_level: int
    active: bool


def approved_minutes(volunteer_pk: int) -> int:
    """Cumulative approved minutes (corrections included), one indexed sum."""
    total = ServiceHours.objects.filter(COUNTED, volunteer_id=volunteer_pk).aggregate(s=Sum("minutes"))["s"]
    return int(total or 0)


def approved_minutes_of(volunteer_pks: list[int]) -> dict[int, int]:
    """Approved minutes per volunteer for a page or an export (one grouped query)."""
    rows = (
        ServiceHours.objects.filter(COUNTED, volunteer_id__in=volunteer_pks)
        .values("volunteer_id")
        .annotate(m=Sum("minutes"))
    )
    return {row["volunteer_id"]: int(row["m"] or 0) for row in rows}


def _brief(volunteer: Volunteer, *, masked: bool) -> VolunteerBrief:
    minutes = approved_minutes(volunteer.pk)
    unit = org_unit_by_path(volunteer.registered_path)
    return VolunteerBrief(
        public_id=str(volunteer.public_id),
        display_name=mask_name(volunteer.name) if masked else volunteer.name,
        registered_path=volunteer.registered_path,
        unit_name=unit.name if unit else "",
        total_minutes=minutes,
        star_level=star_level(minutes),
        active=volunteer.status == VolunteerStatus.ACTIVE,
    )


def mask_name(name: str) -> str:
    """`张秀兰` → `张**` (the surname only)."""
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def volunteer_for_user(user_id: int | None) -> VolunteerBrief | None:
    """The volunteer a resident account stands for (their own, unmasked), or None."""
    if user_id is None:
        return None
    volunteer = Volunteer.objects.filter(user_id=user_id).first()
    return _brief(volunteer, masked=False) if volunteer else None


def volunteer_brief(*, actor: Actor, public_id) -> VolunteerBrief:
    """A volunteer's brief for staff in scope (name masked) or for the volunteer themself."""
    own = _by_public_id(Volunteer.objects.filter(user_id=actor.user_id), public_id) if actor.user_id else None
    if own is not None:
        return _brief(own, masked=False)
    return _brief(volunteer_get(actor=actor, public_id=public_id), masked=True)


def volunteer_by_public_id(public_id) -> Volunteer | None:
    """Unscoped read for services that check the actor themselves (a scanner's check-in)."""
    return _by_public_id(Volunteer.objects.all(), public_id)


def own_volunteer(actor: Actor) -> Volunteer | None:
    if actor.user_id is None:
        return None
    return Volunteer.objects.filter(user_id=actor.user_id).first()


# ---- the resident's pages ------------------------------------------------------------------------


def home_path_for(actor: Actor) -> str:
    """The home community: the volunteer's registered one, else the resident account's posting."""
    volunteer = own_volunteer(actor)
    if volunteer is not None:
        return volunteer.registered_path
    for posting in posting_list(actor=actor):
        if posting.role == Role.RESIDENT and posting.scope_path:
            return posting.scope_path
    return ""


def community_choices(*, home_path: str) -> list:
    """Communities to choose from, grouped by street: the home district's (or the whole city's)."""
    under = home_path[:6] if home_path else ""
    if not under:
        from linli.areas.selectors import city_unit

        city = city_unit()
        under = city.path[:4] if city else ""
    if not under:
        return []
    units = units_under(under=under, kinds=("community", "village"))
    streets = unit_names({path[:9] for path, _, _ in units})
    groups: dict[str, list[tuple[str, str]]] = {}
    for path, name, _ in units:
        groups.setdefault(streets.get(path[:9], ""), []).append((path, name))
    return [(street, choices) for street, choices in groups.items()]


def organisation_name(public_id) -> str:
    brief = social_org_brief(public_id) if public_id else None
    return brief.name if brief else ""


def own_signup(actor: Actor, public_id) -> SignUp:
    volunteer = own_volunteer(actor)
    signup = (
        _by_public_id(SignUp.objects.filter(volunteer=volunteer).select_related("shift__activity"), public_id)
        if volunteer
        else None
    )
    if signup is None:
        raise not_found("报名", "Sign-up")
    return signup


def check_state(actor: Actor, activity: Activity) -> str:
    """ "in" when the actor's volunteer is checked in at the activity, "done" when the last
    check-in there is closed, "" otherwise."""
    volunteer = own_volunteer(actor)
    if volunteer is None:
        return ""
    row = (
        ServiceHours.objects.filter(volunteer=volunteer, activity=activity, kind="check_in")
        .order_by("-created_at")
        .first()
    )
    if row is None:
        return ""
    return "in" if row.state == HoursState.OPEN else "done"


def published_activities(*, home_path: str = "", now: datetime | None = None) -> list[Activity]:
    """Published activities not yet over, nearest first by the org tree: the home community's,
    then its street's, then its district's, then the rest of the city's."""
    now = now or timezone.now()
    rows = list(Activity.objects.filter(status=ActivityStatus.PUBLISHED, ends_at__gt=now).order_by("starts_at")[:200])

    def closeness(activity: Activity) -> int:
        for rank, length in enumerate((12, 9, 6, 4)):
            if home_path and activity.organiser_path[:length] == home_path[:length]:
                return rank
        return 4

    rows.sort(key=lambda a: (closeness(a), a.starts_at))
    return rows


def public_activity(public_id) -> Activity:
    """A published (or finished) activity for its public page; drafts and unknown ids are 404."""
    visible = Activity.objects.filter(status__in=[ActivityStatus.PUBLISHED, ActivityStatus.FINISHED])
    activity = _by_public_id(visible, public_id)
    if activity is None:
        raise not_found("活动", "Activity")
    return activity


@dataclass(frozen=True)
class ShiftRow:
    shift: Shift
    taken: int
    mine: SignUp | None

    @property
    def full(self) -> bool:
        return self.taken >= self.shift.needed

    @property
    def left(self) -> int:
        return max(self.shift.needed - self.taken, 0)


def shift_rows(activity: Activity, *, volunteer: Volunteer | None = None) -> list[ShiftRow]:
    """The activity's shifts with places taken and the volunteer's own active sign-up (2 queries)."""
    shifts = list(
        activity.shifts.annotate(taken=Count("signups", filter=Q(signups__state__in=ACTIVE_SIGNUP_STATES))).order_by(
            "starts_at"
        )
    )
    mine: dict[int, SignUp] = {}
    if volunteer is not None:
        for signup in SignUp.objects.filter(
            volunteer=volunteer, shift__activity=activity, state__in=ACTIVE_SIGNUP_STATES
        ):
            mine[signup.shift_id] = signup
    return [ShiftRow(shift, shift.taken, mine.get(shift.pk)) for shift in shifts]


def my_signups(volunteer: Volunteer, *, upcoming: bool = True) -> QuerySet[SignUp]:
    signups = SignUp.objects.filter(volunteer=volunteer).select_related("shift__activity")
    if upcoming:
        signups = signups.filter(state__in=ACTIVE_SIGNUP_STATES, shift__ends_at__gt=timezone.now())
    return signups.order_by("shift__starts_at")


def my_hours(volunteer: Volunteer) -> QuerySet[ServiceHours]:
    return (
        ServiceHours.objects.filter(volunteer=volunteer)
        .select_related("activity")
        .order_by("-served_on", "-created_at")
    )


def open_check_in(volunteer: Volunteer, shift: Shift) -> ServiceHours | None:
    return ServiceHours.objects.filter(volunteer=volunteer, shift=shift, kind="check_in").first()


# ---- staff lists ---------------------------------------------------------------------------------


def signups_to_confirm(*, actor: Actor) -> QuerySet[SignUp]:
    return SignUp.objects.filter(
        state=SignUpState.REQUESTED, shift__activity__in=activity_list(actor=actor), shift__ends_at__gt=timezone.now()
    ).select_related("volunteer", "shift__activity")


def hours_to_approve(*, actor: Actor) -> QuerySet[ServiceHours]:
    """Reported hours waiting for approval: served in the actor's area (or, for an organiser,
    at their organisations' activities)."""
    if not _staff(actor):
        return ServiceHours.objects.none()
    pending = ServiceHours.objects.filter(state=HoursState.PENDING).select_related("volunteer", "activity")
    if organiser_only(actor):
        return pending.filter(activity__in=activity_list(actor=actor))
    return actor.scoped(pending, "served_path")


def hours_list(*, actor: Actor) -> QuerySet[ServiceHours]:
    """Hours served in the actor's area or by volunteers registered there."""
    if not _staff(actor):
        return ServiceHours.objects.none()
    if organiser_only(actor):
        return ServiceHours.objects.filter(activity__in=activity_list(actor=actor))
    return ServiceHours.objects.filter(actor.scope_q("served_path") | actor.scope_q("registered_path"))


def hours_get(*, actor: Actor, public_id) -> ServiceHours:
    row = _by_public_id(hours_list(actor=actor), public_id)
    if row is None:
        raise not_found("服务时长记录", "Service hours")
    return row


def activities_today(*, actor: Actor, today: date | None = None) -> QuerySet[Activity]:
    today = today or timezone.localdate()
    start = timezone.make_aware(datetime.combine(today, datetime.min.time()))
    return activity_list(actor=actor).filter(
        status=ActivityStatus.PUBLISHED, starts_at__lt=start + timedelta(days=1), ends_at__gt=start
    )


def roster(activity: Activity) -> QuerySet[SignUp]:
    return (
        SignUp.objects.filter(shift__activity=activity)
        .select_related("volunteer", "shift")
        .order_by("shift__starts_at", "created_at")
    )


def activity_hours(activity: Activity) -> dict[int, ServiceHours]:
    """The check-in rows of an activity by (volunteer id, shift id)."""
    rows = ServiceHours.objects.filter(activity=activity, kind="check_in")
    return {(row.volunteer_id, row.shift_id): row for row in rows}  # type: ignore[misc]


def names_of_units(paths) -> dict[str, str]:
    return unit_names(paths)


# ---- figures -------------------------------------------------------------------------------------


def figures_rows(*, path: str) -> QuerySet[VolunteerFigure]:
    return VolunteerFigure.objects.filter(under_path("path", path))


def registered_count(*, path: str) -> int:
    return Volunteer.objects.filter(under_path("registered_path", path), status=VolunteerStatus.ACTIVE).count()


# ---- staff helpers -------------------------------------------------------------------------------


def volunteer_search(*, actor: Actor, q: str = "") -> QuerySet[Volunteer]:
    """Volunteers in scope by name, or exactly by ID number (through the blind index)."""
    rows = volunteer_list(actor=actor)
    q = q.strip()
    if q:
        from linli.core.crypto import blind_index
        from linli.residents.domain import id_number_normalise, id_number_valid

        if id_number_valid(q):
            index = blind_index(id_number_normalise(q), context="volunteer.id_number")
            rows = rows.filter(id_number_index=index)
        else:
            rows = rows.filter(name__contains=q)
    return rows.order_by("registered_path", "name", "pk")


def staff_community_choices(*, actor: Actor) -> list[tuple[str, str]]:
    from linli.areas.selectors import org_unit_list

    units = org_unit_list(actor=actor).filter(kind__in=["community", "village"], is_active=True)
    return list(units.order_by("path").values_list("path", "name")[:500])


def staff_unit_choices(*, actor: Actor) -> list[tuple[str, str]]:
    """Units an activity may be organised under: the actor's communities, streets and above (an
    organiser: the unit they are posted at and the communities under it)."""
    from linli.areas.selectors import org_unit_list

    units = org_unit_list(actor=actor).filter(is_active=True, kind__in=["community", "village", "street", "district"])
    return list(units.order_by("path").values_list("path", "name")[:500])


def organisation_choices(*, actor: Actor) -> list[tuple[str, str]]:
    from linli.partners.selectors import social_org_choices

    return [(str(org.public_id), org.name) for org in social_org_choices(actor)]


def signup_get(*, actor: Actor, public_id) -> SignUp:
    signups = SignUp.objects.filter(shift__activity__in=activity_list(actor=actor)).select_related(
        "shift__activity", "volunteer"
    )
    signup = _by_public_id(signups, public_id)
    if signup is None:
        raise not_found("报名", "Sign-up")
    return signup


# ---- figures report ------------------------------------------------------------------------------

# The city plan's targets for registered volunteers (seed section 十二): baseline and goals.
VOLUNTEER_BASELINE = 936_000
VOLUNTEER_TARGETS = ((2023, 1_600_000), (2025, 1_650_000))


@dataclass(frozen=True)
class AreaFigure:
    path: str
    name: str
    registered: int
    residents: int
    active_12m: int
    served_minutes: int  # in the last 12 months
    registered_minutes: int

    @property
    def per_10k(self) -> float | None:
        return round(self.registered * 10_000 / self.residents, 1) if self.residents else None


@dataclass(frozen=True)
class FiguresReport:
    root_path: str
    root_name: str
    areas: list[AreaFigure]
    months: list[date]
    served_by_month: list[int]
    registered_now: int
    computed_at: datetime | None
    baseline: int = VOLUNTEER_BASELINE
    targets: tuple[tuple[int, int], ...] = VOLUNTEER_TARGETS

    @property
    def total(self) -> AreaFigure:
        return AreaFigure(
            self.root_path,
            self.root_name,
            sum(a.registered for a in self.areas),
            sum(a.residents for a in self.areas),
            sum(a.active_12m for a in self.areas),
            sum(a.served_minutes for a in self.areas),
            sum(a.registered_minutes for a in self.areas),
        )


CHILD_LENGTH = {4: 6, 6: 9, 9: 12, 12: 12}


def figures_report(*, actor: Actor) -> FiguresReport:
    """Registered and active volunteers per child area of the actor's scope (per 10,000
    residents), hours served per month: from the stored figures (`VolunteerFigure`, refreshed by
    `linli volunteer-figures`), whose time of computing is shown."""
    from linli.residents.selectors import residents_by_unit

    if not _staff(actor) or organiser_only(actor):
        return FiguresReport("", "", [], [], [], 0, None)
    root = actor.scope_paths[0] if len(actor.scope_paths) == 1 else actor.scope_paths[0][:4]
    length = CHILD_LENGTH.get(len(root), 12)
    rows = list(VolunteerFigure.objects.filter(under_path("path", root)).order_by("month"))
    if not rows:
        return FiguresReport(root, _name(root), [], [], [], registered_count(path=root), None)
    last = rows[-1].month
    by_area: dict[str, list[int]] = {}
    by_month: dict[date, int] = {}
    for row in rows:
        by_month[row.month] = by_month.get(row.month, 0) + row.served_minutes
        key = row.path[:length]
        acc = by_area.setdefault(key, [0, 0, 0, 0])
        if row.month == last:
            acc[0] += row.registered
            acc[1] += row.active_12m
        acc[2] += row.served_minutes
        acc[3] += row.registered_minutes
    residents = residents_by_unit(under=root, length=length)
    names = unit_names(by_area)
    areas = [
        AreaFigure(path, names.get(path, path), v[0], residents.get(path, 0), v[1], v[2], v[3])
        for path, v in sorted(by_area.items())
    ]
    months = sorted(by_month)
    return FiguresReport(
        root_path=root,
        root_name=_name(root),
        areas=areas,
        months=months,
        served_by_month=[by_month[m] for m in months],
        registered_now=registered_count(path=root),
        computed_at=max(r.computed_at for r in rows),
    )


def _name(path: str) -> str:
    return unit_names([path]).get(path, path)


def figure_inputs(*, month_start: date, month_end: date) -> dict[str, dict[str, int]]:
    """What the stored figures of one month hold, per community (system job, unscoped): volunteers
    registered by the month's end, active (approved hours) in the 12 months to its end, minutes
    served there and minutes of its registered volunteers in the month."""
    end = timezone.make_aware(datetime.combine(month_end, datetime.min.time()))
    year_ago = date(month_end.year - 1, month_end.month, 1)
    out: dict[str, dict[str, int]] = {}

    def put(path: str, key: str, value: int) -> None:
        out.setdefault(path, {"registered": 0, "active_12m": 0, "served": 0, "registered_minutes": 0})[key] = value

    for row in (
        Volunteer.objects.filter(registered_at__lt=end, status=VolunteerStatus.ACTIVE)
        .values("registered_path")
        .annotate(n=Count("pk"))
    ):
        put(row["registered_path"], "registered", row["n"])
    approved = ServiceHours.objects.filter(COUNTED)
    for row in (
        approved.filter(served_on__gte=year_ago, served_on__lt=month_end)
        .values("registered_path")
        .annotate(n=Count("volunteer_id", distinct=True))
    ):
        put(row["registered_path"], "active_12m", row["n"])
    month = approved.filter(served_on__gte=month_start, served_on__lt=month_end)
    for path, total in month.values_list("served_path").annotate(m=Sum("minutes")).values_list("served_path", "m"):
        put(path, "served", int(total or 0))
    for path, total in (
        month.values_list("registered_path").annotate(m=Sum("minutes")).values_list("registered_path", "m")
    ):
        put(path, "registered_minutes", int(total or 0))
    return out
