"""Demo data of stage consultations, made through the services. Idempotent: a consultation whose
title is already in its community is left alone (so a second run adds nothing).

In the showcase community, on the topics stage's accepted topics where they exist: three
consultations open for comments with two or three options ("小区停车位规划方案", "3号楼加装电梯",
"广场舞时间与音量公约" — the voting and decisions stages take some further), comments from the pool's
resident accounts (some shown, some awaiting moderation), a meeting yesterday with residents and
the property company signed in and its minutes; one more being prepared. In two other communities
one consultation each, open for comments."""

from __future__ import annotations

from datetime import timedelta
from itertools import islice

from django.utils import timezone

from linli.accounts.domain import CONSULT_MANAGE, CONSULT_TAKE_PART, CONSULT_VIEW, RESIDENTS_VIEW, Role
from linli.accounts.selectors import actor_for_user, posted_user_ids, user_by_username
from linli.areas.selectors import units_under
from linli.consultation.models import Consultation, Topic
from linli.consultation.services import consultations as svc
from linli.core.actor import Actor
from linli.core.errors import DomainError
from linli.residents.selectors import roll_voters

COMMUNITY_LEN = 12
SIGN_INS = 8
STAKEHOLDERS = ["物业公司", "业主委员会"]
# (title, question, options, the topic title it comes from, open?)
SHOWCASE = [
    (
        "小区停车位规划方案",
        "小区内停车位紧张，是否按方案在东侧绿化带旁划设30个停车位？",
        ["同意划设", "不同意，维持现状", "改为错时共享停车"],
        "小区停车位规划",
        True,
    ),
    ("3号楼加装电梯", "3号楼是否加装电梯，费用按楼层分摊？", ["同意加装", "不同意加装"], "加装电梯", True),
    (
        "广场舞时间与音量公约",
        "广场舞活动时间定为每晚19:00—21:00、音量不超过60分贝，是否写入居民公约？",
        ["同意", "不同意", "时间改为18:30—20:30"],
        "",
        True,
    ),
    ("垃圾分类投放点调整", "是否将2号楼旁的垃圾投放点移至小区北门？", ["同意", "不同意"], "", False),
]
OTHERS = [("楼道堆物清理约定", "楼道堆物是否统一在每月第一个周六清理？", ["同意", "不同意"])]
COMMENTS = [
    "建议先听听一楼住户的意见。",
    "同意，晚上确实很难找到车位。",
    "希望物业公司把费用说明清楚。",
    "支持，但要注意老人出行安全。",
]


def committee_actor(path: str) -> Actor:
    """The demo community worker in the showcase; a system actor of the committees elsewhere."""
    user = user_by_username(f"demo_{Role.COMMUNITY_WORKER}")
    actor = actor_for_user(user) if user is not None else None
    if actor is not None and actor.sees_path(path) and actor.has_perm(CONSULT_MANAGE):
        return actor
    permissions = frozenset({CONSULT_MANAGE, CONSULT_VIEW, RESIDENTS_VIEW})
    return Actor.system("demo-consultations", permissions=permissions, root_path=path)


def _topic_id(path: str, title: str) -> str:
    if not title:
        return ""
    topic = Topic.objects.filter(path=path, title__contains=title, state="accepted").order_by("pk").first()
    return str(topic.public_id) if topic else ""


def _make(worker: Actor, path: str, title: str, question: str, options: list[str], topic_title: str, opened: bool, log):
    if Consultation.objects.filter(path=path, title=title).exists():
        return None
    today = timezone.localdate()
    data = svc.ConsultationInput(
        path=path,
        title=title,
        question=question,
        form="meeting" if "电梯" in title else "online",
        scope_kind="community",
        stakeholders=STAKEHOLDERS,
        discussion_until=today + timedelta(days=10),
        voting_until=timezone.now() + timedelta(days=14),
        options=options,
        topic_id=_topic_id(path, topic_title),
    )
    try:
        c = svc.consultation_create(actor=worker, data=data)
        if opened:
            c = svc.consultation_open(actor=worker, public_id=c.public_id)
    except DomainError as error:
        log(f"  consultations: {title} not made ({error.message.both()})")
        return None
    return c


def _comments(worker: Actor, c: Consultation, path: str) -> int:
    """The pool's resident accounts comment; every other one is shown, the rest wait."""
    made = 0
    for n, user_id in enumerate(posted_user_ids(roles={Role.RESIDENT}, scope_path=path)[: len(COMMENTS)]):
        actor = Actor(user_id=user_id, username=f"demo-commenter-{user_id}", permissions=frozenset({CONSULT_TAKE_PART}))
        try:
            comment = svc.comment_add(actor=actor, consultation=c, body=COMMENTS[n])
        except DomainError:  # the account stands for no one under the scope
            continue
        made += 1
        if n % 2 == 0:
            svc.comment_moderate(actor=worker, public_id=comment.public_id, show=True)
    return made


def _meeting(worker: Actor, c: Consultation, path: str) -> None:
    """Yesterday evening's meeting: the first residents of the roll and the property company."""
    starts = timezone.now() - timedelta(days=1)
    meeting = svc.meeting_schedule(
        actor=worker, public_id=c.public_id, starts_at=starts, place="社区党群服务中心会议室"
    )
    for voter in islice(roll_voters(under=path, on=timezone.localdate()), SIGN_INS):
        try:
            svc.meeting_sign_in(actor=worker, meeting_id=meeting.public_id, resident_ref=str(voter.resident_ref))
        except DomainError:  # outside the worker's view of the pool
            continue
    svc.meeting_sign_in(actor=worker, meeting_id=meeting.public_id, stakeholder="物业公司", name="王经理")
    svc.meeting_minutes(
        actor=worker, meeting_id=meeting.public_id, minutes="与会居民和物业公司代表讨论了方案，多数人倾向于第一个选项。"
    )


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
    showcase = showcase_path[:COMMUNITY_LEN]
    worker = committee_actor(showcase)
    made = 0
    for title, question, options, topic_title, opened in SHOWCASE:
        c = _make(worker, showcase, title, question, options, topic_title, opened, log)
        if c is None:
            continue
        made += 1
        if opened:
            _comments(worker, c, showcase)
        if title == SHOWCASE[0][0]:
            _meeting(worker, c, showcase)
    others = [p for p, _name, _kind in units_under(under=city_path, kinds=("community",)) if p != showcase][:2]
    for path in others:
        for title, question, options in OTHERS:
            made += _make(committee_actor(path), path, title, question, options, "", True, log) is not None
    log(f"  consultations: {made} made")
