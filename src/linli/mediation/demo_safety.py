"""Demo data of safe community, stage safety, made through this app's services: police beats for
most communities (the demo police officer serves the showcase community and its neighbours; one
officer per district serves the rest; every ninth community has none, so its zero-cases mark
shows no records), a year of emergency drills (most communities drill early in the year, a few
late or not at all), sparse safety incidents and police cases, and the four-zero statuses of the
last twelve months. Idempotent: each part is made once; statuses only for months not stored."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from linli.accounts.domain import MEDIATION_MANAGE, SAFETY_POLICE, SAFETY_RECORD, Role
from linli.accounts.selectors import actor_for_user, user_by_username
from linli.accounts.services import posting_add, user_create
from linli.areas.domain import DepartmentKind
from linli.areas.selectors import department_for, unit_names
from linli.core.actor import Actor
from linli.mediation.domain.four_zero import month_end, months_back
from linli.mediation.domain.safety import STREET_LEN
from linli.mediation.selectors import safety as sel
from linli.mediation.services import safety as svc

SEED = 20261207
WITHOUT_EVERY = 9  # every ninth community has no police officer
LATE_DRILL, NO_DRILL = 0.06, 0.02  # shares of communities drilling late in the year, or not at all
INCIDENT_RATE, CASE_RATE = 0.012, 0.01  # per community and month
SCENARIOS = ["消防疏散演练", "地震避险演练", "防汛转移演练", "燃气泄漏处置演练", "高层火灾逃生演练", "防踩踏疏散演练"]
INCIDENTS = [
    ("fire", "楼道堆放杂物起火，已扑灭"),
    ("gas", "居民家中燃气泄漏，已关阀通风"),
    ("traffic", "小区内车辆剐蹭行人"),
    ("building", "外墙瓷砖脱落"),
    ("electricity", "电动车违规充电引发短路"),
    ("other", "健身器材损坏致人擦伤"),
]
CASES = [
    ("criminal", "入室盗窃"),
    ("criminal", "电信诈骗"),
    ("public_order", "邻里纠纷引发打架"),
    ("public_order", "噪音扰民"),
]


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
    actor = Actor.system(
        "demo-safety", permissions=frozenset({MEDIATION_MANAGE, SAFETY_RECORD, SAFETY_POLICE}), root_path=city_path
    )
    rng = random.Random(SEED)
    today = timezone.localdate()
    communities = [path for path, _ in sel.communities_of(actor)]
    if not communities:
        return
    made = sel.records_exist(under=city_path)
    if not made["beats"]:
        log(_beats(actor, communities, showcase_path, today))
    if not made["drills"]:
        log(_drills(actor, communities, showcase_path, today, rng))
    if not made["incidents"]:
        log(_incidents(actor, communities, showcase_path, today, rng))
    if not made["cases"]:
        log(_cases(actor, communities, showcase_path, today, rng))
    log(_statuses(city_path, today))


def _officer_of(district: str, actor: Actor) -> int | None:
    """The district's demo police officer (made once, posted at its police department)."""
    department = department_for(unit_path=district, kind=DepartmentKind.POLICE)
    if department is None:
        return None
    username = f"demo_police_{district}"
    user = user_by_username(username)
    if user is None:
        name = unit_names([district + "000000"]).get(district + "000000", district)
        user = user_create(username=username, password=f"demo-{random.random()}", display_name=f"{name}社区民警")
        posting_add(actor=actor, user=user, role=Role.POLICE_OFFICER, place=department)
    return user.pk


