"""Demo data for the demo city, made through this app's services (`linli demo`). Idempotent:
a second run adds nothing.

Volunteers in every community of the showcase street (40–110 each) and a sample of other
communities (12–30 each): a few thousand, ages 14–75 with a guardian for the minors, skills and
availability; past activities of the last eleven months with check-in hours, upcoming ones with
shifts; hours transferred from earlier rosters (代录, more than a year old) so star levels vary;
`demo_resident` registered in the showcase community with hours (some reported and approved)
and an upcoming sign-up; a reported help waiting for approval in the showcase community.
Bulk rows go through the services' bulk paths (`volunteers_register_bulk`, `hours_record_bulk`)
with the same checks as one row."""

from __future__ import annotations

import random
import time
from datetime import date, datetime, timedelta

from django.utils import timezone

from linli.accounts.domain import VOLUNTEER_MANAGE
from linli.accounts.selectors import actor_for_user, user_by_username
from linli.areas.selectors import community_positions, unit_names, units_under
from linli.core.actor import Actor
from linli.core.errors import DomainError
from linli.residents.domain import id_number_make
from linli.volunteers import selectors, services
from linli.volunteers.domain import Skill
from linli.volunteers.models import Activity, Shift, Volunteer

SEED = 20261207
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = [
    "秀兰",
    "桂英",
    "玉珍",
    "淑芬",
    "丽华",
    "建国",
    "建华",
    "志强",
    "海燕",
    "春梅",
    "晓东",
    "国庆",
    "红梅",
    "凤英",
    "文博",
    "子涵",
    "一鸣",
    "思远",
    "雨欣",
    "佳怡",
    "浩然",
    "明轩",
    "立新",
    "永刚",
    "丽娟",
    "秀珍",
    "德明",
    "宏伟",
    "俊杰",
    "桂芝",
    "玉兰",
    "淑珍",
    "振华",
    "春华",
    "敏",
    "静",
    "磊",
    "伟",
    "芳",
    "娜",
    "强",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "超",
]
AVAILABILITY = ["周末上午", "工作日晚上", "周末全天", "工作日白天", "每周三下午", "随时可约"]
# (title, place kind, skills, hours long, needed)
ACTIVITY_KINDS = [
    ("楼道清理与环境整治", "小区楼道", ["environment"], 3, 12),
    ("垃圾分类桶前值守", "垃圾分类投放点", ["environment"], 2, 6),
    ("独居老人入户探访", "社区养老服务站", ["elder_care"], 3, 8),
    ("老年人智能手机培训", "社区党群服务中心", ["tutoring"], 2, 5),
    ("义诊与健康咨询", "社区卫生服务站", ["medical"], 3, 6),
    ("法律咨询进社区", "社区党群服务中心", ["legal"], 2, 3),
    ("青少年课业辅导", "社区四点半课堂", ["tutoring"], 2, 6),
    ("治安巡逻（邻里守望）", "小区各出入口", ["patrol"], 3, 10),
    ("冬季清雪", "小区主干道", [], 3, 20),
    ("社区文艺汇演服务", "社区文化广场", ["culture", "photography"], 4, 8),
    ("便民维修服务日", "社区广场", ["repair"], 3, 6),
]
# target cumulative hours of history for the showcase street's volunteers: (share, low, high)
HISTORY = [(0.55, 0, 0), (0.2, 20, 99), (0.12, 100, 299), (0.07, 300, 599), (0.04, 600, 999), (0.015, 1000, 1499)]
HISTORY_ROW_MINUTES = 360  # one transferred record: a six-hour day


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
    started = time.monotonic()
    rng = random.Random(SEED)
    system = Actor.system("demo-volunteers", permissions=frozenset({VOLUNTEER_MANAGE}), root_path=city_path)
    street = showcase_path[:9]
    positions = community_positions()
    where = {
        key: (float(lat), float(lng))
        for key, lat, lng in zip(positions.keys, positions.lat, positions.lng, strict=True)
    }
    if not Volunteer.objects.filter(registered_path__startswith=street).exists():
        communities = [path for path, _, _ in units_under(under=street, kinds=("community", "village"))]
        others = [
            path for path, _, _ in units_under(under=city_path, kinds=("community", "village")) if path[:9] != street
        ]
        sample = rng.sample(others, min(len(others), 40))
        made = _volunteers(
            system, rng, [(p, rng.randint(40, 110)) for p in communities] + [(p, rng.randint(12, 30)) for p in sample]
        )
        activities = _activities(system, rng, communities + sample[:15], where)
        hours = _history(system, rng, street) + _attendance(system, rng, activities)
        log(f"volunteers: {made} volunteers, {len(activities)} activities, {hours} hour records")
    _demo_resident(system, rng, showcase_path, where, log)
    services.figures_refresh(months=12)
    log(f"volunteers: done in {time.monotonic() - started:.1f} s")


