"""Care services, stage classes (幸福教育): writes, one transaction each, checked whole before
anything is written (every problem named by its field), audited.

Requests and votes: one vote per account and request, counted under the request's row lock.
Enrolment holds the class's row lock: below capacity a place, beyond it the next number on the
waiting list; a cancellation of a place gives it to the first waiting, who is told. A rating
needs attendance at a session and is written once (a conditional update)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from linli.accounts.domain import CARE_MANAGE, CARE_ORDER
from linli.areas.selectors import org_unit_by_path
from linli.care.domain.classes import (
    TEXT_MAX,
    TITLE_MAX,
    Audience,
    ClassState,
    EnrolState,
    LecturerKind,
    RequestState,
    SiteLevel,
    community_of,
    rating_problem,
    text_problem,
)
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
from linli.care.selectors.classes import classroom_choices, lecturers_visible
from linli.core.actor import Actor
from linli.core.errors import FieldError, Msg, conflict, field_error, not_found, permission_denied, validation_failed
from linli.core.ids import uuid_or_none
from linli.core.masking import PERSONAL_NUMBER
from linli.core.notify import notify
from linli.core.services import audit_record
from linli.partners.selectors import social_org_brief
from linli.residents.selectors import CarePerson, care_person_for_user
from linli.volunteers.selectors import volunteer_by_public_id

COMMUNITY_KINDS = ("community", "village")
MAX_CAPACITY = 500
MAX_SESSIONS = 40


def _audit(actor: Actor, action: str, object_type: str, object_id, path: str, reason: str = "", **details) -> None:
    audit_record(
        actor=actor,
        action=f"care.{action}",
        object_type=object_type,
        object_id=object_id,
        org_path=path,
        reason=reason[:200],
        details={k: str(v) for k, v in details.items()},
    )


def _no_personal_numbers(problems: list[FieldError], name: str, text: str) -> None:
    if PERSONAL_NUMBER.search(text or ""):
        problems.append(
            FieldError(name, Msg("此处不要写身份证号或电话号码", "Do not write an ID or phone number here"))
        )


def _text(problems: list[FieldError], name: str, text: str, *, minimum: int, maximum: int, zh: str, en: str) -> str:
    text = (text or "").strip()
    problem = text_problem(text, minimum=minimum, maximum=maximum, zh=zh, en=en)
    if problem:
        problems.append(FieldError(name, problem))
    _no_personal_numbers(problems, name, text)
    return text


def _resident(actor: Actor) -> CarePerson:
    """The resident an account stands for (their own community is where they request and enrol)."""
    if not actor.has_perm(CARE_ORDER):
        raise permission_denied()
    person = care_person_for_user(actor.user_id)
    if person is None:
        raise conflict(
            Msg(
                "您的账号还没有关联到社区登记的居民信息，请联系社区",
                "Your account is not linked to a registered resident yet; ask your community",
            )
        )
    return person


def _account(actor: Actor) -> int:
    """The account of a resident `_resident` accepted (it found the resident through the account)."""
    if actor.user_id is None:
        raise permission_denied()
    return actor.user_id


def _manager(actor: Actor) -> None:
    if not actor.has_perm(CARE_MANAGE):
        raise permission_denied()


def _community(actor: Actor, path: str) -> str | None:
    unit = org_unit_by_path(path) if (path or "").isdigit() else None
    if unit is None or unit.kind not in COMMUNITY_KINDS or not actor.sees_path(unit.path):
        return None
    return unit.path


def _class_link(item: HappyClass) -> str:
    return reverse("portal:care-resident:classes-home") + f"#class-{item.public_id}"


# ================================================================ requests and votes


def request_create(*, actor: Actor, title: str, why: str, preferred_times: str = "") -> ClassRequest:
    """A resident asks their community for a topic (居民点单); their own vote counts at once."""
    person = _resident(actor)
    problems: list[FieldError] = []
    title = _text(problems, "title", title, minimum=2, maximum=TITLE_MAX, zh="想学的内容", en="the topic")
    why = _text(problems, "why", why, minimum=2, maximum=TEXT_MAX, zh="为什么想学", en="why you want it")
    times = (preferred_times or "").strip()
    if len(times) > 100:
        problems.append(
            field_error("preferred_times", "希望时间不能超过 100 字", "Preferred times: at most 100 characters")
        )
    if problems:
        raise validation_failed(problems)
    user_id = _account(actor)
    now = timezone.now()
    with transaction.atomic():
        request = ClassRequest.objects.create(
            path=community_of(person.path),
            title=title,
            why=why,
            preferred_times=times,
            requested_by_id=user_id,
            votes=1,
            created_at=now,
        )
        ClassVote.objects.create(request=request, user_id=user_id, at=now)
        _audit(actor, "class_request", "class_request", request.public_id, request.path)
    return request


def _own_request(actor: Actor, person: CarePerson, public_id) -> ClassRequest:
    """The request locked, if it is one of the resident's community and still open."""
    key = uuid_or_none(public_id)
    request = (
        ClassRequest.objects.select_for_update().filter(public_id=key, path=community_of(person.path)).first()
        if key
        else None
    )
    if request is None:
        raise not_found("课程需求", "Class request")
    if request.state != RequestState.OPEN:
        raise conflict(Msg("社区已经答复了这条需求", "The community has already answered this request"))
    return request


