"""Demo data of stage topics, made through the services. Idempotent: a title already in its
community is left alone, so a second run adds nothing.

In the showcase community: a residents' proposal about parking (停车难) still gathering supporters
(the pool's resident accounts support it), one awaiting the committees, two accepted ("小区停车位规划",
"加装电梯": the consultations stage opens consultations on them), one declined with its reason and
one lapsed. A few topics put by the committees in up to four other communities."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from linli.accounts.domain import CONSULT_MANAGE, CONSULT_TAKE_PART, CONSULT_VIEW, Role
from linli.accounts.selectors import actor_for_user, posted_user_ids, user_by_username
from linli.areas.models import OrgUnit
from linli.consultation.models import Topic
from linli.consultation.services.topics import (
    TopicInput,
    topic_decide,
    topic_propose,
    topic_put,
    topic_support,
    topics_lapse_tick,
)
from linli.core.actor import Actor
from linli.core.errors import DomainError

COMMUNITY_LEN = 12
OTHER_COMMUNITIES = 4
SUPPORTERS = 4  # the parking proposal's supporters: fewer than needed, so it keeps gathering
GATHERING = ("停车难：晚上回家找不到车位", "小区晚上车位严重不足，很多车停在消防通道上，希望社区组织大家商量解决办法。")
LAPSED = ("楼下增设快递柜", "希望在2号楼下增设一组智能快递柜。")
# (title, body, source, source_ref, decision: None = awaiting, True = accept, False = decline, reason)
PUT = [
    (
        "小区停车位规划",
        "小区停车位紧张，需要统一规划停车位。",
        "committee",
        "",
        True,
        "涉及全体居民的切身利益，列入本季度协商。",
    ),
    (
        "加装电梯",
        "3号楼多位老年居民反映上下楼困难，希望加装电梯。",
        "committee",
        "",
        True,
        "符合既有住宅加装电梯政策，组织3号楼居民协商。",
    ),
    ("雨污分流改造", "区住建局计划明年对老旧小区实施雨污分流改造。", "department", "区住建局", None, ""),
    (
        "在小区内开设棋牌室",
        "部分居民建议利用闲置用房开设棋牌室。",
        "committee",
        "",
        False,
        "闲置用房已规划为老年食堂，暂不协商。",
    ),
]
OTHERS = [("楼道堆物清理", "楼道堆物影响消防通道，需要商定清理办法。"), ("小区绿化补种", "部分绿地裸露，拟补种绿化。")]


def _worker(path: str) -> Actor:
    """The demo community worker in the showcase; a system actor of the committees elsewhere."""
    user = user_by_username(f"demo_{Role.COMMUNITY_WORKER}")
    actor = actor_for_user(user) if user is not None else None
    if actor is not None and actor.sees_path(path) and actor.has_perm(CONSULT_MANAGE):
        return actor
    return Actor.system("demo-topics", permissions=frozenset({CONSULT_MANAGE, CONSULT_VIEW}), root_path=path)


def _residents(path: str) -> list[Actor]:
    """The pool's resident accounts of the community (those not linked to anyone are refused later)."""
    return [
        Actor(user_id=user_id, username=f"demo-resident-{user_id}", permissions=frozenset({CONSULT_TAKE_PART}))
        for user_id in posted_user_ids(roles={Role.RESIDENT}, scope_path=path)
    ]


def _exists(path: str, title: str) -> bool:
    return Topic.objects.filter(path=path, title=title).exists()


def _proposal(residents: list[Actor], path: str, title: str, body: str, log) -> Topic | None:
    """The first resident account the pool links to someone proposes; returns None when none can."""
    for actor in residents:
        try:
            return topic_propose(actor=actor, data=TopicInput(title=title, body=body, concerns="community"))
        except DomainError:  # the account stands for no one in the pool
            continue
    log(f"  topics: no resident account could propose {title}")
    return None


def _gathering(residents: list[Actor], path: str, log) -> int:
    topic = _proposal(residents, path, *GATHERING, log)
    if topic is None:
        return 0
    supported = 0
    for actor in residents:
        if supported >= min(SUPPORTERS, topic.supporters_needed - 1):
            break
        try:
            topic_support(actor=actor, public_id=topic.public_id)
        except DomainError:  # their own, or not in the pool
            continue
        supported += 1
    return 1


def _lapsed(residents: list[Actor], path: str, log) -> int:
    topic = _proposal(residents, path, *LAPSED, log)
    if topic is None:
        return 0
    # the period is over in the story: moved back so the tick lapses it as it would have
    Topic.objects.filter(pk=topic.pk).update(gathering_until=timezone.localdate() - timedelta(days=1))
    topics_lapse_tick()
    return 1


def _put(worker: Actor, path: str, title: str, body: str, source: str, ref: str, decision, reason: str, log) -> int:
    try:
        topic = topic_put(
            actor=worker, data=TopicInput(title=title, body=body, path=path, source=source, source_ref=ref)
        )
        if decision is not None:
            topic_decide(actor=worker, public_id=topic.public_id, accept=decision, reason=reason)
    except DomainError as error:
        log(f"  topics: {title} not made ({error.message.both()})")
        return 0
    return 1


def _others(city_path: str, showcase: str, log) -> int:
    paths = (
        OrgUnit.objects.filter(path__startswith=city_path[:4], kind="community", is_active=True)
        .exclude(path=showcase)
        .order_by("path")
        .values_list("path", flat=True)[:OTHER_COMMUNITIES]
    )
    made = 0
    for n, path in enumerate(paths):
        title, body = OTHERS[n % len(OTHERS)]
        if not _exists(path, title):
            made += _put(_worker(path), path, title, body, "committee", "", n % 2 == 0 or None, "列入协商计划。", log)
    return made


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
    showcase = showcase_path[:COMMUNITY_LEN]
    worker, residents = _worker(showcase), _residents(showcase)
    made = 0
    if not _exists(showcase, GATHERING[0]):
        made += _gathering(residents, showcase, log)
    if not _exists(showcase, LAPSED[0]):
        made += _lapsed(residents, showcase, log)
    for title, body, source, ref, decision, reason in PUT:
        if not _exists(showcase, title):
            made += _put(worker, showcase, title, body, source, ref, decision, reason, log)
    made += _others(city_path, showcase, log)
    log(f"  topics: {made} made")