def _beats(actor: Actor, communities: list[str], showcase: str, today: dt.date) -> str:
    demo_officer = user_by_username("demo_police_officer")
    neighbours = [p for p in communities if p[:STREET_LEN] == showcase[:STREET_LEN]][:4]
    officers: dict[str, int | None] = {}
    links = []
    for index, path in enumerate(communities):
        if demo_officer is not None and path in neighbours:
            links.append((path, demo_officer.pk))
            continue
        if index % WITHOUT_EVERY == WITHOUT_EVERY // 2:
            continue
        district = path[:6]
        if district not in officers:
            officers[district] = _officer_of(district, actor)
        if officers[district] is not None:
            links.append((path, officers[district]))
    made = svc.beats_set_many(actor=actor, links=links, since=today - dt.timedelta(days=365))
    return f"社区民警 police beats: {made} ({len(communities) - made} communities without an officer)"


def _day_in(month: dt.date, today: dt.date, rng: random.Random, first: int = 1, last: int = 28) -> dt.date:
    """A random day of the month, never after today nor more than a year before it (the
    services take records at most a year late)."""
    day = month.replace(day=rng.randint(first, last))
    return max(min(day, today), today - dt.timedelta(days=365))


def _drills(actor: Actor, communities: list[str], showcase: str, today: dt.date, rng: random.Random) -> str:
    window = months_back(today.replace(day=1), 12)
    # each calendar year of the window: its first month inside the window (readiness counts the year)
    firsts = {m.year: m for m in reversed(window)}
    places = sel.drill_places(showcase)
    drills = []
    for path in communities:
        for _year, first in sorted(firsts.items()):
            roll = rng.random()
            if roll < NO_DRILL:
                continue
            month = (
                first
                if roll > NO_DRILL + LATE_DRILL
                else min(first.replace(month=min(first.month + 4, 12)), window[-1])
            )
            held = _day_in(month, today, rng)
            place = places[0][0] if path == showcase and places else ""
            note = "" if place else "社区广场"
            drills.append(svc.DrillInput(path, held, rng.choice(SCENARIOS), rng.randint(20, 120), place, note))
    made = svc.drills_record_many(actor=actor, drills=drills)
    return f"应急演练 emergency drills: {made}"


def _months_past(today: dt.date) -> list[dt.date]:
    return months_back(today.replace(day=1), 12)


def _incidents(actor: Actor, communities: list[str], showcase: str, today: dt.date, rng: random.Random) -> str:
    made = 0
    for month in _months_past(today):
        for path in communities:
            shown = path == showcase and month == _months_past(today)[-4]  # the showcase misses one month
            if not shown and rng.random() >= INCIDENT_RATE:
                continue
            kind, description = rng.choice(INCIDENTS)
            severity = "injury" if rng.random() < 0.2 else "minor"
            day = _day_in(month, today, rng, last=min(28, month_end(month).day))
            svc.incident_record(
                actor=actor, data=svc.IncidentInput(path, kind, severity, day, description), recompute=False
            )
            made += 1
    return f"安全事故 safety incidents: {made}"


def _cases(actor: Actor, communities: list[str], showcase: str, today: dt.date, rng: random.Random) -> str:
    served = sel.communities_with_officer(communities)
    officer = user_by_username("demo_police_officer")
    showcase_actor = actor_for_user(officer) if officer is not None else actor
    made = 0
    for month in _months_past(today):
        for path in communities:
            shown = path == showcase and month == _months_past(today)[-2]
            if path not in served or (not shown and rng.random() >= CASE_RATE):
                continue
            kind, note = CASES[0] if shown else rng.choice(CASES)
            day = _day_in(month, today, rng)
            who = showcase_actor if path == showcase else actor
            svc.police_case_record(actor=who, data=svc.PoliceCaseInput(path, kind, day, note), recompute=False)
            made += 1
    return f"民警登记案件 police cases: {made}"


def _statuses(city_path: str, today: dt.date) -> str:
    months = _months_past(today)
    missing = [m for m in months if m not in sel.months_stored(under=city_path, months=months)]
    for month in missing:  # the whole city at once: a dozen grouped queries per month
        svc.four_zero_compute(under=city_path, month=month)
    return f"四零社区 four-zero statuses: {len(missing)} months computed"
