"""Care services, stage classes (幸福教育): reads, scoped by the actor's paths, failing closed
(missing and forbidden are the same 404). Residents read their own community's requests and the
classes of their street; staff read their area's; the figures count communities in scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.domain import CARE_FIGURES, CARE_MANAGE, CARE_ORDER, CARE_VIEW, FACILITY_VIEW
from linli.areas.selectors import unit_names, units_under
from linli.care.domain.classes import (
    CLASSROOM_KIND,
    MANY_VOTES,
    MODEL_SITES_GOAL,
    OPENING_GOAL,
    ClassState,
    EnrolState,
    RequestState,
    community_of,
    rating_mean,
)
from linli.care.domain.targets import Target
from linli.care.models import (
    ClassAttendance,
    ClassEnrolment,
    ClassRequest,
    ClassSession,
    ClassVote,
    HappyClass,
    Lecturer,
    ModelSite,
)
from linli.core.actor import Actor
from linli.core.errors import not_found
from linli.core.ids import uuid_or_none
from linli.core.paths import under_path
from linli.core.workbench import WorkCount, WorkRow, WorkSection
from linli.facilities.selectors import facility_list
from linli.residents.selectors import CarePerson, care_person_for_user

COMMUNITY_KINDS = ("community", "village")


def _sees(actor: Actor) -> bool:
    return bool(actor.scope_paths) and (actor.has_perm(CARE_VIEW) or actor.has_perm(CARE_MANAGE))


def may_manage(actor: Actor) -> bool:
    return bool(actor.scope_paths) and actor.has_perm(CARE_MANAGE)


def sees_figures(actor: Actor) -> bool:
    return bool(actor.scope_paths) and any(actor.has_perm(p) for p in (CARE_VIEW, CARE_MANAGE, CARE_FIGURES))


# ================================================================ classrooms and lecturers


def classroom_choices(actor: Actor, community: str) -> list:
    """The open facilities of a community a class may meet in, happy-education classrooms first.
    Read through the registry's scoped selector with the actor's own scope: choosing a room is
    part of planning a class, so a care manager reads the names even without the registry's
    permission (nothing else of the registry is shown)."""
    if not may_manage(actor) or not actor.sees_path(community):
        return []
    reader = Actor(
        user_id=actor.user_id,
        username=actor.username,
        permissions=actor.permissions | {FACILITY_VIEW},
        scope_paths=actor.scope_paths,
    )
    rooms = list(facility_list(actor=reader, status="open", under=community)[:100])
    return sorted(rooms, key=lambda f: (f.kind.code != CLASSROOM_KIND, f.name))


def _ancestors(paths) -> set[str]:
    return {path[:n] for path in paths for n in (4, 6, 9, 12) if n <= len(path)}


def lecturers_visible(actor: Actor) -> QuerySet[Lecturer]:
    """Lecturers registered in the actor's area or by a unit above it (a district's pool serves
    its communities)."""
    if not _sees(actor):
        return Lecturer.objects.none()
    return Lecturer.objects.filter(actor.scope_q("path") | Q(path__in=_ancestors(actor.scope_paths)))


def lecturer_list(*, actor: Actor) -> list[Lecturer]:
    rows: list[Lecturer] = list(lecturers_visible(actor).filter(active=True).annotate(n_classes=Count("classes")))
    names = unit_names({c for row in rows for c in row.communities})
    for row in rows:
        # a display-only attribute the model does not declare, so set by name for mypy
        setattr(row, "community_names", [names.get(c, c) for c in row.communities])  # noqa: B010
    return rows


# ================================================================ requests


def request_list(*, actor: Actor, state: str = "") -> QuerySet[ClassRequest]:
    """The area's requests ranked by votes (the most wanted first)."""
    if not _sees(actor):
        return ClassRequest.objects.none()
    rows = actor.scoped(ClassRequest.objects.select_related("happy_class"))
    if state in RequestState.values:
        rows = rows.filter(state=state)
    return rows.order_by("-votes", "created_at", "pk")


def request_get(*, actor: Actor, public_id) -> ClassRequest:
    key = uuid_or_none(public_id)
    found = request_list(actor=actor).filter(public_id=key).first() if key else None
    if found is None:
        raise not_found("课程需求", "Class request")
    return found


# ================================================================ classes


def class_list(*, actor: Actor, state: str = "") -> QuerySet[HappyClass]:
    if not _sees(actor):
        return HappyClass.objects.none()
    rows = actor.scoped(HappyClass.objects.select_related("lecturer"))
    if state in ClassState.values:
        rows = rows.filter(state=state)
    return rows.order_by("-created_at", "-pk")


def class_get(*, actor: Actor, public_id) -> HappyClass:
    key = uuid_or_none(public_id)
    found = class_list(actor=actor).filter(public_id=key).first() if key else None
    if found is None:
        raise not_found("课程", "Class")
    return found


def class_sessions(item: HappyClass) -> list[ClassSession]:
    return list(item.sessions.order_by("starts_at", "pk"))


