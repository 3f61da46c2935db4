"""Writes of stage topics: one transaction each, checked, audited.

A resident proposes a topic for their own community; neighbours of the same community support it
(once each: the unique constraint decides); reaching the threshold puts it to the committees in
the same transaction. The committees (CONSULT_MANAGE) also put topics straight to themselves and
decide each one with a public reason. The proposer may withdraw while it is not yet decided; a
proposal that does not gather enough supporters in time lapses (`linli tick`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from linli.accounts.domain import CONSULT_MANAGE, CONSULT_TAKE_PART
from linli.areas.selectors import org_unit_by_path
from linli.consultation.domain.topics import (
    GATHERING_DAYS,
    NUMBER_PREFIX,
    SUPPORTERS_NEEDED,
    TopicSource,
    TopicState,
)
from linli.consultation.models import Topic, TopicStep, TopicSupport
from linli.consultation.selectors.scope import home_community
from linli.consultation.services import common
from linli.core.actor import Actor
from linli.core.errors import DomainError, Msg, conflict, field_error, not_found, permission_denied, validation_failed
from linli.residents.selectors import voter_for_user

COMMUNITY_LEN = 12
CONCERNS_LEN = {"building": 18, "grid": 15, "community": 12}
TITLE_MAX = 100
BODY_MAX = 2000
REASON_MAX = 300
REF_MAX = 40
PUT_SOURCES = (
    TopicSource.COMMITTEE,
    TopicSource.PARTY,
    TopicSource.DEPARTMENT,
    TopicSource.GRID_EVENT,
    TopicSource.MICRO_FUND,
)
WITHDRAWABLE = (TopicState.GATHERING, TopicState.SUBMITTED)


@dataclass
class TopicInput:
    title: str
    body: str
    concerns: str = "community"  # a resident's proposal: "building", "grid" or "community"
    path: str = ""  # a staff topic: the community (12)
    concerns_path: str = ""  # a staff topic: the building, grid or community it is about ("" = the community)
    source: str = TopicSource.COMMITTEE
    source_ref: str = ""  # the department's name, the grid event's number, the payment request's id


# ---- shared steps ------------------------------------------------------------------------------


def _step(actor: Actor, topic: Topic, action: str, from_state: str, note: str = "") -> None:
    TopicStep.objects.create(
        topic=topic,
        action=action,
        from_state=from_state,
        to_state=topic.state,
        note=note[:REASON_MAX],
        by_id=actor.user_id,
        by_name="" if actor.is_system else actor.shown_name,  # the timeline shows no internal names
        at=timezone.now(),
    )


def _text_problems(data: TopicInput) -> list:
    problems = [
        field_error(name, "请填写", "Required") for name in ("title", "body") if not getattr(data, name).strip()
    ]
    if len(data.title.strip()) > TITLE_MAX:
        problems.append(field_error("title", "标题不超过100字", "At most 100 characters"))
    if len(data.body.strip()) > BODY_MAX:
        problems.append(field_error("body", "内容不超过2000字", "At most 2000 characters"))
    return problems


def _reason(reason: str, zh: str, en: str) -> str:
    reason = reason.strip()
    if not reason:
        raise validation_failed([field_error("reason", zh, en)])
    return reason[:REASON_MAX]


def _create(actor: Actor, community: str, **values) -> Topic:
    """Numbered creation; a second topic for the same grid event or payment request is refused
    with the number of the one that exists (the constraint decides)."""
    now = timezone.now()
    try:
        return common.numbered_create(
            Topic,
            NUMBER_PREFIX,
            community,
            timezone.localdate(),
            path=community,
            created_at=now,
            updated_at=now,
            **values,
        )
    except IntegrityError as error:
        existing = Topic.objects.filter(source=values.get("source"), source_ref=values.get("source_ref")).first()
        if existing is None:
            raise
        raise DomainError(
            Msg(f"已有议题 {existing.number}", f"There is already a topic for this: {existing.number}"),
            code="conflict",
            status=409,
            details={"number": existing.number, "public_id": str(existing.public_id)},
        ) from error


# ---- proposing and putting ---------------------------------------------------------------------


def topic_propose(*, actor: Actor, data: TopicInput) -> Topic:
    """A resident's proposal for their own community: gathering supporters for GATHERING_DAYS."""
    community = home_community(actor) if actor.has_perm(CONSULT_TAKE_PART) else ""
    voter = voter_for_user(actor.user_id)
    if not community or voter is None:
        raise permission_denied()
    problems = _text_problems(data)
    if data.concerns not in CONCERNS_LEN:
        problems.append(field_error("concerns", "请选择议题涉及的范围", "Choose what the topic concerns"))
    if problems:
        raise validation_failed(problems)
    concerns_path = voter.path[: CONCERNS_LEN[data.concerns]] if voter.path.startswith(community) else community
    with transaction.atomic():
        topic = _create(
            actor,
            community,
            concerns_path=concerns_path,
            title=data.title.strip(),
            body=data.body.strip(),
            source=TopicSource.RESIDENT,
            state=TopicState.GATHERING,
            proposer_id=actor.user_id,
            proposer_shown=voter.name_masked[:40],
            supporters_needed=SUPPORTERS_NEEDED,
            gathering_until=timezone.localdate() + dt.timedelta(days=GATHERING_DAYS),
        )
        _step(actor, topic, "propose", "")
        common.audit(actor, "topic_propose", "topic", topic.pk, topic.path)
    return topic


