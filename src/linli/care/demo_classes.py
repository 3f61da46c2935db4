"""Care services demo: happy-education classes (幸福教育). Idempotent (a second run adds
nothing), through the services.

The lecturer pool (schools, social organisations, volunteers) at the city; in ~97 % of the city's
communities a class held this year (the records of classes held, imported in bulk) so the opening
rate is plausible; ~300 model sites designated by the districts in proportion to their
communities. In the showcase community: neighbours' requests with votes, one planned into a class
(published, full, two on the waiting list), one declined with a reason, and a class held this
morning with attendance and ratings."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from django.utils import timezone

from linli.accounts.domain import CARE_MANAGE, CARE_ORDER, Role
from linli.accounts.selectors import actor_for_user, user_by_username
from linli.accounts.services import posting_add, user_create
from linli.areas.selectors import org_unit_by_path, units_under
from linli.care.domain.classes import Audience
from linli.care.selectors.classes import classes_demo_present
from linli.care.services.classes import (
    ClassInput,
    HeldClass,
    LecturerInput,
    attendance_record,
    class_enrol,
    class_plan,
    class_publish,
    class_rate,
    classes_held_import,
    lecturer_add,
    model_site_designate,
    request_create,
    request_decline,
    request_vote,
)
from linli.core.actor import Actor
from linli.residents.selectors import care_person_for_user
from linli.residents.services import resident_account_link

# name, kind, topics
LECTURERS = [
    ("沈阳市老年大学", "school", "智能手机、书法、合唱"),
    ("辽宁中医药大学志愿服务队", "school", "中医养生、慢病管理"),
    ("沈阳师范大学学前教育学院", "school", "亲子阅读、家庭教育"),
    ("和平区家庭教育指导中心", "organisation", "家庭教育、青春期沟通"),
    ("沈阳市反诈宣传志愿队", "volunteer", "防范电信诈骗"),
    ("盛京红十字应急救护培训中心", "organisation", "急救知识、心肺复苏"),
    ("社区书画志愿者王老师", "volunteer", "国画、书法"),
    ("沈阳市图书馆", "organisation", "阅读分享、非遗剪纸"),
]
TOPICS = [
    ("智能手机入门", Audience.ELDERLY),
    ("防范电信诈骗", Audience.ELDERLY),
    ("中医养生与慢病管理", Audience.ELDERLY),
    ("亲子阅读", Audience.PARENTS),
    ("急救知识与心肺复苏", Audience.ALL),
    ("剪纸与非遗手工", Audience.CHILDREN),
    ("书法入门", Audience.ALL),
]
# title, why, preferred times, supporters
REQUESTS = [
    ("智能手机视频通话", "想和外地的孩子视频，不会用微信", "工作日上午", 7),
    ("太极拳", "早上在广场锻炼，想有老师教", "早上", 5),
    ("孩子暑期书法班", "放假孩子没人带，想学点东西", "暑假下午", 3),
    ("老年人防跌倒", "家里老人摔过两次", "", 2),
    ("社区游泳课", "想学游泳锻炼身体", "周末", 1),
]
NEIGHBOURS = 10
SITES_GOAL = 300


def _actor(username: str, fallback: Actor, path: str) -> Actor:
    user = user_by_username(username)
    actor = actor_for_user(user) if user is not None else None
    return actor if actor and actor.has_perm(CARE_MANAGE) and actor.sees_path(path) else fallback


def _system(name: str, path: str, label: str) -> Actor:
    actor = Actor.system(name, permissions=frozenset({CARE_MANAGE}), root_path=path)
    return dataclasses.replace(actor, display_name=label)


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
    if classes_demo_present(city_path):
        return
    rng = random.Random(20261207)
    today = timezone.localdate()
    city = _system("demo-classes", city_path, "市民政局")
    communities = units_under(under=city_path, kinds=("community", "village"))
    lecturers = [
        lecturer_add(
            actor=city,
            data=LecturerInput(name=n, kind=k, topics=t, communities=[c[0] for c in communities[:200]]),
        )
        for n, k, t in LECTURERS
    ]
    log(f"讲师 lecturers: {len(lecturers)}")
    held = _held_classes(city, communities, lecturers, showcase_path, today, rng)
    log(f"已开设的幸福教育课程 classes held this year: {held}")
    log(f"示范点 model sites: {_model_sites(city_path, communities, rng, today)}")
    worker = _actor(
        "demo_community_worker", _system("demo-classes-community", showcase_path, "社区工作人员"), showcase_path
    )
    neighbours = _neighbours(showcase_path)
    log(f"社区课堂居民 neighbours with accounts: {len(neighbours)}")
    if len(neighbours) >= 4:
        _showcase(worker, neighbours, lecturers, showcase_path, today, log)


def _held_classes(city: Actor, communities, lecturers, showcase_path: str, today: dt.date, rng) -> int:
    """Classes held since January in ~97 % of the communities (the rest have not opened yet)."""
    tz = timezone.get_current_timezone()
    rows = []
    for path, name, _ in communities:
        if path != showcase_path and rng.random() < 0.03:
            continue
        for _n in range(rng.randint(1, 3)):
            title, audience = rng.choice(TOPICS)
            day = dt.date(today.year, 1, 8) + dt.timedelta(
                days=rng.randint(0, max(1, (today - dt.date(today.year, 1, 8)).days - 7))
            )
            start = dt.datetime.combine(day, dt.time(rng.choice([9, 14, 15])), tz)
            sessions = [
                (start + dt.timedelta(weeks=w), start + dt.timedelta(weeks=w, minutes=90), rng.randint(8, 30))
                for w in range(rng.randint(1, 4))
                if (start + dt.timedelta(weeks=w)).date() < today
            ]
            if sessions:
                rows.append(HeldClass(path, title, f"{name}幸福课堂", rng.choice(lecturers), sessions, audience))
    made = 0
    for i in range(0, len(rows), 2000):
        made += classes_held_import(actor=city, rows=rows[i : i + 2000])
    return made


def _model_sites(city_path: str, communities, rng, today: dt.date) -> int:
    """About 300 city-wide, each district's share in proportion to its communities."""
    by_district: dict[str, list[str]] = {}
    for path, _name, _ in communities:
        by_district.setdefault(path[:6], []).append(path)
    total = len(communities)
    goal = min(SITES_GOAL, total // 3)
    made = 0
    for district, paths in sorted(by_district.items()):
        actor = _system("demo-classes-district", district, "区民政局")
        share = round(goal * len(paths) / total) if total else 0
        for path in rng.sample(paths, min(share, len(paths))):
            on = today - dt.timedelta(days=rng.randint(30, 700))
            model_site_designate(
                actor=actor,
                community=path,
                designated_on=on,
                document=f"{district}民发〔{on.year}〕{rng.randint(2, 40)}号",
            )
            made += 1
    return made


def _neighbours(showcase_path: str) -> list[Actor]:
    """Resident accounts of the showcase community (the demo resident and a few neighbours)."""
    unit = org_unit_by_path(showcase_path)
    actors = []
    for n in range(NEIGHBOURS):
        username = f"demo_class_neighbour_{n + 1:02d}"
        user = user_by_username(username)
        if user is None and unit is not None:
            user = user_create(username=username, password=f"demo-{random.random()}", display_name=username)
            posting_add(
                actor=_system("demo-classes-accounts", showcase_path, "系统"), user=user, role=Role.RESIDENT, place=unit
            )
            resident_account_link(user=user, community_path=showcase_path)
        if user is not None:
            actor = actor_for_user(user)
            if actor.has_perm(CARE_ORDER):
                actors.append(actor)
    return actors


def _showcase(worker: Actor, neighbours: list[Actor], lecturers, showcase_path: str, today: dt.date, log) -> None:
    people = [a for a in neighbours if care_person_for_user(a.user_id) is not None]
    if len(people) < 4:
        return
    made = []
    for i, (title, why, times, supporters) in enumerate(REQUESTS):
        author = people[i % len(people)]
        request = request_create(actor=author, title=title, why=why, preferred_times=times)
        for other in [p for p in people if p is not author][: supporters - 1]:
            request_vote(actor=other, public_id=request.public_id)
        made.append(request)
    log(f"居民点单 class requests: {len(made)}")
    request_decline(actor=worker, request=made[4], reason="社区没有泳池，已推荐到区全民健身中心的公益游泳课")
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(today + dt.timedelta(days=3), dt.time(9, 30), tz)
    full = class_plan(
        actor=worker,
        data=ClassInput(
            community=showcase_path,
            title="智能手机视频通话",
            description="微信视频、拍照发给家人、识别诈骗电话",
            capacity=6,
            audience=Audience.ELDERLY,
            lecturer=str(lecturers[0].public_id),
            classroom_name="社区党群服务中心二楼活动室",
            sessions=[(start + dt.timedelta(weeks=w), start + dt.timedelta(weeks=w, minutes=90)) for w in range(4)],
            requests=[str(made[0].public_id)],
        ),
    )
    class_publish(actor=worker, item=full)
    for actor in people[:8]:
        class_enrol(actor=actor, public_id=full.public_id)
    now = timezone.localtime()
    morning = max(now.replace(hour=0, minute=0, second=0, microsecond=0), now - dt.timedelta(hours=2))
    held = class_plan(
        actor=worker,
        data=ClassInput(
            community=showcase_path,
            title="太极拳入门",
            description="二十四式太极拳，适合中老年人",
            capacity=20,
            audience=Audience.ALL,
            lecturer=str(lecturers[-2].public_id),
            classroom_name="社区广场",
            sessions=[(morning, morning + dt.timedelta(hours=1))],
            requests=[str(made[1].public_id)],
        ),
    )
    class_publish(actor=worker, item=held)
    enrolled = [class_enrol(actor=a, public_id=held.public_id) for a in people[:6]]
    session = held.sessions.get()
    attendance_record(actor=worker, session=session, present=[str(e.public_id) for e in enrolled[:5]])
    for actor, enrolment, stars in zip(people[:4], enrolled[:4], (5, 5, 4, 5), strict=True):
        class_rate(
            actor=actor, public_id=enrolment.public_id, stars=stars, comment="老师教得很细" if stars == 5 else ""
        )
    log("社区示范课程 showcase classes: 2")