def request_vote(*, actor: Actor, public_id) -> ClassRequest:
    """Support a request of one's own community; once per account."""
    person = _resident(actor)
    user_id = _account(actor)
    with transaction.atomic():
        request = _own_request(actor, person, public_id)
        try:
            with transaction.atomic():
                ClassVote.objects.create(request=request, user_id=user_id, at=timezone.now())
        except IntegrityError:
            raise conflict(Msg("您已经支持过这条需求", "You already support this request")) from None
        ClassRequest.objects.filter(pk=request.pk).update(votes=F("votes") + 1)
        _audit(actor, "class_request", "class_request", request.public_id, request.path, vote="+1")
    request.refresh_from_db()
    return request


def request_unvote(*, actor: Actor, public_id) -> ClassRequest:
    """Withdraw one's support (while the community has not answered)."""
    person = _resident(actor)
    user_id = _account(actor)
    with transaction.atomic():
        request = _own_request(actor, person, public_id)
        deleted, _ = ClassVote.objects.filter(request=request, user_id=user_id).delete()
        if not deleted:
            raise conflict(Msg("您还没有支持这条需求", "You do not support this request"))
        ClassRequest.objects.filter(pk=request.pk).update(votes=F("votes") - 1)
        _audit(actor, "class_request", "class_request", request.public_id, request.path, vote="-1")
    request.refresh_from_db()
    return request


def _voters(request_ids: list[int]) -> list[int]:
    return list(ClassVote.objects.filter(request_id__in=request_ids).values_list("user_id", flat=True))


def request_decline(*, actor: Actor, request: ClassRequest, reason: str) -> ClassRequest:
    """The community declines a request; the reason is shown to residents and sent to supporters."""
    _manager(actor)
    problems: list[FieldError] = []
    reason = _text(problems, "reason", reason, minimum=4, maximum=300, zh="不开课的理由", en="the reason")
    if problems:
        raise validation_failed(problems)
    with transaction.atomic():
        locked = actor.scoped(ClassRequest.objects.select_for_update()).filter(pk=request.pk).first()
        if locked is None:
            raise not_found("课程需求", "Class request")
        if locked.state != RequestState.OPEN:
            raise conflict(Msg("这条需求已经答复过了", "This request has already been answered"))
        locked.state = RequestState.DECLINED
        locked.decline_reason = reason
        locked.answered_by_name = actor.shown_name
        locked.answered_at = timezone.now()
        locked.save(update_fields=["state", "decline_reason", "answered_by_name", "answered_at"])
        _audit(actor, "class_request_answer", "class_request", locked.public_id, locked.path, reason, to="declined")
        notify(
            user_ids=_voters([locked.pk]),
            kind="care.class_request",
            text=Msg(f"社区暂不开设「{locked.title}」：{reason}", f"No class on '{locked.title}' for now: {reason}"),
            link=reverse("portal:care-resident:classes-home"),
        )
    return locked


# ================================================================ lecturers


@dataclass
class LecturerInput:
    name: str
    kind: str
    topics: str
    communities: list[str] = field(default_factory=list)
    volunteer: str = ""  # a volunteer's public id (kind volunteer)
    social_org: str = ""  # a social organisation's public id (kind organisation)