def _put_problems(data: TopicInput) -> list:
    problems = _text_problems(data)
    if data.source not in PUT_SOURCES:
        problems.append(field_error("source", "请选择议题来源", "Choose where the topic comes from"))
    elif data.source != TopicSource.COMMITTEE and data.source != TopicSource.PARTY and not data.source_ref.strip():
        problems.append(field_error("source_ref", "请填写来源（部门名称或编号）", "Name the department or the record"))
    if len(data.source_ref.strip()) > REF_MAX:
        problems.append(field_error("source_ref", "不超过40字", "At most 40 characters"))
    concerns = data.concerns_path.strip() or data.path
    if len(concerns) not in (12, 15, 18) or not concerns.startswith(data.path):
        problems.append(field_error("concerns_path", "涉及范围须在本社区内", "Must lie inside the community"))
    return problems


def topic_put(*, actor: Actor, data: TopicInput) -> Topic:
    """The committees, the party, a department, a grid event or a micro-fund puts a topic straight
    to the committees' decision (SUBMITTED)."""
    unit = org_unit_by_path(data.path) if len(data.path) == COMMUNITY_LEN else None
    if unit is None or not actor.sees_path(data.path):
        raise not_found("社区", "Community")
    if not actor.has_perm(CONSULT_MANAGE):
        raise permission_denied()
    problems = _put_problems(data)
    if problems:
        raise validation_failed(problems)
    source_names = dict(TopicSource.choices)
    with transaction.atomic():
        topic = _create(
            actor,
            data.path,
            concerns_path=data.concerns_path.strip() or data.path,
            title=data.title.strip(),
            body=data.body.strip(),
            source=data.source,
            source_ref=data.source_ref.strip(),
            state=TopicState.SUBMITTED,
            proposer_id=actor.user_id,
            proposer_shown=(data.source_ref.strip() if data.source == TopicSource.DEPARTMENT else "")
            or str(source_names[data.source])[:40],
            supporters_needed=0,
        )
        _step(actor, topic, "put", "")
        common.audit(actor, "topic_propose", "topic", topic.pk, topic.path, source=data.source)
    return topic


# ---- supporting ---------------------------------------------------------------------------------


