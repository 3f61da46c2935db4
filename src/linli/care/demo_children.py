"""Care services demo: children. The pool's children on the lists get guardians, the showcase
community and a sample of others a children's director; visits over six months (most on time,
some overdue); children's homes in most communities and protection stations in about 70 % of the
streets of the showcase district (added to the registry through its services where missing),
opening and activity logs in the showcase street; one open harm report. All through the
services; idempotent (a second run adds nothing)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from django.utils import timezone

from linli.accounts.domain import CARE_CHILDREN, CARE_MANAGE, FACILITY_EDIT, FACILITY_VIEW, RESIDENTS_EDIT, Role
from linli.accounts.selectors import actor_for_user, posted_user_ids, user_by_id, user_by_username
from linli.areas.selectors import units_under
from linli.care.domain.children import CHILD_KINDS, CHILDREN_HOME, PROTECTION_STATION, GuardianRelation
from linli.care.selectors.children import (
    active_directors,
    children_facilities,
    children_rows,
    facility_logs,
    my_receipts,
)
from linli.care.services.children import (
    ActivityInput,
    GuardianInput,
    VisitInput,
    child_guardian_set,
    child_visit_record,
    director_appoint,
    facility_activity_record,
    facility_opening_record,
    harm_report_file,
)
from linli.core.actor import Actor
from linli.facilities.services import FacilityInput, facility_save
from linli.residents.selectors import care_people_in_groups
from linli.residents.services import demo_children_groups_ensure

SEED = 20261207
SAMPLE_COMMUNITIES = 12  # communities outside the showcase that get a director and visits
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["秀兰", "桂英", "建国", "国华", "玉梅", "志强", "淑珍", "海燕", "春梅", "立新"]
ACTIVITIES = [
    ("暑期作业辅导", "reading"),
    ("防溺水安全课", "safety"),
    ("亲子手工坊", "arts"),
    ("心理健康小讲堂", "health"),
    ("家庭教育讲座", "family"),
]


def _actor(username: str, fallback: Actor) -> Actor:
    user = user_by_username(username)
    return actor_for_user(user) if user is not None else fallback


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
    rng = random.Random(SEED)
    today = timezone.localdate()
    system = dataclasses.replace(
        Actor.system(
            "demo-children",
            permissions=frozenset({CARE_CHILDREN, CARE_MANAGE, FACILITY_VIEW, FACILITY_EDIT}),
            root_path=city_path,
        ),
        display_name="区民政局",
    )
    worker = _actor("demo_community_worker", system)
    # a small demo pool draws few children in these groups: the showcase community shows each one
    pool_editor = Actor.system("demo-children", permissions=frozenset({RESIDENTS_EDIT}), root_path=city_path)
    if added := demo_children_groups_ensure(actor=pool_editor, under=showcase_path):
        log(f"示范社区困境儿童等名单 children added to the showcase lists: {added}")
    children = care_people_in_groups(actor=system, kinds=CHILD_KINDS)
    communities = sorted({p.path[:12] for p in children} - {showcase_path})
    chosen = {showcase_path, *rng.sample(communities, min(SAMPLE_COMMUNITIES, len(communities)))}
    log(f"儿童之家 children's homes: {_facilities(system, showcase_path[:6], rng)}")
    log(f"儿童主任 children's directors: {_directors(system, chosen, today)}")
    guardians = visits = 0
    rows = children_rows(actor=system, today=today)
    for row in rows:
        if row.person.path[:12] not in chosen:
            continue
        if row.care is None:
            child_guardian_set(actor=system, child_ref=row.public_id, data=_guardian(rng))
            guardians += 1
        if row.last_visit is None:
            visits += _visits(worker if row.person.path.startswith(showcase_path) else system, row, rng, today)
    log(f"儿童监护人 children's guardians: {guardians}")
    log(f"儿童探访 children's visits: {visits}")
    log(f"儿童之家开放与活动 children's home logs: {_logs(worker, showcase_path[:9], rng, today)}")
    log(f"疑似侵害报告 harm reports: {_harm_report(worker, showcase_path, rows)}")


def _guardian(rng: random.Random) -> GuardianInput:
    relation = rng.choice([GuardianRelation.GRANDPARENT] * 3 + [GuardianRelation.MOTHER, GuardianRelation.RELATIVE])
    phone = f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"
    return GuardianInput(f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}", relation, phone)


def _visits(actor: Actor, row, rng: random.Random, today: dt.date) -> int:
    """Visits over six months at the child's interval; about one child in six is left overdue."""
    overdue = rng.random() < 0.17
    day = today - dt.timedelta(days=180)
    last_allowed = today - dt.timedelta(days=row.interval + 5) if overdue else today
    made = 0
    while True:
        day += dt.timedelta(days=max(3, row.interval - rng.randint(0, 5)))
        if day > last_allowed:
            return made
        child_visit_record(
            actor=actor,
            child_ref=row.public_id,
            data=VisitInput(
                visited_on=day,
                saw_child=rng.random() < 0.92,
                guardian_present=rng.random() < 0.8,
                school=rng.choice(["good"] * 8 + ["concern"]),
                health=rng.choice(["good"] * 8 + ["concern"]),
                safety=rng.choice(["good"] * 9 + ["concern"]),
                needs=rng.choice(["", "", "课业辅导", "心理疏导", "助学金申请"]),
            ),
        )
        made += 1