def lecturer_add(*, actor: Actor, data: LecturerInput) -> Lecturer:
    """Register a lecturer for communities of the actor's area; links to the volunteers' and
    partners' registers are checked there and kept as references."""
    _manager(actor)
    problems: list[FieldError] = []
    name = _text(problems, "name", data.name, minimum=2, maximum=100, zh="讲师或单位名称", en="the lecturer's name")
    topics = _text(problems, "topics", data.topics, minimum=2, maximum=300, zh="授课内容", en="the topics")
    if data.kind not in LecturerKind.values:
        problems.append(field_error("kind", "请选择讲师类别", "Choose what kind of lecturer"))
    communities = sorted({c for c in data.communities if c})
    if not communities:
        problems.append(field_error("communities", "请至少选择一个服务社区", "Choose at least one community served"))
    elif any(_community(actor, c) is None for c in communities):
        problems.append(field_error("communities", "只能选择您辖区内的社区", "Choose communities of your area"))
    volunteer_ref = uuid_or_none(data.volunteer) if data.volunteer else None
    if data.volunteer and (volunteer_ref is None or volunteer_by_public_id(volunteer_ref) is None):
        problems.append(field_error("volunteer", "志愿者编号不存在", "No volunteer with that id"))
    org_ref = uuid_or_none(data.social_org) if data.social_org else None
    if data.social_org and (org_ref is None or social_org_brief(org_ref) is None):
        problems.append(field_error("social_org", "社会组织编号不存在", "No social organisation with that id"))
    if problems:
        raise validation_failed(problems)
    home = actor.scope_paths[0]
    with transaction.atomic():
        lecturer = Lecturer.objects.create(
            name=name,
            kind=data.kind,
            path=home,
            topics=topics,
            communities=communities,
            volunteer_ref=volunteer_ref,
            social_org_ref=org_ref,
            created_by_name=actor.shown_name,
            created_at=timezone.now(),
        )
        _audit(actor, "class_lecturer_add", "lecturer", lecturer.public_id, home, kind=lecturer.kind)
    return lecturer


# ================================================================ classes


@dataclass
class ClassInput:
    community: str
    title: str
    description: str
    capacity: object  # as typed
    audience: str = Audience.ALL
    lecturer: str = ""  # public id
    classroom: str = ""  # a facility's public id of the community, or empty with `classroom_name`
    classroom_name: str = ""
    sessions: list[tuple[datetime | None, datetime | None]] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)  # public ids of requests the class answers


def _capacity(value) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= MAX_CAPACITY else None


def _session_problems(sessions, now: datetime) -> list[FieldError]:
    if not sessions:
        return [field_error("sessions", "请至少安排一次课", "Give at least one session")]
    if len(sessions) > MAX_SESSIONS:
        return [field_error("sessions", f"最多 {MAX_SESSIONS} 次课", f"At most {MAX_SESSIONS} sessions")]
    for start, end in sessions:
        if start is None or end is None:
            return [field_error("sessions", "每次课都要有开始和结束时间", "Each session needs a start and an end")]
        if end <= start:
            return [field_error("sessions", "结束时间应晚于开始时间", "A session ends after it starts")]
        if timezone.localtime(start).date() < timezone.localdate(now):  # today's may be recorded late
            return [field_error("sessions", "不能安排在已经过去的日期", "A session cannot be in the past")]
    return []


def _session_times(sessions: list[tuple[datetime | None, datetime | None]]) -> list[tuple[datetime, datetime]]:
    """The sessions `_session_problems` accepted: each has its start and its end."""
    times = []
    for start, end in sessions:
        assert start is not None and end is not None  # a missing time is a problem, raised by _check_class
        times.append((start, end))
    return times


