"""Social assistance demo: relief. Idempotent (a second run adds nothing), through the services.

The synthetic pool gets a plausible employment status (it has none), then the city is searched
for zero-employment households; in the showcase community a few are followed, one is resolved by
a public-welfare post and one by a job found. Three posts and some job and training needs. In the
showcase street temporary assistance at each step of both paths: recorded, reviewed by the
street, granted, refused with reasons; paid first by the street with its paperwork due, completed
and confirmed; and one person not registered here helped on the fast path."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.utils import timezone

from linli.accounts.domain import WELFARE_DECIDE, WELFARE_EMPLOYMENT, WELFARE_INTAKE, WELFARE_REVIEW
from linli.accounts.selectors import actor_for_user, user_by_username
from linli.core.actor import Actor
from linli.core.errors import DomainError
from linli.residents.selectors import applicant_sample
from linli.residents.services import demo_employment_generate
from linli.welfare.selectors.relief import demo_has_relief, household_people, zero_case_list
from linli.welfare.services.relief import (
    PostInput,
    TempInput,
    job_need_record,
    placement_start,
    post_create,
    temporary_act,
    temporary_fast_pay,
    temporary_record,
    zero_close,
    zero_find,
    zero_follow,
)

ALL = frozenset({WELFARE_INTAKE, WELFARE_REVIEW, WELFARE_DECIDE, WELFARE_EMPLOYMENT})

# title, employer, kind, places, monthly pay
POSTS = [
    ("楼院保洁员", "社区居民委员会", "cleaning", 3, "2100"),
    ("治安巡逻员", "街道综合执法队", "security", 2, "2300"),
    ("居家养老助老员", "街道养老服务中心", "elderly_help", 2, "2200"),
]
# event, days ago, asked, facts
EVENTS = [
    ("illness", 6, "3000", "户主突发脑出血住院，医保报销后自付部分较高，家庭无力承担"),
    ("accident", 9, "2000", "骑车上班途中摔伤骨折，三个月不能工作"),
    ("fire", 3, "2500", "厨房电线老化起火，家具家电烧毁"),
    ("illness", 20, "1500", "孩子确诊白血病，需要长期治疗"),
    ("disaster", 2, "800", "暴雨导致平房漏水，被褥衣物损毁"),
    ("accident", 15, "1000", "丈夫工伤，单位赔偿未到位"),
    ("other", 12, "1200", "家庭主要劳动力突然失业，两个孩子上学"),
]


def _actor(username: str, fallback: Actor) -> Actor:
    user = user_by_username(username)
    return actor_for_user(user) if user is not None else fallback


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
    street = showcase_path[:9]
    if demo_has_relief(street):
        return
    today = timezone.localdate()
    city = dataclasses.replace(Actor.system("demo-relief", permissions=ALL, root_path=city_path), display_name="民政局")
    office = dataclasses.replace(
        Actor.system("demo-relief-street", permissions=ALL, root_path=street), display_name="街道社会事务办"
    )
    worker = _actor("demo_community_worker", office)
    officer = _actor("demo_street_officer", office)
    county = _actor("demo_civil_affairs_officer", city)
    filled = demo_employment_generate(actor=city, under=city_path, jobless_under=showcase_path, jobless_households=6)
    found = zero_find(actor=city)
    followed = _zero(worker if worker.sees_path(showcase_path) else office, showcase_path, today)
    people = [
        p
        for p in applicant_sample(n=40, seed=20261207, focus_path=showcase_path, focus_share=1.0)
        if p.home_path.startswith(showcase_path)
    ]
    needs = _job_needs(worker if worker.sees_path(showcase_path) else office, people[:5])
    records = _temporary(worker, officer, county, office, showcase_path, people[5:], today)
    log(
        f"临时救助与就业 relief: employment filled for {filled} residents, {len(found)} zero-employment households "
        f"found ({followed} followed in the showcase), {needs} job needs, {records} temporary assistance records"
    )


def _zero(actor: Actor, showcase_path: str, today: dt.date) -> int:
    posts = [
        post_create(
            actor=actor,
            data=PostInput(
                title=title,
                employer=employer,
                kind=kind,
                capacity=places,
                monthly_pay=pay,
                starts_on=today - dt.timedelta(days=60),
                ends_on=today + dt.timedelta(days=300),
                community=showcase_path,
            ),
        )
        for title, employer, kind, places, pay in POSTS
    ]
    cases = list(zero_case_list(actor=actor).filter(path__startswith=showcase_path)[:6])
    for i, case in enumerate(cases):
        zero_follow(actor=actor, case=case, kind="visit", on=today, note="入户了解就业意愿")
        if i == 1:
            zero_follow(actor=actor, case=case, kind="job_offer", on=today, note="推荐物业保安岗位")
    if cases:
        members = household_people(actor=actor, household_ref=cases[0].household_ref)
        jobless = [m for m in members if m.employment == "unemployed"] or members
        if jobless:
            placement_start(
                actor=actor,
                post=posts[0],
                person=jobless[0].public_id,
                from_on=today,
                to_on=posts[0].ends_on,
                case=cases[0],
            )
    if len(cases) > 2:
        zero_close(actor=actor, case=cases[2], how="job", reason="家庭成员在超市找到收银工作（演示数据）")
    return len(cases)


def _job_needs(actor: Actor, people) -> int:
    wishes = [
        ("job", "保洁或保安，白班，离家近"),
        ("training", "家政服务员培训"),
        ("job", "会开车，想找送货司机工作"),
        ("training", "电商直播培训"),
        ("job", "照顾老人，有护理经验"),
    ]
    made = 0
    for person, (kind, wish) in zip(people, wishes, strict=False):
        try:
            job_need_record(actor=actor, person=person.public_id, kind=kind, wish=wish)
            made += 1
        except DomainError:
            continue
    return made


def _temporary(worker, officer, county, office, showcase_path, people, today) -> int:
    """One record per step of each path, for the people of the showcase community."""
    made = 0

    def data(i: int, person: str) -> TempInput:
        event, days, asked, facts = EVENTS[i % len(EVENTS)]
        return TempInput(
            event=event, event_on=today - dt.timedelta(days=days), amount_asked=asked, facts=facts, person=person
        )

    intake = worker if worker.sees_path(showcase_path) else office
    street = officer if officer.sees_path(showcase_path) else office
    plan = [
        ("recorded", None),
        ("reviewed", None),
        ("granted", "1800"),
        ("refused", None),
        ("paid_first", "800"),
        ("completed", "600"),
        ("confirmed", "1000"),
    ]
    for i, (person, (target, amount)) in enumerate(zip(people, plan, strict=False)):
        try:
            if target in ("paid_first", "completed", "confirmed"):
                item = temporary_fast_pay(actor=street, data=data(i, person.public_id), amount=amount, note="现场发放")
                if target in ("completed", "confirmed"):
                    item = temporary_act(
                        actor=intake, assistance=item, action="complete", note="申请书、病历、收入证明"
                    )
                if target == "confirmed":
                    item = temporary_act(actor=county, assistance=item, action="confirm")
            else:
                item = temporary_record(actor=intake, data=data(i, person.public_id))
                if target != "recorded":
                    item = temporary_act(actor=street, assistance=item, action="pass", note="情况属实")
                if target == "granted":
                    temporary_act(actor=county, assistance=item, action="grant", amount=amount)
                elif target == "refused":
                    temporary_act(
                        actor=county, assistance=item, action="refuse", note="家庭存款超过当地规定，不符合临时救助条件"
                    )
            made += 1
        except DomainError:
            continue
    # someone stranded, not registered here, helped on the fast path
    try:
        temporary_fast_pay(
            actor=street,
            data=TempInput(
                event="stranded",
                event_on=today,
                amount_asked="300",
                facts="外地务工人员钱包被盗，无钱返乡",
                outsider_name="外地务工人员李某",
                community=showcase_path,
            ),
            amount="300",
            note="购买返乡车票并发放餐费",
        )
        made += 1
    except DomainError:
        pass
    return made
