"""Reads of stage consultations, scoped (`selectors.scope`): staff see their area's consultations,
a resident the ones of their own community whose participants include where they live (never a
draft); missing and forbidden answer the same 404. Comments: staff see every one with the real
name, residents only the shown ones with the masked name. The door's search finds residents of the
consultation's scope by name through the pool's scoped search."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.domain import CONSULT_MANAGE, CONSULT_TAKE_PART, CONSULT_VIEW
from linli.areas.selectors import building_list, community_paths, grid_list, unit_names
from linli.consultation.domain.consultations import CommentState, ConsultationState
from linli.consultation.models import Comment, Consultation, Meeting, SignIn, Topic
from linli.consultation.selectors.scope import area_q, home_community
from linli.core.actor import Actor
from linli.core.crypto import mask_name
from linli.core.errors import not_found
from linli.residents.selectors import resident_search, voter_for_user

SEARCH_MAX = 20
COMMUNITY_LEN = 12
HIDDEN_FROM_RESIDENTS = (ConsultationState.DRAFT,)


GRID_LEN = 15  # a building's path is its grid's and three digits more


def may_view(actor: Actor) -> bool:
    return actor.has_perm(CONSULT_VIEW) or actor.has_perm(CONSULT_MANAGE)


# ---- staff -------------------------------------------------------------------------------------


def consultation_list(*, actor: Actor, state: str = "", form: str = "") -> QuerySet[Consultation]:
    if not may_view(actor):
        return Consultation.objects.none()
    rows = Consultation.objects.filter(area_q(actor))
    if state:
        rows = rows.filter(state=state)
    if form:
        rows = rows.filter(form=form)
    return rows.order_by("-created_at", "-pk")


def state_counts(*, actor: Actor) -> dict[str, int]:
    """How many of the area's consultations are in each state (one GROUP BY)."""
    if not may_view(actor):
        return {}
    rows = Consultation.objects.filter(area_q(actor)).values("state").annotate(n=Count("pk")).order_by()
    return {row["state"]: row["n"] for row in rows}


def consultation_get(*, actor: Actor, public_id) -> Consultation:
    if not may_view(actor):
        raise not_found("协商", "Consultation")
    try:
        found = Consultation.objects.filter(area_q(actor), public_id=public_id).select_related("topic").first()
    except ValidationError:  # a malformed id: the same 404
        found = None
    if found is None:
        raise not_found("协商", "Consultation")
    return found


def consultation_by_number(*, actor: Actor, number: str) -> Consultation:
    if not may_view(actor):
        raise not_found("协商", "Consultation")
    found = Consultation.objects.filter(area_q(actor), number=number).first()
    if found is None:
        raise not_found("协商", "Consultation")
    return found


def accepted_topic(*, actor: Actor, public_id) -> Topic | None:
    """An accepted topic of the actor's area to prepare a consultation from (None if not)."""
    try:
        return Topic.objects.filter(area_q(actor), public_id=public_id, state="accepted").first()
    except ValidationError:  # a malformed id: the same 404
        return None


def manageable_communities(actor: Actor) -> list[tuple[str, str]]:
    """(path, name) of the communities in the actor's scope a consultation may be prepared in."""
    if not actor.has_perm(CONSULT_MANAGE):
        return []
    return [(p, n) for p, n in community_paths(actor=actor) if len(p) == COMMUNITY_LEN]


def scope_places(actor: Actor, path: str) -> list[tuple[str, str]]:
    """The grids and buildings of a community, as choices for who takes part."""
    if not path:
        return []
    grids = dict(grid_list(actor=actor).filter(path__startswith=path).values_list("path", "name").order_by("path"))
    buildings = building_list(actor=actor).filter(path__startswith=path).values_list("path", "name").order_by("path")
    # a building is named with its grid: every grid has its own 1号楼
    return [
        *((p, _("Grid: %(name)s") % {"name": n}) for p, n in grids.items()),
        *((p, _("Building: %(name)s") % {"name": f"{grids.get(p[:GRID_LEN], '')} {n}".strip()}) for p, n in buildings),
    ]


def scope_names(consultation: Consultation) -> dict[str, str]:
    return unit_names([consultation.path, consultation.scope_path[:15], consultation.scope_path])


def comments_for_staff(consultation: Consultation) -> list[Comment]:
    return list(consultation.comments.all())


def steps(consultation: Consultation) -> list:
    return list(consultation.steps.all())


@dataclass
class MeetingRow:
    meeting: Meeting
    signed: int


def meeting_rows(consultation: Consultation) -> list[MeetingRow]:
    meetings = consultation.meetings.annotate(signed=Count("sign_ins"))
    return [MeetingRow(m, m.signed) for m in meetings]