def _check_class(actor: Actor, data: ClassInput, now: datetime):
    problems: list[FieldError] = []
    community = _community(actor, data.community)
    if community is None:
        problems.append(field_error("community", "请选择您辖区内的社区", "Choose a community of your area"))
    title = _text(problems, "title", data.title, minimum=2, maximum=TITLE_MAX, zh="课程名称", en="the title")
    description = (data.description or "").strip()
    if len(description) > 2000:
        problems.append(field_error("description", "课程介绍不能超过 2000 字", "Description: at most 2,000 characters"))
    capacity = _capacity(data.capacity)
    if capacity is None:
        problems.append(
            FieldError(
                "capacity",
                Msg(f"名额应为 1 到 {MAX_CAPACITY} 的整数", f"Places: a whole number from 1 to {MAX_CAPACITY}"),
            )
        )
    if data.audience not in Audience.values:
        problems.append(field_error("audience", "请选择面向人群", "Choose who the class is for"))
    lecturer = None
    if data.lecturer:
        key = uuid_or_none(data.lecturer)
        lecturer = lecturers_visible(actor).filter(public_id=key).first() if key else None
        if lecturer is None:
            problems.append(field_error("lecturer", "请从讲师库中选择讲师", "Choose a lecturer of the pool"))
    facility_ref, classroom = None, (data.classroom_name or "").strip()
    if data.classroom and community:
        rooms = {str(room.public_id): room.name for room in classroom_choices(actor, community)}
        if data.classroom not in rooms:
            problems.append(field_error("classroom", "请选择本社区的教室或场地", "Choose a classroom of the community"))
        else:
            facility_ref, classroom = uuid_or_none(data.classroom), rooms[data.classroom]
    if not classroom and not any(p.field == "classroom" for p in problems):
        problems.append(field_error("classroom", "请选择或填写上课地点", "Choose or name the classroom"))
    elif len(classroom) > 100:
        problems.append(field_error("classroom", "上课地点不能超过 100 字", "Classroom: at most 100 characters"))
    problems += _session_problems(data.sessions, now)
    if problems:
        raise validation_failed(problems)
    return community, title, description, capacity, lecturer, facility_ref, classroom


def class_plan(*, actor: Actor, data: ClassInput) -> HappyClass:
    """Plan a class (being planned until published), answering the requests it comes from."""
    _manager(actor)
    now = timezone.now()
    community, title, description, capacity, lecturer, facility_ref, classroom = _check_class(actor, data, now)
    with transaction.atomic():
        keys = [k for k in (uuid_or_none(r) for r in data.requests) if k]
        requests = list(
            actor.scoped(ClassRequest.objects.select_for_update()).filter(public_id__in=keys).order_by("pk")
        )
        if len(requests) != len(set(data.requests)) or any(
            r.path != community or r.state != RequestState.OPEN for r in requests
        ):
            raise validation_failed(
                [
                    FieldError(
                        "requests", Msg("只能选择本社区待答复的需求", "Choose open requests of the same community")
                    )
                ]
            )
        item = HappyClass.objects.create(
            path=community,
            title=title,
            description=description,
            lecturer=lecturer,
            facility_ref=facility_ref,
            classroom=classroom,
            capacity=capacity,
            audience=data.audience,
            created_by_name=actor.shown_name,
            created_at=now,
        )
        ClassSession.objects.bulk_create(
            ClassSession(happy_class=item, path=community, starts_at=start, ends_at=end)
            for start, end in sorted(_session_times(data.sessions))
        )
        ClassRequest.objects.filter(pk__in=[r.pk for r in requests]).update(
            state=RequestState.PLANNED, happy_class=item, answered_by_name=actor.shown_name, answered_at=now
        )
        _audit(actor, "class_plan", "happy_class", item.public_id, community, requests=len(requests))
    return item


def _locked_class(actor: Actor, item: HappyClass) -> HappyClass:
    locked = actor.scoped(HappyClass.objects.select_for_update()).filter(pk=item.pk).first()
    if locked is None:
        raise not_found("课程", "Class")
    return locked


def class_publish(*, actor: Actor, item: HappyClass) -> HappyClass:
    """Open a planned class for enrolment; those who asked for it or supported the request are told."""
    _manager(actor)
    with transaction.atomic():
        locked = _locked_class(actor, item)
        if locked.state != ClassState.DRAFT:
            raise conflict(Msg("这门课已经发布过了", "This class is already published"))
        locked.state = ClassState.OPEN
        locked.published_at = timezone.now()
        locked.save(update_fields=["state", "published_at"])
        _audit(actor, "class_publish", "happy_class", locked.public_id, locked.path)
        notify(
            user_ids=_voters(list(locked.requests.values_list("pk", flat=True))),
            kind="care.class_open",
            text=Msg(
                f"您点单的课程「{locked.title}」开始报名了", f"The class you asked for, '{locked.title}', is open"
            ),
            link=_class_link(locked),
        )
    return locked