def topic_support(*, actor: Actor, public_id) -> Topic:
    """Once per resident account of the same community; the threshold submits it at once."""
    community = home_community(actor) if actor.has_perm(CONSULT_TAKE_PART) else ""
    if not community or actor.user_id is None:
        raise not_found("议题", "Topic")
    with transaction.atomic():
        topic = Topic.objects.select_for_update().filter(public_id=public_id, path=community).first()
        if topic is None:
            raise not_found("议题", "Topic")
        if topic.proposer_id == actor.user_id:
            raise conflict(Msg("不能附议自己提出的议题", "You cannot support your own proposal"))
        if topic.state != TopicState.GATHERING:
            raise conflict(Msg("议题已不在征集附议阶段", "The topic is no longer gathering supporters"))
        try:
            with transaction.atomic():
                TopicSupport.objects.create(topic=topic, user_id=actor.user_id, at=timezone.now())
        except IntegrityError:
            raise conflict(Msg("您已附议过这个议题", "You have already supported this topic")) from None
        Topic.objects.filter(pk=topic.pk).update(supporter_count=F("supporter_count") + 1, updated_at=timezone.now())
        topic.refresh_from_db()
        common.audit(actor, "topic_support", "topic", topic.pk, topic.path)
        if topic.supporter_count >= topic.supporters_needed:
            topic.state, topic.updated_at = TopicState.SUBMITTED, timezone.now()
            topic.save(update_fields=["state", "updated_at"])
            _step(actor, topic, "threshold", TopicState.GATHERING, str(topic.supporter_count))
    return topic


# ---- deciding, withdrawing, lapsing ------------------------------------------------------------------


def topic_decide(*, actor: Actor, public_id, accept: bool, reason: str) -> Topic:
    """SUBMITTED → ACCEPTED or DECLINED, with the reason made public either way."""
    reason = _reason(reason, "请填写公开的理由", "Give the reason that will be made public")
    with transaction.atomic():
        topic = Topic.objects.select_for_update().filter(public_id=public_id).first()
        if topic is None or not actor.sees_path(topic.path):
            raise not_found("议题", "Topic")
        if not actor.has_perm(CONSULT_MANAGE):
            raise permission_denied()
        if topic.state != TopicState.SUBMITTED:
            raise conflict(Msg("只有待两委决定的议题可以决定", "Only a topic awaiting the committees can be decided"))
        topic.state = TopicState.ACCEPTED if accept else TopicState.DECLINED
        topic.decision_reason, topic.decided_by_id = reason, actor.user_id
        topic.decided_at = topic.updated_at = timezone.now()
        topic.save(update_fields=["state", "decision_reason", "decided_by", "decided_at", "updated_at"])
        _step(actor, topic, "accept" if accept else "decline", TopicState.SUBMITTED, reason)
        common.audit(actor, "topic_decide", "topic", topic.pk, topic.path, reason, accept=accept)
    return topic


def topic_withdraw(*, actor: Actor, public_id, reason: str) -> Topic:
    """The proposer, before the committees decide, with a reason."""
    reason = _reason(reason, "请填写撤回的事由", "Give the reason for withdrawing")
    with transaction.atomic():
        topic = Topic.objects.select_for_update().filter(public_id=public_id).first()
        if topic is None or actor.user_id is None or topic.proposer_id != actor.user_id:
            raise not_found("议题", "Topic")
        if topic.state not in WITHDRAWABLE:
            raise conflict(Msg("议题已决定，不能撤回", "The topic has been decided; it cannot be withdrawn"))
        from_state = topic.state
        topic.state, topic.updated_at = TopicState.WITHDRAWN, timezone.now()
        topic.save(update_fields=["state", "updated_at"])
        _step(actor, topic, "withdraw", from_state, reason)
        common.audit(actor, "topic_withdraw", "topic", topic.pk, topic.path, reason)
    return topic


def topics_lapse_tick() -> str:
    """`linli tick`'s entry (LINLI_TICK_JOBS): proposals past their gathering period lapse."""
    system = Actor.system("topics-tick")
    today = timezone.localdate()
    lapsed = 0
    for pk in Topic.objects.filter(state=TopicState.GATHERING, gathering_until__lt=today).values_list("pk", flat=True):
        with transaction.atomic():
            topic = Topic.objects.select_for_update().get(pk=pk)
            if topic.state != TopicState.GATHERING:  # supported or withdrawn meanwhile
                continue
            topic.state, topic.updated_at = TopicState.LAPSED, timezone.now()
            topic.save(update_fields=["state", "updated_at"])
            _step(system, topic, "lapse", TopicState.GATHERING)
            lapsed += 1
    return f"{lapsed} lapsed"
