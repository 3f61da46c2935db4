"""Demo data of safe community, stage mediators, made through this app's services: a committee
mediator in most communities and two full-time mediators in most streets, with GAPS so the
staffing page shows red (about one community in nine without a committee mediator, some
streets with one full-time mediator, the showcase district's last street with none), experts and
volunteers of each district's pool, and trainings this year. The showcase community's committee
mediator is the demo mediator's account (`demo_mediator`, linked, not made again). Runs before
the disputes (they are assigned to this pool). Idempotent: with a pool in place nothing is added."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from linli.accounts.domain import MEDIATION_MANAGE, MEDIATION_VIEW
from linli.accounts.selectors import user_by_username
from linli.areas.selectors import units_under
from linli.core.actor import Actor
from linli.mediation.domain.mediators import MediatorKind
from linli.mediation.selectors.mediators import mediator_list
from linli.mediation.services.mediators import MediatorInput, mediator_add, mediator_add_many, training_record

SEED = 20261207
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = ["淑华", "建国", "桂芝", "志强", "秀兰", "德明", "丽华", "振东", "玉梅", "文斌", "凤霞", "庆丰", "红梅", "宏伟"]
COMMUNITY_GAP_EVERY = 9  # one community in nine has no committee mediator (red on the staffing page)
STREET_ONE_EVERY = 4  # one street in four has a single full-time mediator (amber)
EXPERTS = [
    ("交通事故赔偿", ["traffic", "damage"], "律师，从事交通事故赔偿十二年"),
    ("医疗纠纷", ["medical"], "退休主任医师，医调委专家"),
    ("征地拆迁", ["demolition", "land", "construction"], "原区住建局干部"),
    ("劳动争议", ["labour"], "劳动人事争议仲裁员"),
]
TOPICS = ["人民调解法与调解技巧", "婚姻家庭纠纷调解实务", "物业纠纷的法律适用", "调解协议书的制作与司法确认"]


def _actor(city_path: str) -> Actor:
    """The city's judicial bureau keeping the pool."""
    return Actor.system(
        "demo-mediators", permissions=frozenset({MEDIATION_MANAGE, MEDIATION_VIEW}), root_path=city_path
    )


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _phone(rng: random.Random) -> str:
    return f"139{rng.randrange(10**8):08d}"


def _rows(city_path: str, showcase_path: str, rng: random.Random) -> list[MediatorInput]:
    since = dt.date(timezone.localdate().year - 3, 3, 1)
    rows = []
    streets = units_under(under=city_path, kinds=("street",))
    gap_street = max((p for p, _, _ in streets if p.startswith(showcase_path[:6])), default="")
    for index, (path, _, _) in enumerate(streets):
        count = 0 if path == gap_street else 1 if index % STREET_ONE_EVERY == 3 else 2
        if path == showcase_path[:9]:
            count = 2
        for _ in range(count):
            rows.append(
                MediatorInput(
                    MediatorKind.FULL_TIME, _name(rng), path, _phone(rng), "法律专业，专职调解员", since=since
                )
            )
    communities = units_under(under=city_path, kinds=("community", "village"))
    for index, (path, _, _) in enumerate(communities):
        if path == showcase_path or index % COMMUNITY_GAP_EVERY == COMMUNITY_GAP_EVERY - 1:
            continue
        rows.append(MediatorInput(MediatorKind.COMMITTEE, _name(rng), path, _phone(rng), "社区调委会委员", since=since))
    for district, _, _ in units_under(under=city_path, kinds=("district",)):
        for specialty, kinds, qualifications in EXPERTS[: 2 + (district == showcase_path[:6]) * 2]:
            rows.append(
                MediatorInput(
                    MediatorKind.EXPERT, _name(rng), district, _phone(rng), qualifications, specialty, kinds, since
                )
            )
    for _ in range(3):
        rows.append(
            MediatorInput(MediatorKind.VOLUNTEER, _name(rng), showcase_path, _phone(rng), "退休教师，志愿调解员")
        )
    return rows


def _showcase_mediator(actor: Actor, showcase_path: str) -> None:
    """The demo mediator's account is the showcase community's committee mediator."""
    user = user_by_username("demo_mediator")
    data = MediatorInput(
        MediatorKind.COMMITTEE,
        (user.display_name if user else "") or "水源地调解员",
        showcase_path,
        "13900000001",
        "社区调委会主任，人民调解员资格",
        "邻里与婚姻家庭纠纷",
        since=dt.date(timezone.localdate().year - 2, 1, 15),
        username="demo_mediator" if user else "",
    )
    mediator_add(actor=actor, data=data)


def _trainings(actor: Actor, showcase_path: str, rng: random.Random) -> int:
    today = timezone.localdate()
    recorded = 0
    for mediator in mediator_list(actor=actor).filter(path__startswith=showcase_path[:9]):
        for month in rng.sample(range(1, today.month + 1), k=min(2, today.month)):
            on = dt.date(today.year, month, 10)
            if on <= today:
                training_record(
                    actor=actor, mediator=mediator, on=on, hours=rng.choice([2, 3, 4, 6]), topic=rng.choice(TOPICS)
                )
                recorded += 1
    return recorded


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
    actor = _actor(city_path)
    if mediator_list(actor=actor, include_ended=True).exists():
        return
    rng = random.Random(SEED)
    _showcase_mediator(actor, showcase_path)
    added = mediator_add_many(actor=actor, rows=_rows(city_path, showcase_path, rng))
    trained = _trainings(actor, showcase_path, rng)
    log(f"调解员 mediators: {added + 1}, 培训 trainings: {trained}")