def class_close(*, actor: Actor, item: HappyClass) -> HappyClass:
    """Close a class once its last session has ended (nobody enrols any more; ratings still may)."""
    _manager(actor)
    now = timezone.now()
    with transaction.atomic():
        locked = _locked_class(actor, item)
        if locked.state != ClassState.OPEN:
            raise conflict(Msg("只有报名中的课程可以结课", "Only a published class can be closed"))
        last = locked.sessions.order_by("-ends_at").values_list("ends_at", flat=True).first()
        if last is None or last > now:
            raise conflict(Msg("最后一次课结束后才能结课", "A class closes after its last session"))
        locked.state = ClassState.CLOSED
        locked.closed_at = now
        locked.save(update_fields=["state", "closed_at"])
        _audit(actor, "class_close", "happy_class", locked.public_id, locked.path)
    return locked


# ================================================================ enrolment


def class_enrol(*, actor: Actor, public_id) -> ClassEnrolment:
    """Enrol in a published class of one's street: a place while there are places, else the next
    number on the waiting list. The class's row lock makes two last-place enrolments one place
    and one waiting."""
    person = _resident(actor)
    user_id = _account(actor)
    key = uuid_or_none(public_id)
    now = timezone.now()
    with transaction.atomic():
        item = (
            HappyClass.objects.select_for_update().filter(public_id=key, path__startswith=person.path[:9]).first()
            if key
            else None
        )
        if item is None:
            raise not_found("课程", "Class")
        if item.state != ClassState.OPEN:
            raise conflict(Msg("这门课现在不接受报名", "This class is not open for enrolment"))
        has_place = item.enrolled < item.capacity
        queue_no = None if has_place else item.queue_seq + 1
        try:
            with transaction.atomic():
                enrolment = ClassEnrolment.objects.create(
                    happy_class=item,
                    user_id=user_id,
                    person_ref=uuid_or_none(person.public_id),
                    person_name=person.name,
                    path=person.path,
                    state=EnrolState.ENROLLED if has_place else EnrolState.WAITING,
                    queue_no=queue_no,
                    created_at=now,
                    updated_at=now,
                )
        except IntegrityError:
            raise conflict(Msg("您已经报名了这门课", "You are already enrolled in this class")) from None
        if has_place:
            HappyClass.objects.filter(pk=item.pk).update(enrolled=F("enrolled") + 1)
        else:
            HappyClass.objects.filter(pk=item.pk).update(waiting=F("waiting") + 1, queue_seq=queue_no)
        _audit(actor, "class_enrol", "happy_class", item.public_id, item.path, state=enrolment.state)
    return enrolment


def _promote_first(item: HappyClass, now: datetime) -> ClassEnrolment | None:
    """Give a freed place to the first on the waiting list (the class row is locked)."""
    first = (
        ClassEnrolment.objects.select_for_update()
        .filter(happy_class=item, state=EnrolState.WAITING)
        .order_by("queue_no")
        .first()
    )
    if first is None:
        HappyClass.objects.filter(pk=item.pk).update(enrolled=F("enrolled") - 1)
        return None
    first.state = EnrolState.ENROLLED
    first.updated_at = now
    first.save(update_fields=["state", "updated_at"])
    HappyClass.objects.filter(pk=item.pk).update(waiting=F("waiting") - 1)
    notify(
        user_ids=[first.user_id],
        kind="care.class_place",
        text=Msg(f"「{item.title}」有人退出，您已从候补转为正式报名", f"A place in '{item.title}' is now yours"),
        link=_class_link(item),
    )
    return first