def _directors(system: Actor, communities: set[str], today: dt.date) -> int:
    """A community worker posted in each chosen community becomes its director (where one is)."""
    held = active_directors(communities)
    made = 0
    for path in sorted(communities - set(held)):
        users = posted_user_ids(roles={Role.COMMUNITY_WORKER}, scope_path=path)
        user = user_by_id(users[0]) if users else None
        if user is not None:
            director_appoint(actor=system, path=path, username=user.username, starts_on=today - dt.timedelta(days=200))
            made += 1
    return made


def _facilities(system: Actor, district: str, rng: random.Random) -> int:
    """Children's homes in most communities and stations in about 70 % of the district's streets."""
    held = {(f.kind.code, f.path) for f in children_facilities(actor=system, under=district)}
    made = 0
    for path, name, _ in units_under(under=district, kinds=("community", "village")):
        if (CHILDREN_HOME, path) not in held and _draw(rng, path, 0.85):
            made += _facility(system, CHILDREN_HOME, path, f"{name}儿童之家", rng)
    for path, name, _ in units_under(under=district, kinds=("street",)):
        if (PROTECTION_STATION, path) not in held and _draw(rng, path, 0.7):
            made += _facility(system, PROTECTION_STATION, path, f"{name}未成年人保护工作站", rng)
    return made


def _draw(rng: random.Random, path: str, share: float) -> bool:
    """The same answer for a unit on every run (so a second run adds nothing)."""
    return random.Random(f"{SEED}{path}").random() < share


def _facility(system: Actor, kind: str, path: str, name: str, rng: random.Random) -> int:
    facility_save(
        actor=system,
        data=FacilityInput(
            kind=kind,
            name=name,
            unit=path,
            lat=41.75 + rng.random() * 0.1,
            lng=123.38 + rng.random() * 0.12,
            floor_area_m2=str(rng.randint(40, 160)),
            opening_hours="09:00-11:30,15:30-18:00",
            operator="社区居委会" if kind == CHILDREN_HOME else "街道办事处",
        ),
    )
    return 1


def _logs(worker: Actor, street: str, rng: random.Random, today: dt.date) -> int:
    made = 0
    for facility in children_facilities(actor=worker, under=street):
        openings, activities = facility_logs(facility=facility)
        if openings or activities:
            continue
        for days_ago in range(1, 60, 3):
            facility_opening_record(
                actor=worker,
                facility_ref=facility.public_id,
                opened_on=today - dt.timedelta(days=days_ago),
                hours=rng.choice(["2.5", "3", "4", "6"]),
                staff=f"{rng.choice(SURNAMES)}老师、志愿者{rng.randint(1, 3)}名",
            )
            made += 1
        for n, (title, kind) in enumerate(ACTIVITIES):
            data = ActivityInput(today - dt.timedelta(days=8 + n * 11), title, kind, rng.randint(8, 30))
            facility_activity_record(actor=worker, facility_ref=facility.public_id, data=data)
            made += 1
    return made


def _harm_report(worker: Actor, showcase_path: str, rows) -> int:
    if worker.is_system or my_receipts(actor=worker):
        return 0
    child = next((r for r in rows if r.person.path.startswith(showcase_path)), None)
    if child is None:
        return 0
    harm_report_file(
        actor=worker,
        child_ref=child.public_id,
        seen="入户探访时发现孩子手臂和后背有多处淤青，孩子说是晚上被打的，不愿多说，监护人当时不在家。",
    )
    return 1