def class_roster(item: HappyClass) -> tuple[list[ClassEnrolment], list[ClassEnrolment]]:
    """(enrolled, waiting in order) of a class the caller already may see."""
    rows = list(item.enrolments.exclude(state=EnrolState.CANCELLED).order_by("queue_no", "created_at", "pk"))
    return [r for r in rows if r.state == EnrolState.ENROLLED], [r for r in rows if r.state == EnrolState.WAITING]


def session_get(*, actor: Actor, item: HappyClass, pk) -> ClassSession:
    session = item.sessions.filter(pk=pk).first() if str(pk).isdigit() else None
    if session is None or not actor.sees_path(session.path):
        raise not_found("课次", "Session")
    return session


def session_present_ids(session: ClassSession) -> set[str]:
    return {
        str(ref)
        for ref in ClassAttendance.objects.filter(session=session, present=True).values_list(
            "enrolment__public_id", flat=True
        )
    }


# ================================================================ the resident's page


@dataclass
class ResidentClasses:
    person: CarePerson | None
    open_classes: list[HappyClass]
    mine: list[ClassEnrolment]
    requests: list[ClassRequest]


def _positions(enrolments: list[ClassEnrolment]) -> None:
    """Each waiting enrolment's place in its queue (1 = next to get a place), one query for all."""
    waiting = [e for e in enrolments if e.state == EnrolState.WAITING]
    if not waiting:
        return
    queues: dict[int, list[int]] = {}
    for class_id, number in ClassEnrolment.objects.filter(
        happy_class_id__in={e.happy_class_id for e in waiting}, state=EnrolState.WAITING
    ).values_list("happy_class_id", "queue_no"):
        assert number is not None  # a waiting enrolment always has its number (enrolling gives it one)
        queues.setdefault(class_id, []).append(number)
    for e in waiting:
        queue_no = e.queue_no
        assert queue_no is not None  # as above: waiting means numbered
        # a display-only attribute the model does not declare, so set by name for mypy
        setattr(e, "position", sum(1 for n in queues.get(e.happy_class_id, []) if n <= queue_no))  # noqa: B010


def waiting_position(enrolment: ClassEnrolment) -> int | None:
    """1 for the next to get a place; None when not waiting."""
    if enrolment.state != EnrolState.WAITING:
        return None
    return ClassEnrolment.objects.filter(
        happy_class_id=enrolment.happy_class_id, state=EnrolState.WAITING, queue_no__lte=enrolment.queue_no
    ).count()


def resident_classes(*, actor: Actor, now: datetime | None = None) -> ResidentClasses:
    """Open classes of the resident's street, their enrolments (waiting positions), and their
    community's requests with whether they support each."""
    user_id = actor.user_id
    if not actor.has_perm(CARE_ORDER) or user_id is None:
        return ResidentClasses(None, [], [], [])
    person = care_person_for_user(user_id)
    if person is None:
        return ResidentClasses(None, [], [], [])
    now = now or timezone.now()
    mine: list[ClassEnrolment] = list(
        ClassEnrolment.objects.filter(user_id=user_id)
        .exclude(state=EnrolState.CANCELLED)
        .select_related("happy_class")
        .annotate(attended=Exists(ClassAttendance.objects.filter(enrolment=OuterRef("pk"), present=True)))
        .order_by("-created_at")
    )
    _positions(mine)
    taken = {e.happy_class_id for e in mine}
    open_classes = [
        c
        for c in HappyClass.objects.filter(path__startswith=person.path[:9], state=ClassState.OPEN)
        .select_related("lecturer")
        .order_by("path", "-published_at")[:30]
        if c.pk not in taken
    ]
    _first_sessions(open_classes + [e.happy_class for e in mine])
    home = community_of(person.path)
    requests: list[ClassRequest] = list(
        ClassRequest.objects.filter(path=home)
        .filter(Q(state=RequestState.OPEN) | Q(answered_at__gte=now - timedelta(days=90)))
        .annotate(mine=Exists(ClassVote.objects.filter(request=OuterRef("pk"), user_id=user_id)))
        .select_related("happy_class")
        .order_by("state", "-votes", "created_at")[:30]
    )
    return ResidentClasses(person, open_classes, mine, requests)


def _first_sessions(classes: list[HappyClass]) -> None:
    """Each class's sessions, for the cards (one query for all)."""
    by_class: dict[int, list[ClassSession]] = {}
    for s in ClassSession.objects.filter(happy_class_id__in=[c.pk for c in classes]).order_by("starts_at"):
        by_class.setdefault(s.happy_class_id, []).append(s)
    for c in classes:
        # a display-only attribute the model does not declare, so set by name for mypy
        setattr(c, "session_rows", by_class.get(c.pk, []))  # noqa: B010


# ================================================================ figures


@dataclass
class CommunityRow:
    path: str
    name: str
    classes: int = 0
    sessions_held: int = 0
    attendances: int = 0
    rating: float | None = None
    model_site: bool = False

    @property
    def opened(self) -> bool:
        return self.sessions_held > 0


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime.combine(date(year, 1, 1), time.min, tz), datetime.combine(date(year + 1, 1, 1), time.min, tz)