def class_cancel(*, actor: Actor, public_id) -> ClassEnrolment:
    """Cancel one's own place or waiting number; a freed place goes to the first waiting."""
    _resident(actor)
    user_id = _account(actor)
    key = uuid_or_none(public_id)
    found = ClassEnrolment.objects.filter(public_id=key, user_id=user_id).first() if key else None
    if found is None:
        raise not_found("报名", "Enrolment")
    now = timezone.now()
    with transaction.atomic():
        item = HappyClass.objects.select_for_update().get(pk=found.happy_class_id)  # the class first: one lock order
        enrolment = ClassEnrolment.objects.select_for_update().get(pk=found.pk)
        if enrolment.state == EnrolState.CANCELLED:
            raise conflict(Msg("这次报名已经取消了", "This enrolment is already cancelled"))
        if item.state == ClassState.CLOSED:
            raise conflict(Msg("课程已经结束，不能取消", "The class has finished"))
        was = enrolment.state
        enrolment.state = EnrolState.CANCELLED
        enrolment.queue_no = None
        enrolment.updated_at = now
        enrolment.save(update_fields=["state", "queue_no", "updated_at"])
        if was == EnrolState.ENROLLED:
            _promote_first(item, now)
        else:
            HappyClass.objects.filter(pk=item.pk).update(waiting=F("waiting") - 1)
        _audit(actor, "class_cancel", "happy_class", item.public_id, item.path, was=was)
    return enrolment


# ================================================================ attendance, rating


def attendance_record(*, actor: Actor, session: ClassSession, present: list[str]) -> ClassSession:
    """The worker ticks who came to a session (it has started); a second record replaces the first."""
    _manager(actor)
    now = timezone.now()
    with transaction.atomic():
        locked = actor.scoped(ClassSession.objects.select_for_update()).filter(pk=session.pk).first()
        if locked is None:
            raise not_found("课次", "Session")
        if locked.starts_at > now:
            raise conflict(Msg("这次课还没有开始，不能登记出勤", "The session has not started yet"))
        enrolled = list(ClassEnrolment.objects.filter(happy_class_id=locked.happy_class_id, state=EnrolState.ENROLLED))
        wanted = set(present)
        known = {str(e.public_id) for e in enrolled}
        if not wanted <= known:
            raise validation_failed(
                [field_error("present", "名单中有不是本课学员的人", "Someone ticked is not enrolled in this class")]
            )
        ClassAttendance.objects.filter(session=locked).delete()
        ClassAttendance.objects.bulk_create(
            ClassAttendance(session=locked, enrolment=e, present=str(e.public_id) in wanted) for e in enrolled
        )
        locked.attendance_at = now
        locked.present = len(wanted)
        locked.save(update_fields=["attendance_at", "present"])
        _audit(actor, "class_attendance", "class_session", locked.pk, locked.path, present=len(wanted))
    return locked


def class_rate(*, actor: Actor, public_id, stars, comment: str = "") -> ClassEnrolment:
    """An enrolled resident rates the class (1–5) after a session they attended; once."""
    _resident(actor)
    problems: list[FieldError] = []
    problem = rating_problem(stars)
    if problem:
        problems.append(FieldError("stars", problem))
    comment = (comment or "").strip()
    if len(comment) > 300:
        problems.append(field_error("comment", "评价不能超过 300 字", "Comment: at most 300 characters"))
    _no_personal_numbers(problems, "comment", comment)
    if problems:
        raise validation_failed(problems)
    user_id = _account(actor)
    key = uuid_or_none(public_id)
    enrolment = ClassEnrolment.objects.filter(public_id=key, user_id=user_id).first() if key else None
    if enrolment is None:
        raise not_found("报名", "Enrolment")
    if not ClassAttendance.objects.filter(enrolment=enrolment, present=True).exists():
        raise conflict(Msg("参加过至少一次课后才能评价", "You can rate the class after attending a session"))
    stars = int(stars)
    now = timezone.now()
    with transaction.atomic():
        done = ClassEnrolment.objects.filter(pk=enrolment.pk, rating__isnull=True).update(
            rating=stars, rating_comment=comment, rated_at=now
        )
        if not done:
            raise conflict(Msg("您已经评价过这门课", "You have already rated this class"))
        item = HappyClass.objects.get(pk=enrolment.happy_class_id)
        HappyClass.objects.filter(pk=item.pk).update(
            rating_sum=F("rating_sum") + stars, rating_count=F("rating_count") + 1
        )
        if item.lecturer_id:
            Lecturer.objects.filter(pk=item.lecturer_id).update(
                rating_sum=F("rating_sum") + stars, rating_count=F("rating_count") + 1
            )
        _audit(actor, "class_rate", "happy_class", item.public_id, item.path, stars=stars)
    enrolment.refresh_from_db()
    return enrolment


