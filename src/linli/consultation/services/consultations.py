"""Writes of stage consultations: one transaction each, checked, audited.

The two committees (CONSULT_MANAGE in the community) prepare a consultation (from an accepted
topic or directly), edit it while it is being prepared, open it for comments (the topic follows)
or cancel it with a reason before a decision. Residents who live under its scope comment while it
is open; staff moderate. Meetings are scheduled, residents and stakeholders' representatives sign
in at the door (once per resident: the unique constraint decides), minutes follow the meeting."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from linli.accounts.domain import CONSULT_MANAGE, CONSULT_TAKE_PART
from linli.areas.selectors import building_list, grid_by_path, org_unit_by_path
from linli.consultation.domain.consultations import (
    COMMENT_MAX,
    NUMBER_PREFIX,
    CommentState,
    ConsultationForm,
    ConsultationState,
    ParticipantScope,
)
from linli.consultation.domain.topics import TopicState
from linli.consultation.domain.voting import Majority, VoteUnit
from linli.consultation.models import (
    Comment,
    Consultation,
    ConsultationOption,
    Meeting,
    SignIn,
    Topic,
)
from linli.consultation.services import common
from linli.core.actor import Actor
from linli.core.crypto import mask_name
from linli.core.errors import (
    DomainError,
    FieldError,
    Msg,
    conflict,
    field_error,
    not_found,
    permission_denied,
    validation_failed,
)
from linli.residents.selectors import applicant_by_ref, resident_list, voter_for_user

COMMUNITY_LEN = 12
SCOPE_LEN = {ParticipantScope.COMMUNITY: 12, ParticipantScope.GRID: 15, ParticipantScope.BUILDING: 18}
OPTION_KEYS = "abcdefghij"
OPTIONS_MAX = len(OPTION_KEYS)
TITLE_MAX = 100
STAKEHOLDER_MAX = 100
REASON_MAX = 300
NAME_MAX = 40
BEFORE_DECISION = (
    ConsultationState.DRAFT,
    ConsultationState.DISCUSSING,
    ConsultationState.VOTING,
    ConsultationState.COUNTED,
)
COMMENTS_OPEN = (ConsultationState.DISCUSSING, ConsultationState.VOTING)
MEETINGS_OPEN = (ConsultationState.DRAFT, ConsultationState.DISCUSSING, ConsultationState.VOTING)


ONE_OPTION = field_error(
    "options",
    "至少需要两个选项；不投票、在会上议定的协商不填选项",
    "At least two options; none for a consultation decided at the meeting without a vote",
)


@dataclass
class ConsultationInput:
    path: str  # the community (12)
    title: str
    question: str
    form: str
    scope_kind: str
    scope_path: str = ""  # the building (18) or grid (15); the community's own path for the whole
    stakeholders: list[str] = field(default_factory=list)
    discussion_until: dt.date | None = None
    voting_until: dt.datetime | None = None
    vote_unit: str = VoteUnit.HOUSEHOLD
    quorum_percent: int = 50
    majority: str = Majority.HALF
    options: list[str] = field(default_factory=list)
    topic_id: str = ""  # an ACCEPTED topic's public id


# ---- who may do what ------------------------------------------------------------------------------


def _manages(actor: Actor, path: str) -> None:
    if not actor.sees_path(path):
        raise not_found("协商", "Consultation")
    if not actor.has_perm(CONSULT_MANAGE):
        raise permission_denied()


def _locked(actor: Actor, public_id) -> Consultation:
    """The consultation, locked, if the actor manages its community; the one 404 otherwise."""
    found = Consultation.objects.select_for_update().filter(public_id=public_id).first()
    if found is None or not actor.sees_path(found.path):
        raise not_found("协商", "Consultation")
    _manages(actor, found.path)
    return found


def _step(actor: Actor, c: Consultation, action: str, from_state: str, note: str = "") -> None:
    common.consultation_step(actor, c, action, from_state, note[:REASON_MAX])


# ---- checking the input --------------------------------------------------------------------------


def _clean_list(values) -> list[str]:
    return [v.strip() for v in values if v and v.strip()]


def _scope_ok(actor: Actor, data: ConsultationInput) -> bool:
    """The building or grid must lie inside the community; the whole community is its own path."""
    kind, scope = data.scope_kind, data.scope_path.strip()
    if kind == ParticipantScope.COMMUNITY:
        return scope in ("", data.path)
    if len(scope) != SCOPE_LEN.get(kind) or not scope.startswith(data.path):  # type: ignore[call-overload]
        return False
    if kind == ParticipantScope.GRID:
        return grid_by_path(scope) is not None
    return building_list(actor=actor).filter(path=scope).exists()


def _problems(actor: Actor, data: ConsultationInput) -> list[FieldError]:
    problems = [
        field_error(name, "请填写", "Required") for name in ("title", "question") if not getattr(data, name).strip()
    ]
    if len(data.title.strip()) > TITLE_MAX:
        problems.append(field_error("title", "标题不超过100字", "At most 100 characters"))
    if data.form not in ConsultationForm.values:
        problems.append(field_error("form", "请选择协商形式", "Choose the form"))
    if data.scope_kind not in ParticipantScope.values:
        problems.append(field_error("scope_kind", "请选择参与范围", "Choose who takes part"))
    elif not _scope_ok(actor, data):
        problems.append(
            field_error("scope_path", "楼栋或网格须在本社区内", "The building or grid must be inside the community")
        )
    if data.vote_unit not in VoteUnit.values:
        problems.append(field_error("vote_unit", "请选择投票单位", "Choose who votes"))
    if data.majority not in Majority.values:
        problems.append(field_error("majority", "请选择通过规则", "Choose the majority"))
    if not 0 <= data.quorum_percent <= 100:
        problems.append(field_error("quorum_percent", "须在0到100之间", "Between 0 and 100"))
    # no choices at all is a consultation decided at the meeting by consensus (a council, without
    # a vote); a single choice is never a vote
    options = _clean_list(data.options)
    if len(options) == 1:
        problems.append(ONE_OPTION)
    elif len(options) > OPTIONS_MAX or len(set(options)) != len(options):
        problems.append(field_error("options", "选项不超过10个且不能重复", "At most ten options, none repeated"))
    if data.discussion_until and data.voting_until and data.voting_until.date() < data.discussion_until:
        problems.append(field_error("voting_until", "投票截止早于意见征集截止", "Voting ends before comments close"))
    if any(len(s) > STAKEHOLDER_MAX for s in _clean_list(data.stakeholders)):
        problems.append(field_error("stakeholders", "单位名称不超过100字", "A unit's name is at most 100 characters"))
    return problems


def _topic(data: ConsultationInput) -> Topic | None:
    if not data.topic_id:
        return None
    try:
        topic = Topic.objects.select_for_update().filter(public_id=data.topic_id, path=data.path).first()
    except ValidationError:  # not a UUID: no such topic
        topic = None
    if topic is None:
        raise not_found("议题", "Topic")
    if topic.state != TopicState.ACCEPTED:
        raise conflict(
            Msg("只有已决定协商的议题可以发起协商", "Only a topic accepted for consultation can be consulted on")
        )
    return topic


def _values(data: ConsultationInput) -> dict:
    return {
        "title": data.title.strip(),
        "question": data.question.strip(),
        "form": data.form,
        "scope_kind": data.scope_kind,
        "scope_path": data.path if data.scope_kind == ParticipantScope.COMMUNITY else data.scope_path.strip(),
        "stakeholders": _clean_list(data.stakeholders),
        "discussion_until": data.discussion_until,
        "voting_until": data.voting_until,
        "vote_unit": data.vote_unit,
        "quorum_percent": data.quorum_percent,
        "majority": data.majority,
    }


def _options_save(c: Consultation, labels: list[str]) -> None:
    c.options.all().delete()
    ConsultationOption.objects.bulk_create(
        ConsultationOption(consultation=c, key=OPTION_KEYS[i], label=label[:200], position=i)
        for i, label in enumerate(_clean_list(labels))
    )


# ---- the consultation --------------------------------------------------------------------------


def consultation_create(*, actor: Actor, data: ConsultationInput) -> Consultation:
    """A consultation being prepared in the community, from an accepted topic or directly."""
    unit = org_unit_by_path(data.path) if len(data.path) == COMMUNITY_LEN else None
    if unit is None:
        raise not_found("社区", "Community")
    _manages(actor, data.path)
    problems = _problems(actor, data)
    if problems:
        raise validation_failed(problems)
    with transaction.atomic():
        topic = _topic(data)
        now = timezone.now()
        c = common.numbered_create(
            Consultation,
            NUMBER_PREFIX,
            data.path,
            timezone.localdate(),
            path=data.path,
            topic=topic,
            created_by_id=actor.user_id,
            created_at=now,
            updated_at=now,
            **_values(data),
        )
        _options_save(c, data.options)
        _step(actor, c, "create", "")
        common.audit(actor, "consultation_save", "consultation", c.pk, c.path, change="create")
    return c


def consultation_edit(*, actor: Actor, public_id, data: ConsultationInput) -> Consultation:
    """Only while being prepared: once it is open the question, the options and the rule stand."""
    with transaction.atomic():
        c = _locked(actor, public_id)
        if c.state != ConsultationState.DRAFT:
            raise conflict(
                Msg("协商已开放，方案和投票规则不能再改", "The consultation is open; it can no longer change")
            )
        data.path = c.path
        problems = _problems(actor, data)
        if problems:
            raise validation_failed(problems)
        for name, value in _values(data).items():
            setattr(c, name, value)
        c.updated_at = timezone.now()
        c.save()
        _options_save(c, data.options)
        common.audit(actor, "consultation_save", "consultation", c.pk, c.path, change="edit")
    return c


def consultation_open(*, actor: Actor, public_id) -> Consultation:
    """DRAFT → DISCUSSING: residents may comment; the topic is now under consultation."""
    with transaction.atomic():
        c = _locked(actor, public_id)
        if c.state != ConsultationState.DRAFT:
            raise conflict(Msg("协商已开放或已结束", "The consultation is already open or over"))
        if c.options.count() == 1:
            raise validation_failed([ONE_OPTION])
        c.state, c.updated_at = ConsultationState.DISCUSSING, timezone.now()
        c.save(update_fields=["state", "updated_at"])
        _step(actor, c, "open", ConsultationState.DRAFT)
        common.topic_follow(actor, c.topic_id, TopicState.CONSULTING, c.number)
        common.audit(actor, "consultation_open", "consultation", c.pk, c.path)
    return c


def consultation_cancel(*, actor: Actor, public_id, reason: str) -> Consultation:
    """Before a decision, with a reason; the topic goes back to be consulted later."""
    reason = reason.strip()
    if not reason:
        raise validation_failed([field_error("reason", "请填写取消的事由", "Give the reason for cancelling")])
    with transaction.atomic():
        c = _locked(actor, public_id)
        if c.state not in BEFORE_DECISION:
            raise conflict(Msg("决定已公布或协商已取消，不能取消", "Decided or already cancelled; cannot cancel"))
        from_state = c.state
        c.state, c.cancel_reason, c.updated_at = ConsultationState.CANCELLED, reason[:REASON_MAX], timezone.now()
        c.save(update_fields=["state", "cancel_reason", "updated_at"])
        _step(actor, c, "cancel", from_state, reason)
        common.topic_follow(actor, c.topic_id, TopicState.ACCEPTED, reason)
        common.audit(actor, "consultation_cancel", "consultation", c.pk, c.path, reason)
    return c


# ---- comments ---------------------------------------------------------------------------------------


def comment_add(*, actor: Actor, consultation: Consultation, body: str) -> Comment:
    """A resident who lives under the scope comments while it is open; pending until moderated."""
    body = body.strip()
    voter = voter_for_user(actor.user_id) if actor.has_perm(CONSULT_TAKE_PART) else None
    if voter is None or not voter.path.startswith(consultation.scope_path):
        raise _not_participant()
    if not body:
        raise validation_failed([field_error("body", "请填写意见", "Write your comment")])
    if len(body) > COMMENT_MAX:
        raise validation_failed([field_error("body", "意见不超过1000字", "At most 1000 characters")])
    with transaction.atomic():
        c = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if c.state not in COMMENTS_OPEN:
            raise conflict(Msg("此协商现在不收意见", "This consultation is not taking comments now"))
        card = applicant_by_ref(str(voter.resident_ref))
        name = card.name if card else voter.name_masked
        comment = Comment.objects.create(
            consultation=c,
            author_id=actor.user_id,
            author_name=name[:NAME_MAX],
            author_shown=mask_name(name)[:NAME_MAX],
            body=body,
            at=timezone.now(),
        )
        common.audit(actor, "comment_add", "consultation_comment", comment.pk, c.path)
    return comment


def _not_participant() -> DomainError:
    return DomainError(
        Msg("您不在此协商的参与范围内", "You are not among this consultation's participants"),
        code="not_participant",
        status=403,
    )


def comment_moderate(*, actor: Actor, public_id, show: bool, reason: str = "") -> Comment:
    """Show a comment, or hide it with a reason (the reason stays inside)."""
    reason = reason.strip()
    if not show and not reason:
        raise validation_failed([field_error("reason", "隐藏意见须填写事由", "Give the reason for hiding")])
    with transaction.atomic():
        comment = Comment.objects.select_for_update().filter(public_id=public_id).first()
        if comment is None:
            raise not_found("意见", "Comment")
        c = Consultation.objects.get(pk=comment.consultation_id)
        _manages(actor, c.path)
        comment.state = CommentState.SHOWN if show else CommentState.HIDDEN
        comment.moderation_reason = "" if show else reason[:200]
        comment.moderated_by_id, comment.moderated_at = actor.user_id, timezone.now()
        comment.save(update_fields=["state", "moderation_reason", "moderated_by", "moderated_at"])
        common.audit(actor, "comment_moderate", "consultation_comment", comment.pk, c.path, reason, state=comment.state)
    return comment


# ---- meetings ---------------------------------------------------------------------------------------


def meeting_schedule(*, actor: Actor, public_id, starts_at: dt.datetime | None, place: str) -> Meeting:
    place = place.strip()
    problems = []
    if starts_at is None:
        problems.append(field_error("starts_at", "请填写开始时间", "Give the start time"))
    if not place:
        problems.append(field_error("place", "请填写地点", "Give the place"))
    if problems or starts_at is None:
        raise validation_failed(problems)
    with transaction.atomic():
        c = _locked(actor, public_id)
        if c.state not in MEETINGS_OPEN:
            raise conflict(Msg("投票结束后不能再安排会议", "No meeting can be scheduled after voting"))
        meeting = Meeting.objects.create(
            consultation=c, starts_at=starts_at, place=place[:100], created_at=timezone.now()
        )
        _step(actor, c, "meeting", c.state, f"{timezone.localtime(starts_at):%Y-%m-%d %H:%M} {place}")
        common.audit(actor, "meeting_save", "consultation_meeting", meeting.pk, c.path)
    return meeting


def _meeting_locked(actor: Actor, public_id) -> tuple[Meeting, Consultation]:
    meeting = Meeting.objects.select_for_update().filter(public_id=public_id).first()
    if meeting is None:
        raise not_found("会议", "Meeting")
    c = Consultation.objects.get(pk=meeting.consultation_id)
    if not actor.sees_path(c.path):
        raise not_found("会议", "Meeting")
    _manages(actor, c.path)
    return meeting, c


def meeting_sign_in(
    *, actor: Actor, meeting_id, resident_ref: str = "", stakeholder: str = "", name: str = ""
) -> SignIn:
    """A resident of the scope (chosen from the scoped search), or a stakeholder's representative
    by unit and name. A resident signs in once: the unique constraint decides, even at two doors."""
    with transaction.atomic():
        meeting, c = _meeting_locked(actor, meeting_id)
        if c.state in (ConsultationState.CANCELLED,):
            raise conflict(Msg("协商已取消", "The consultation was cancelled"))
        values = _attendee(actor, c, resident_ref, stakeholder, name)
        try:
            with transaction.atomic():
                row = SignIn.objects.create(meeting=meeting, signed_at=timezone.now(), by_id=actor.user_id, **values)
        except IntegrityError:
            raise conflict(Msg("此人已签到", "Already signed in")) from None
        common.audit(
            actor, "meeting_sign_in", "consultation_meeting", meeting.pk, c.path, stakeholder=bool(stakeholder)
        )
    return row


def _attendee(actor: Actor, c: Consultation, resident_ref: str, stakeholder: str, name: str) -> dict:
    if resident_ref:
        try:
            row = (
                resident_list(actor=actor)
                .filter(public_id=resident_ref, path__startswith=c.scope_path)
                .values_list("public_id", "household__public_id", "name")
                .first()
            )
        except ValidationError:  # not a UUID: no such resident
            row = None
        if row is None:
            raise validation_failed(
                [field_error("resident", "请选择参与范围内的居民", "Choose a resident of the scope")]
            )
        return {"resident_ref": row[0], "household_ref": row[1], "name_shown": mask_name(row[2])[:NAME_MAX]}
    stakeholder, name = stakeholder.strip(), name.strip()
    problems = []
    if not stakeholder:
        problems.append(field_error("stakeholder", "请填写单位", "Give the unit"))
    if not name:
        problems.append(field_error("name", "请填写代表姓名", "Give the representative's name"))
    if problems:
        raise validation_failed(problems)
    return {"stakeholder": stakeholder[:100], "name_shown": name[:NAME_MAX]}


def meeting_minutes(*, actor: Actor, meeting_id, minutes: str) -> Meeting:
    """After the meeting has started: the minutes (they may be corrected later, each time audited)."""
    minutes = minutes.strip()
    if not minutes:
        raise validation_failed([field_error("minutes", "请填写会议纪要", "Write the minutes")])
    with transaction.atomic():
        meeting, c = _meeting_locked(actor, meeting_id)
        if meeting.starts_at > timezone.now():
            raise conflict(Msg("会议尚未开始，不能记录纪要", "The meeting has not started; no minutes yet"))
        meeting.minutes, meeting.minutes_by_id, meeting.minutes_at = minutes, actor.user_id, timezone.now()
        meeting.save(update_fields=["minutes", "minutes_by", "minutes_at"])
        common.audit(actor, "meeting_minutes", "consultation_meeting", meeting.pk, c.path)
    return meeting