def _name(rng: random.Random, surname: str = "") -> str:
    return (surname or rng.choice(SURNAMES)) + rng.choice(GIVEN)


def _volunteers(system: Actor, rng: random.Random, plan: list[tuple[str, int]]) -> int:
    inputs, when = [], []
    now = timezone.now()
    sequence = 0
    for path, count in plan:
        for _ in range(count):
            sequence += 1
            age = rng.choices(
                [rng.randint(14, 17), rng.randint(18, 40), rng.randint(41, 59), rng.randint(60, 75)], [5, 25, 35, 35]
            )[0]
            birth = date(now.year - age, rng.randint(1, 12), rng.randint(1, 28))
            gender = "female" if rng.random() < 0.62 else "male"
            id_number = id_number_make(path[:6], birth, sequence % 997 + 1, gender)
            minor = age < 18
            surname = rng.choice(SURNAMES)
            inputs.append(
                services.VolunteerInput(
                    name=_name(rng, surname),
                    id_number=id_number,
                    phone=f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}" if rng.random() < 0.9 else "",
                    registered_path=path,
                    skills=rng.sample(Skill.values, rng.choice([0, 1, 1, 2, 3])),
                    availability=rng.choice(AVAILABILITY),
                    guardian_name=_name(rng, surname) if minor else "",
                    guardian_phone=f"139{rng.randint(10_000_000, 99_999_999)}" if minor else "",
                    guardian_consent=minor,
                )
            )
            when.append(now - timedelta(days=rng.randint(30, 6 * 365)))
    return services.volunteers_register_bulk(actor=system, inputs=inputs, registered_at=when)


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=hour))