def community_rows(*, actor: Actor, year: int, under: str = "") -> list[CommunityRow]:
    """Per community of the scope (or under a unit of it): classes held this year (a session with
    attendance), sessions, attendances, mean rating, model site."""
    if not sees_figures(actor):
        return []
    roots = [under] if under and actor.sees_path(under) else list(actor.scope_paths)
    rows = {
        path: CommunityRow(path, name)
        for root in roots
        for path, name, _ in units_under(under=root, kinds=COMMUNITY_KINDS)
    }
    start, end = _year_bounds(year)
    held = (
        ClassSession.objects.filter(
            path__in=list(rows), attendance_at__isnull=False, starts_at__gte=start, starts_at__lt=end
        )
        .values("path")
        .annotate(
            n=Count("pk"),
            c=Count("happy_class", distinct=True),
            p=Count("attendance", filter=Q(attendance__present=True)),
        )
    )
    for h in held:
        row = rows[h["path"]]
        row.sessions_held, row.classes, row.attendances = h["n"], h["c"], h["p"] or 0
    sums: dict[str, list[int]] = {}
    rated = HappyClass.objects.filter(path__in=list(rows), rating_count__gt=0, created_at__lt=end)
    for path, total, count in rated.values_list("path", "rating_sum", "rating_count"):
        pair = sums.setdefault(path, [0, 0])
        pair[0] += total
        pair[1] += count
    for path, (total, count) in sums.items():
        rows[path].rating = rating_mean(total, count)
    for path in ModelSite.objects.filter(path__in=list(rows)).values_list("path", flat=True):
        rows[path].model_site = True
    return list(rows.values())


def model_site_count(*, path: str) -> int:
    return ModelSite.objects.filter(under_path("path", path)).count()


def model_site_list(*, actor: Actor) -> list[ModelSite]:
    if not sees_figures(actor):
        return []
    rows = list(actor.scoped(ModelSite.objects.all()).order_by("path"))
    names = unit_names({r.path for r in rows} | {r.path[:6] for r in rows})
    for row in rows:
        row.community_name = names.get(row.path, "")
        row.district_name = names.get(row.path[:6], "")
    return rows


def classes_targets(*, actor: Actor, today: date) -> list[Target]:
    """The opening rate of the actor's communities this year (goal 100 %), and the model sites:
    the city's count for a city actor, the district's own for a district (goal 330 city-wide)."""
    if not sees_figures(actor):
        return []
    rows = community_rows(actor=actor, year=today.year)
    url = reverse("portal:care:classes-figures")
    lines = [
        Target(
            "classes.opening",
            _("Happy-education class opening rate (communities with a class held this year)"),
            sum(1 for r in rows if r.opened),
            len(rows),
            OPENING_GOAL,
            _("100% (2023)"),
            url,
        )
    ]
    widest = min(actor.scope_paths, key=len)
    if len(widest) <= 6:
        lines.append(
            Target(
                "classes.model_sites",
                _("Happy-education model sites")
                if len(widest) <= 4
                else _("Happy-education model sites in the district"),
                model_site_count(path=widest),
                None,
                MODEL_SITES_GOAL,
                _("330 city-wide (2025)"),
                reverse("portal:care:classes-sites"),
            )
        )
    return lines


# ================================================================ workbench


def classes_today(actor: Actor, today: date) -> WorkSection | None:
    """The community's to-dos: requests with many votes unanswered, today's sessions needing
    attendance, classes whose sessions are over and still open."""
    if not may_manage(actor):
        return None
    now = timezone.now()
    start = datetime.combine(today, time.min, timezone.get_current_timezone())
    asked = actor.scoped(ClassRequest.objects.filter(state=RequestState.OPEN, votes__gte=MANY_VOTES))
    sessions = actor.scoped(
        ClassSession.objects.filter(
            starts_at__gte=start, starts_at__lt=start + timedelta(days=1), starts_at__lte=now, attendance_at=None
        )
    )
    closing = actor.scoped(HappyClass.objects.filter(state=ClassState.OPEN)).exclude(sessions__ends_at__gt=now)
    classes_url = reverse("portal:care:classes-list")
    counts = [
        WorkCount(
            "care.classes_requests",
            _("Class requests with many votes unanswered"),
            asked.count(),
            reverse("portal:care:classes-requests"),
            "warn",
        ),
        WorkCount("care.classes_attendance", _("Sessions today needing attendance"), sessions.count(), classes_url),
        WorkCount("care.classes_close", _("Classes to close"), closing.count(), classes_url + "?state=open"),
    ]
    rows = [
        WorkRow(
            s.happy_class.title,
            timezone.localtime(s.starts_at).strftime("%H:%M"),
            reverse("portal:care:classes-attendance", args=[s.happy_class.public_id, s.pk]),
        )
        for s in sessions.select_related("happy_class")[:5]
    ]
    if not any(c.count for c in counts):
        return None
    return WorkSection("care_classes", _("Happy-education classes"), counts, rows, reverse("portal:care:classes-list"))


def classes_demo_present(city_path: str) -> bool:
    """Whether the demo's classes are already there (the demo runs once)."""
    return Lecturer.objects.filter(path=city_path, created_by_name="市民政局").exists()
