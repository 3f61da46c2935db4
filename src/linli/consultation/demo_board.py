"""Demo data of stage board, made through the services. Idempotent: a convention or notice whose
title is on a board already is not made again.

In the showcase community: a residents' convention with three versions (the first superseded,
the second in force since a decided consultation, the third a draft under consultation), and
notices (finances, a general notice, one withdrawn with its reason, one expired). In three other
communities a convention in force and a notice; in the first village its village rules. The
drafts ride on the consultations the earlier demo steps made: without a decided one in the
showcase community, the second version stays a draft under consultation (logged)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from django.utils import timezone

from linli.accounts.domain import CONSULT_MANAGE
from linli.areas.selectors import units_under
from linli.consultation.domain.board import ADOPTING_CONSULTATION_STATES, ConventionKind, NoticeKind, VersionState
from linli.consultation.models import BoardNotice, Consultation, Convention
from linli.consultation.services import board as svc
from linli.core.actor import Actor

CONVENTION_TITLE = "居民公约"
TEXTS = (
    "一、爱护公共环境，不乱扔垃圾。\n二、文明养犬，及时清理犬只粪便。\n三、邻里互助，和睦相处。",
    "一、爱护公共环境，垃圾分类投放。\n二、文明养犬，出门牵绳，及时清理粪便。\n三、邻里互助，和睦相处。\n"
    "四、车辆有序停放，不占消防通道。",
    "一、爱护公共环境，垃圾分类投放。\n二、文明养犬，出门牵绳，及时清理粪便。\n三、邻里互助，和睦相处。\n"
    "四、车辆有序停放，不占消防通道。\n五、电动自行车不进楼道、不入户充电。",
)
VILLAGE_RULES = (
    "一、村民应遵守法律法规，维护村内公共秩序。\n二、爱护耕地，不乱占乱建。\n三、移风易俗，红白喜事从简。\n"
    "四、保护环境，秸秆不焚烧，垃圾定点投放。\n五、本村规民约经村民会议讨论通过，由村民委员会负责解释。"
)


def _actor(city_path: str) -> Actor:
    """The demo writes as the committee would (the name shown on its notices is the committee's)."""
    system = Actor.system("demo-board", permissions=frozenset({CONSULT_MANAGE}), root_path=city_path)
    return replace(system, display_name="社区居民委员会")


def _has_notice(path: str, title: str) -> bool:
    return BoardNotice.objects.filter(path=path, title=title).exists()


def _notice(actor: Actor, path: str, title: str, body: str, **values) -> BoardNotice | None:
    if _has_notice(path, title):
        return None
    data = svc.NoticeInput(path=path, kind=values.pop("kind", NoticeKind.NOTICE), title=title, body=body, **values)
    return svc.notice_publish(actor=actor, data=data)


def _recorded(actor: Actor, path: str, kind: str, title: str, text: str, adopted_on: dt.date, note: str) -> None:
    if Convention.objects.filter(path=path, title=title).exists():
        return
    data = svc.ConventionInput(path=path, kind=kind, title=title, text=text, adopted_on=adopted_on, note=note)
    svc.convention_create(actor=actor, data=data)


def _showcase_notices(actor: Actor, path: str, today: dt.date) -> None:
    _notice(
        actor,
        path,
        "2026年三季度社区收支公开",
        "收入：党组织服务群众经费 20,000 元。\n支出：楼道照明维修 6,800 元，议事活动 1,200 元。\n结余：12,000 元。",
        kind=NoticeKind.FINANCE,
        public_until=today + dt.timedelta(days=20),
    )
    _notice(actor, path, "冬季供暖报修电话", "供暖问题请拨打物业服务中心电话报修，社区居委会协助督办。")
    _notice(
        actor,
        path,
        "健康讲座通知",
        "本周六上午九时在社区活动室举办冬季健康讲座。",
        public_from=today - dt.timedelta(days=40),
        public_until=today - dt.timedelta(days=30),
    )
    wrong = _notice(actor, path, "停水通知（时间有误）", "12月10日全天停水。")
    if wrong is not None:
        svc.notice_withdraw(actor=actor, notice=wrong, reason="停水时间有误，已按供水公司通知更正后重新发布")


def _showcase_convention(actor: Actor, path: str, today: dt.date, log) -> None:
    convention = Convention.objects.filter(path=path, title=CONVENTION_TITLE).first()
    if convention is None:
        data = svc.ConventionInput(
            path=path,
            kind=ConventionKind.RESIDENTS,
            title=CONVENTION_TITLE,
            text=TEXTS[0],
            adopted_on=today.replace(year=today.year - 4, month=5, day=1),
            note="经居民代表会议讨论通过",
        )
        convention = svc.convention_create(actor=actor, data=data)
    consultations = Consultation.objects.filter(path=path).exclude(state="cancelled").order_by("created_at")
    decided = consultations.filter(state__in=ADOPTING_CONSULTATION_STATES).first()
    pending = consultations.exclude(state__in=ADOPTING_CONSULTATION_STATES).first() or decided
    for text in TEXTS[1:]:
        if not _advance(actor, convention, text, decided, pending, today, log):
            return


def _advance(actor, convention, text, decided, pending, today, log) -> bool:
    """One step of a revision: its draft, its consultation, its adoption (v2 only). False: stop."""
    versions = {v.version: v for v in convention.versions.all()}
    number = TEXTS.index(text) + 1
    version = versions.get(number)
    if version is None:
        version = svc.version_draft(actor=actor, convention=convention, text=text)
    if version.state == VersionState.DRAFT:
        linked = decided if number == 2 else pending
        if linked is None:
            log("  board: no consultation in the showcase community; the draft stays a draft")
            return False
        version = svc.version_consult(actor=actor, version=version, consultation_id=linked.public_id)
    if number == 2 and version.state == VersionState.CONSULTING:
        if version.consultation_id != getattr(decided, "pk", None):
            log("  board: no decided consultation in the showcase community; version 2 stays under consultation")
            return False
        svc.version_adopt(actor=actor, version=version, adopted_on=today - dt.timedelta(days=10))
    return True


def _other_boards(actor: Actor, city_path: str, showcase_path: str, today: dt.date) -> None:
    units = units_under(under=city_path, kinds=("community", "village"))
    others = [p for p, _n, _ur in units if p != showcase_path and len(p) == 12]
    villages = {p for p, _n, _ur in units_under(under=city_path, kinds=("village",))}
    for path in [p for p in others if p not in villages][:3]:
        _recorded(
            actor, path, ConventionKind.RESIDENTS, CONVENTION_TITLE, TEXTS[1], dt.date(2023, 6, 1), "居民代表会议通过"
        )
        _notice(
            actor,
            path,
            "楼道清理通知",
            "本周末开展楼道杂物清理，请居民配合。",
            public_until=today + dt.timedelta(days=7),
        )
    for path in sorted(villages)[:1]:
        _recorded(actor, path, ConventionKind.VILLAGE, "村规民约", VILLAGE_RULES, dt.date(2022, 3, 15), "村民会议通过")


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
    actor, today = _actor(city_path), timezone.localdate()
    _showcase_notices(actor, showcase_path, today)
    _showcase_convention(actor, showcase_path, today, log)
    _other_boards(actor, city_path, showcase_path, today)
    log(f"  board: {BoardNotice.objects.count()} notices, {Convention.objects.count()} conventions")
