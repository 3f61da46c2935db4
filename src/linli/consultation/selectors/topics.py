"""Reads of stage topics, scoped (`selectors.scope`): staff see their area's topics; a resident
sees the topics of the community they live in (gathering ones first) and never who supported
what beyond the count and their own support. Missing and forbidden answer the same 404."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from linli.accounts.domain import CONSULT_MANAGE, CONSULT_TAKE_PART, CONSULT_VIEW
from linli.areas.selectors import community_paths, unit_names
from linli.consultation.domain.topics import TopicState
from linli.consultation.models import Topic, TopicSupport
from linli.consultation.selectors.scope import area_q, home_community
from linli.core.actor import Actor
from linli.core.errors import not_found

COMMUNITY_LEN = 12


def may_view(actor: Actor) -> bool:
    return actor.has_perm(CONSULT_VIEW) or actor.has_perm(CONSULT_MANAGE)


# ---- staff -------------------------------------------------------------------------------------


def topic_list(*, actor: Actor, state: str = "", source: str = "") -> QuerySet[Topic]:
    if not may_view(actor):
        return Topic.objects.none()
    rows = Topic.objects.filter(area_q(actor))
    if state:
        rows = rows.filter(state=state)
    if source:
        rows = rows.filter(source=source)
    return rows.order_by("-created_at", "-pk")


def state_counts(*, actor: Actor) -> dict[str, int]:
    """How many of the area's topics are in each state (one GROUP BY)."""
    if not may_view(actor):
        return {}
    rows = Topic.objects.filter(area_q(actor)).values("state").annotate(n=Count("pk")).order_by()
    return {row["state"]: row["n"] for row in rows}


def topic_get(*, actor: Actor, public_id) -> Topic:
    if not may_view(actor):
        raise not_found("议题", "Topic")
    try:
        found = Topic.objects.filter(area_q(actor), public_id=public_id).first()
    except ValidationError:  # a malformed id: the same 404
        found = None
    if found is None:
        raise not_found("议题", "Topic")
    return found


def manageable_communities(actor: Actor) -> list[tuple[str, str]]:
    """(path, name) of the communities in the actor's scope a topic may be put in."""
    if not actor.has_perm(CONSULT_MANAGE):
        return []
    return [(p, n) for p, n in community_paths(actor=actor) if len(p) == COMMUNITY_LEN]


def steps(topic: Topic) -> list:
    return list(topic.steps.all())


def concerns_name(topic: Topic) -> str:
    names = unit_names([topic.path, topic.concerns_path[:15], topic.concerns_path])
    return " · ".join(dict.fromkeys(n for n in (names.get(topic.path), names.get(topic.concerns_path)) if n))


def topic_for_source(*, source: str, ref: str) -> Topic | None:
    """The topic a grid event or payment request became (the hand-off links name it)."""
    return Topic.objects.filter(source=source, source_ref=ref).first()


# ---- residents -----------------------------------------------------------------------------------


def _resident_rows(actor: Actor) -> QuerySet[Topic]:
    community = home_community(actor) if actor.has_perm(CONSULT_TAKE_PART) else ""
    if not community:
        return Topic.objects.none()
    return Topic.objects.filter(path=community)


def resident_topics(*, actor: Actor) -> QuerySet[Topic]:
    """The community's topics, gathering ones first (withdrawn ones are the proposer's own business)."""
    gathering_first = Case(
        When(state=TopicState.GATHERING, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        _resident_rows(actor)
        .exclude(state=TopicState.WITHDRAWN)
        .annotate(order=gathering_first)
        .order_by("order", "-created_at", "-pk")
    )


def my_topics(*, actor: Actor) -> QuerySet[Topic]:
    if actor.user_id is None:
        return Topic.objects.none()
    return _resident_rows(actor).filter(proposer_id=actor.user_id).order_by("-created_at", "-pk")


def resident_topic_get(*, actor: Actor, public_id) -> Topic:
    try:
        found = _resident_rows(actor).filter(public_id=public_id).first()
    except ValidationError:  # a malformed id: the same 404
        found = None
    if found is None or (found.state == TopicState.WITHDRAWN and found.proposer_id != actor.user_id):
        raise not_found("议题", "Topic")
    return found


def supported(actor: Actor, topic: Topic) -> bool:
    if actor.user_id is None:
        return False
    return TopicSupport.objects.filter(topic=topic, user_id=actor.user_id).exists()


def progress_percent(topic: Topic) -> int:
    if not topic.supporters_needed:
        return 100
    return min(100, topic.supporter_count * 100 // topic.supporters_needed)


# ---- the workbench ---------------------------------------------------------------------------------


def awaiting_count(*, actor: Actor) -> dict[str, int]:
    """Topics awaiting the committees' decision, in one query."""
    return Topic.objects.filter(area_q(actor)).aggregate(
        awaiting=Count("pk", filter=Q(state=TopicState.SUBMITTED)),
    )


def awaiting_rows(*, actor: Actor, limit: int) -> list[Topic]:
    return list(Topic.objects.filter(area_q(actor), state=TopicState.SUBMITTED).order_by("updated_at", "pk")[:limit])


def topic_decision(topic: Topic):
    """The published decision of the topic's consultation, if any (the micro-fund link names it)."""
    from linli.consultation.models import Decision

    return Decision.objects.filter(consultation__topic=topic).select_related("consultation").first()


# ---- the new-topic form's first values -----------------------------------------------------------------


def topic_prefill(actor: Actor, *, event: str = "", payment: str = "") -> dict:
    """Title, body, community and source of a topic from a grid event or a waiting payment request
    the actor may see; nothing when neither is given or visible."""
    from django.utils.translation import gettext as _

    from linli.charity.selectors import request_get
    from linli.consultation.domain.topics import TopicSource
    from linli.core.errors import DomainError
    from linli.grid_events.selectors import event_get

    try:
        if event:
            found = event_get(actor=actor, key=event[:32])
            return {
                "community": found.community_path,
                "title": found.description.strip().splitlines()[0][:40] if found.description.strip() else "",
                "body": found.description,
                "source": TopicSource.GRID_EVENT,
                "source_ref": found.number,
            }
        if payment:
            waiting = request_get(actor=actor, public_id=payment[:40])
            body = _("%(purpose)s — %(amount)s yuan, paid to %(payee)s, from the fund %(fund)s") % {
                "purpose": waiting.purpose,
                "amount": waiting.amount,
                "payee": waiting.payee,
                "fund": waiting.fund.name,
            }
            return {
                "community": waiting.fund.community_path,
                "title": waiting.purpose[:100],
                "body": body,
                "source": TopicSource.MICRO_FUND,
                "source_ref": str(waiting.public_id),
            }
    except (DomainError, ValueError, ValidationError):  # not visible or malformed: an empty form
        return {}
    return {}