def meeting_get(*, actor: Actor, public_id) -> Meeting:
    if not may_view(actor):
        raise not_found("会议", "Meeting")
    try:
        meeting = Meeting.objects.select_related("consultation").filter(public_id=public_id).first()
    except ValidationError:  # a malformed id: the same 404
        meeting = None
    if meeting is None or not actor.sees_path(meeting.consultation.path):
        raise not_found("会议", "Meeting")
    return meeting


def sign_ins(meeting: Meeting) -> list[SignIn]:
    return list(meeting.sign_ins.all())


@dataclass
class DoorHit:
    ref: str
    name: str  # masked: the tablet faces the queue
    place: str  # building and room
    signed: bool


def _home_label(household) -> str:
    """Building and room, how a household is named at the door."""
    if household is None:
        return ""
    return f"{household.building.name if household.building_id else ''} {household.room}".strip()


def door_search(*, actor: Actor, meeting: Meeting, q: str) -> list[DoorHit]:
    """Residents of the consultation's scope matching a name, for the tablet at the door."""
    q = q.strip()
    if not q:
        return []
    scope = meeting.consultation.scope_path
    found = resident_search(actor=actor, q=q)
    rows = [r for r in found if r.path.startswith(scope)][:SEARCH_MAX]
    signed = set(
        meeting.sign_ins.filter(resident_ref__in=[r.public_id for r in rows]).values_list("resident_ref", flat=True)
    )
    return [
        DoorHit(
            str(r.public_id),
            mask_name(r.name),
            _home_label(r.household),
            r.public_id in signed,
        )
        for r in rows
    ]


# ---- residents -----------------------------------------------------------------------------------


def _resident_rows(actor: Actor) -> QuerySet[Consultation]:
    community = home_community(actor) if actor.has_perm(CONSULT_TAKE_PART) else ""
    if not community:
        return Consultation.objects.none()
    return Consultation.objects.filter(path=community).exclude(state__in=HIDDEN_FROM_RESIDENTS)


def resident_consultations(*, actor: Actor, prefetch: bool = False) -> list[Consultation]:
    """The community's consultations whose participants include where the resident lives."""
    voter = voter_for_user(actor.user_id)
    if voter is None:
        return []
    rows = _resident_rows(actor).exclude(state=ConsultationState.CANCELLED).order_by("-created_at", "-pk")
    if prefetch:
        rows = rows.prefetch_related("options")
    return [c for c in rows if voter.path.startswith(c.scope_path)]


def resident_consultation_get(*, actor: Actor, public_id) -> Consultation:
    try:
        found = _resident_rows(actor).filter(public_id=public_id).first()
    except ValidationError:  # a malformed id: the same 404
        found = None
    if found is None:
        raise not_found("协商", "Consultation")
    return found


def resident_consultation_by_number(*, actor: Actor, number: str) -> Consultation:
    found = _resident_rows(actor).filter(number=number).first()
    if found is None:
        raise not_found("协商", "Consultation")
    return found


def may_comment(actor: Actor, consultation: Consultation) -> bool:
    voter = voter_for_user(actor.user_id) if actor.has_perm(CONSULT_TAKE_PART) else None
    return bool(
        voter
        and voter.path.startswith(consultation.scope_path)
        and consultation.state in (ConsultationState.DISCUSSING, ConsultationState.VOTING)
    )


def comments_shown(consultation: Consultation) -> QuerySet[Comment]:
    return consultation.comments.filter(state=CommentState.SHOWN).only("public_id", "author_shown", "body", "at")


def my_pending_comments(actor: Actor, consultation: Consultation) -> QuerySet[Comment]:
    return consultation.comments.filter(author_id=actor.user_id, state=CommentState.PENDING)


# ---- the workbench ---------------------------------------------------------------------------------


def workbench_counts(*, actor: Actor, today: date) -> dict[str, int]:
    """Comments awaiting moderation and meetings today, in one query."""
    start = timezone.make_aware(datetime.combine(today, time.min))
    end = start + timedelta(days=1)
    return Consultation.objects.filter(area_q(actor)).aggregate(
        pending=Count("comments", filter=Q(comments__state=CommentState.PENDING), distinct=True),
        meetings=Count(
            "meetings", filter=Q(meetings__starts_at__gte=start, meetings__starts_at__lt=end), distinct=True
        ),
    )


def meetings_today(*, actor: Actor, today: date, limit: int) -> list[Meeting]:
    start = timezone.make_aware(datetime.combine(today, time.min))
    return list(
        Meeting.objects.filter(
            area_q(actor, "consultation__path"), starts_at__gte=start, starts_at__lt=start + timedelta(days=1)
        )
        .select_related("consultation")
        .order_by("starts_at")[:limit]
    )