# ================================================================ model sites


def model_site_designate(
    *, actor: Actor, community: str, designated_on: date | None, document: str = "", classroom: str = ""
) -> ModelSite:
    """The district or the city designates a community (and its classroom) a model site."""
    _manager(actor)
    levels = {len(p) for p in actor.scope_paths}
    if not levels or min(levels) > 6:
        raise permission_denied()
    level = SiteLevel.CITY if min(levels) <= 4 else SiteLevel.DISTRICT
    problems: list[FieldError] = []
    path = _community(actor, community)
    if path is None:
        problems.append(field_error("community", "请选择您辖区内的社区", "Choose a community of your area"))
    if designated_on is None or designated_on > timezone.localdate():
        problems.append(
            field_error("designated_on", "请填写认定日期（不晚于今天）", "Give the date (not in the future)")
        )
    document = (document or "").strip()
    if len(document) > 100:
        problems.append(field_error("document", "文号不能超过 100 字", "Document number: at most 100 characters"))
    facility_ref, name = None, ""
    if path and classroom:
        rooms = {str(room.public_id): room.name for room in classroom_choices(actor, path)}
        if classroom not in rooms:
            problems.append(field_error("classroom", "请选择本社区的教室", "Choose a classroom of the community"))
        else:
            facility_ref, name = uuid_or_none(classroom), rooms[classroom]
    if problems:
        raise validation_failed(problems)
    assert path is not None and designated_on is not None
    unit = org_unit_by_path(path)
    try:
        with transaction.atomic():
            site = ModelSite.objects.create(
                path=path,
                facility_ref=facility_ref,
                name=name or (unit.name if unit else path),
                level=level,
                designated_on=designated_on,
                document=document,
                created_by_name=actor.shown_name,
                created_at=timezone.now(),
            )
            _audit(actor, "class_model_site", "model_site", site.public_id, path, level=level)
    except IntegrityError:
        raise conflict(Msg("这个社区已经是示范点", "This community is already a model site")) from None
    return site


# ================================================================ records of classes held before


@dataclass(frozen=True)
class HeldClass:
    """A class a community held before it used this system (its records as imported): when, how
    many came; no person."""

    community: str
    title: str
    classroom: str
    lecturer: Lecturer | None
    sessions: list[tuple[datetime, datetime, int]]  # start, end, how many came
    audience: str = Audience.ALL
    capacity: int = 30


def classes_held_import(*, actor: Actor, rows: list[HeldClass]) -> int:
    """Record finished classes of the actor's communities in bulk (a year's paper records, the
    demo): closed classes with their sessions' attendance counts, one audit line for all."""
    _manager(actor)
    problems = [
        field_error("community", "只能导入您辖区内的社区", f"Not a community of your area: {r.community}")
        for r in rows
        if not actor.sees_path(r.community) or len(r.community) != 12
    ][:1]
    problems += [
        field_error("sessions", "每门课至少一次课，到课人数不超过名额", f"Sessions of '{r.title}' are not plausible")
        for r in rows
        if not r.sessions or any(end <= start or came > r.capacity for start, end, came in r.sessions)
    ][:1]
    if problems:
        raise validation_failed(problems)
    now = timezone.now()
    with transaction.atomic():
        made = HappyClass.objects.bulk_create(
            HappyClass(
                path=r.community,
                title=r.title,
                lecturer=r.lecturer,
                classroom=r.classroom,
                capacity=r.capacity,
                audience=r.audience,
                state=ClassState.CLOSED,
                created_by_name=actor.shown_name,
                created_at=r.sessions[0][0],
                published_at=r.sessions[0][0],
                closed_at=r.sessions[-1][1],
            )
            for r in rows
        )
        ClassSession.objects.bulk_create(
            ClassSession(
                happy_class=item, path=r.community, starts_at=start, ends_at=end, attendance_at=end, present=came
            )
            for item, r in zip(made, rows, strict=True)
            for start, end, came in r.sessions
        )
        _audit(actor, "class_plan", "happy_class", "", actor.scope_paths[0], imported=len(made), at=now)
    return len(made)