def _activities(system: Actor, rng: random.Random, paths: list[str], where) -> list[Activity]:
    names = unit_names(paths)
    today = timezone.localdate()
    made = []
    for path in paths:
        count = 6 if len(made) < 80 else 2
        for n in range(count):
            title, place, skills, hours, needed = rng.choice(ACTIVITY_KINDS)
            upcoming = n >= count - 2
            day = (
                today + timedelta(days=rng.randint(2, 20)) if upcoming else today - timedelta(days=rng.randint(7, 330))
            )
            start = _at(day, rng.choice([8, 9, 14]))
            lat, lng = where.get(path, (None, None))
            two = hours >= 3 and rng.random() < 0.5
            shifts = (
                [
                    services.ShiftInput(start, start + timedelta(hours=hours / 2), needed // 2 + 1),
                    services.ShiftInput(
                        start + timedelta(hours=hours / 2), start + timedelta(hours=hours), needed // 2 + 1
                    ),
                ]
                if two
                else []
            )
            activity = services.activity_create(
                actor=system,
                data=services.ActivityInput(
                    title=title,
                    description=f"{names.get(path, '')}组织的志愿服务活动，欢迎邻居们报名参加。",
                    organiser_path=path,
                    place=f"{names.get(path, '')}{place}",
                    lat=lat,
                    lng=lng,
                    starts_at=start,
                    ends_at=start + timedelta(hours=hours),
                    signup_mode="confirm" if rng.random() < 0.25 else "open",
                    required_skills=skills,
                    shifts=shifts,
                    needed=needed,
                ),
            )
            if not upcoming:
                services.activity_set_status(actor=system, activity=activity, status="finished")
            made.append(activity)
    return made


def _history(system: Actor, rng: random.Random, street: str) -> int:
    """Hours transferred from earlier rosters (more than a year ago), so stars vary."""
    rows = []
    start_day = timezone.localdate() - timedelta(days=400)
    for pk, path in Volunteer.objects.filter(registered_path__startswith=street).values_list("pk", "registered_path"):
        low, high = _history_band(rng.random())
        target = rng.randint(low, high) * 60 if high else 0
        for n in range((target + HISTORY_ROW_MINUTES - 1) // HISTORY_ROW_MINUTES):
            day = start_day - timedelta(days=n * 2 + rng.randint(0, 1))
            rows.append(
                services.ServedRow(pk, _at(day, 9), HISTORY_ROW_MINUTES, path, "往年志愿服务时长（花名册转入）")
            )
    return services.hours_record_bulk(actor=system, rows=rows, announce=False)


def _history_band(draw: float) -> tuple[int, int]:
    for weight, low, high in HISTORY:
        draw -= weight
        if draw < 0:
            return low, high
    return 1500, 1700  # the few five-star volunteers


def _attendance(system: Actor, rng: random.Random, activities: list[Activity]) -> int:
    """Check-in hours of the past activities' volunteers (from the organising community)."""
    now = timezone.now()
    rows = []
    pool: dict[str, list[int]] = {}
    for shift in Shift.objects.filter(activity__in=[a for a in activities if a.ends_at < now]).select_related(
        "activity"
    ):
        path = shift.activity.organiser_path
        if path not in pool:
            pool[path] = list(Volunteer.objects.filter(registered_path=path).values_list("pk", flat=True))
        people = rng.sample(pool[path], min(len(pool[path]), rng.randint(shift.needed // 2 + 1, shift.needed)))
        length = int((shift.ends_at - shift.starts_at).total_seconds() // 60)
        for pk in people:
            late = rng.choice([0, 0, 5, 10, 15])
            rows.append(
                services.ServedRow(
                    pk,
                    shift.starts_at + timedelta(minutes=late),
                    length - late - rng.choice([0, 0, 10]),
                    path,
                    shift.activity.title,
                    shift,
                )
            )
    return services.hours_record_bulk(actor=system, rows=rows, announce=False)


def _demo_resident(system: Actor, rng: random.Random, showcase_path: str, where, log) -> None:
    user = user_by_username("demo_resident")
    worker_user = user_by_username("demo_community_worker")
    if user is None or worker_user is None:
        log("volunteers: the demo accounts are missing; demo_resident not linked")
        return
    resident = actor_for_user(user)
    worker = actor_for_user(worker_user)
    if selectors.own_volunteer(resident) is None:
        from linli.residents.selectors import applicant_for_user

        card = applicant_for_user(user.pk)
        name = card.name if card else (user.display_name or "张秀兰")
        for sequence in range(500, 600):
            try:
                services.volunteer_register(
                    actor=resident,
                    data=services.VolunteerInput(
                        name=name,
                        id_number=id_number_make(showcase_path[:6], date(1962, 3, 8), sequence, "female"),
                        phone="13912345678",
                        registered_path=showcase_path,
                        skills=["elder_care", "culture"],
                        availability="周末上午",
                    ),
                )
                break
            except DomainError:
                continue
    volunteer = selectors.own_volunteer(resident)
    if volunteer is None or volunteer.hours.exists():
        return
    # past attendance at two of the showcase community's finished activities
    past = Shift.objects.filter(activity__organiser_path=showcase_path, activity__status="finished").order_by(
        "-starts_at"
    )[:2]
    services.hours_record_bulk(
        actor=system,
        rows=[
            services.ServedRow(
                volunteer.pk,
                s.starts_at,
                int((s.ends_at - s.starts_at).total_seconds() // 60),
                showcase_path,
                s.activity.title,
                s,
            )
            for s in past
        ],
    )
    # neighbourly help reported and approved through the services (the signal fires)
    yesterday = timezone.localdate() - timedelta(days=1)
    try:
        row = services.hours_report(
            actor=resident,
            data=services.HoursInput(
                description="帮楼上独居的王奶奶取药、买菜",
                beneficiary="王奶奶",
                started_at=_at(yesterday, 15),
                minutes=90,
            ),
        )
        services.hours_decide(actor=worker, row=row, approve=True)
        services.hours_report(
            actor=resident,
            data=services.HoursInput(
                description="陪邻居李大爷去医院复查", beneficiary="李大爷", started_at=_at(yesterday, 8), minutes=120
            ),
        )
    except DomainError as error:
        log(f"volunteers: demo_resident's reported help not saved: {error}")
    upcoming = (
        Shift.objects.filter(
            activity__organiser_path=showcase_path,
            activity__status="published",
            activity__signup_mode="open",
            starts_at__gt=timezone.now(),
        )
        .order_by("starts_at")
        .first()
    )
    if upcoming is not None:
        try:
            services.signup_create(actor=resident, shift_id=upcoming.public_id)
        except DomainError as error:
            log(f"volunteers: demo_resident's sign-up not saved: {error}")
    log(f"volunteers: demo_resident registered in {showcase_path} with hours and an upcoming sign-up")
