"""Care services demo: orders. Idempotent (a second run adds nothing).

Providers: four in the showcase district (the showcase one serving the showcase community, with
`demo_care_provider` as its dispatcher and `demo_carer` as its carer), and one centre per other
district serving most of its urban communities. Three months of home care for the showcase
street's elders, bulk-made (most verified and rated, some late, a few missed, some bad ratings
answered). The demo resident's "mother" in the showcase community, linked to her, with orders
made through the services in several states: waiting for approval, waiting for the provider,
assigned to the demo carer for tomorrow, and done yesterday waiting for her rating."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from linli.accounts.domain import CARE_MANAGE, CARE_ORDER, CARE_PROVIDE, CARE_VISIT
from linli.accounts.selectors import actor_for_user, user_by_username
from linli.areas.models import OrgUnit
from linli.care.domain.orders import SLOT_HOURS, SLOT_STARTS, CheckInMethod, MemberKind, OrderState, VisitState
from linli.care.models import Order, OrderStep, Provider, ProviderArea, RatingAnswer, Visit
from linli.care.selectors.entitlements import entitlement_check, items_in_force
from linli.care.services.orders import (
    CheckIn,
    OrderInput,
    ProviderInput,
    card_issue,
    family_link_at_window,
    member_link,
    order_accept,
    order_approve,
    order_place,
    provider_register,
    visit_check_in,
    visit_check_out,
)
from linli.core.actor import Actor
from linli.residents.selectors import care_elders_sample, care_person_for_user

SHOWCASE_PROVIDERS = [
    ("沈阳颐康居家养老服务有限公司", "company"),
    ("夕阳红居家养老服务中心", "station"),
    ("邻里守望社会工作服务中心", "social_org"),
    ("银龄互助养老服务队", "mutual_aid"),
]
ITEMS = ("ZJ01", "ZC01", "ZY01", "JK01", "TF01", "JS01", "ZJ02")
RECORDS = {
    "ZJ01": "打扫卧室、厨房和卫生间，整理衣柜",
    "ZC01": "送午餐一份，查看老人进食情况",
    "ZY01": "协助洗浴，更换衣物，检查皮肤无破损",
    "JK01": "测血压 135/85，血糖 6.8，提醒按时服药",
    "TF01": "上门探访，老人精神状态良好",
    "JS01": "陪老人聊天一小时，读报",
    "ZJ02": "洗涤床单被罩两套",
}
GOOD = ["服务很细心", "准时到了，很满意", "小王干活利索", "", "", "态度好"]
BAD = ["来晚了一个小时，也没提前打电话", "打扫得不干净，厨房没擦"]
ANSWERS = ["已约谈服务商，要求提前电话联系，下次服务社区回访", "已要求服务商返工并扣减当月考核分"]


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
    street = showcase_path[:9]
    if Provider.objects.filter(name=SHOWCASE_PROVIDERS[0][0], path=street).exists():
        return
    today = timezone.localdate()
    items = {i.code: i for i in items_in_force(today) if i.code in ITEMS}
    if not items:
        log("养老服务清单未发布，跳过订单 no service list, orders skipped: 0")
        return
    city = dataclasses.replace(
        Actor.system("demo-care-orders", permissions=frozenset({CARE_MANAGE}), root_path=city_path),
        display_name="民政局",
    )
    showcase, others = _providers(city, city_path, showcase_path, today)
    log(f"养老服务商 care providers: {1 + len(showcase) + len(others) - 1}")
    log(f"政府购买服务社区 served communities: {ProviderArea.objects.count()}")
    _accounts(city, showcase[0])
    made = _history(showcase, showcase_path, items, today)
    log(f"养老服务订单（三个月） care orders over three months: {made}")
    log(f"上门服务记录 care visits: {Visit.objects.count()}")
    mother = _mother(city, showcase_path, showcase[0], today)
    log(f"演示居民关联的老人订单 the demo resident's mother's orders: {mother}")


def _providers(city: Actor, city_path: str, showcase_path: str, today: dt.date):
    """Providers of the showcase district, its communities split between them (the showcase
    community to the first), and one centre per other district serving about 85 % of its urban
    communities."""
    district = showcase_path[:6]
    street = showcase_path[:9]
    since = today.replace(day=1) - dt.timedelta(days=120)
    showcase = [
        provider_register(
            actor=city,
            data=ProviderInput(
                name=name,
                kind=kind,
                path=street if i == 0 else district,
                checkin_radius_m=300,
                contact_name="王经理",
                contact_phone="024-2388" + f"{1200 + i}",
                contract_from=dt.date(today.year, 1, 1),
                contract_to=dt.date(today.year, 12, 31),
            ),
        )
        for i, (name, kind) in enumerate(SHOWCASE_PROVIDERS)
    ]
    communities = list(
        OrgUnit.objects.filter(kind="community", path__startswith=district, is_active=True)
        .exclude(path=showcase_path)
        .order_by("path")
        .values_list("path", flat=True)
    )
    areas = [ProviderArea(provider=showcase[0], path=showcase_path, since=since)]
    areas += [ProviderArea(provider=showcase[i % 4], path=p, since=since) for i, p in enumerate(communities)]
    rng = random.Random(20261207)
    others = []
    for unit in OrgUnit.objects.filter(kind="district", path__startswith=city_path[:4]).exclude(
        path__startswith=district
    ):
        provider = Provider.objects.create(
            name=f"{unit.name}居家养老服务指导中心", kind="station", path=unit.path, checkin_radius_m=300
        )
        others.append(provider)
        urban = OrgUnit.objects.filter(
            kind="community", urban_rural="urban", path__startswith=unit.path[:6], is_active=True
        ).values_list("path", flat=True)
        areas += [ProviderArea(provider=provider, path=p, since=since) for p in urban if rng.random() < 0.85]
    ProviderArea.objects.bulk_create(areas)
    return showcase, others


def _accounts(city: Actor, provider: Provider) -> None:
    for username, kind in (("demo_care_provider", MemberKind.DISPATCHER), ("demo_carer", MemberKind.CARER)):
        user = user_by_username(username)
        if user is not None:
            member_link(actor=city, provider=provider, user=user, kind=kind)


def _slot(day: dt.date, hour: int) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())
    return start, start + dt.timedelta(hours=SLOT_HOURS)


@transaction.atomic
def _history(providers: list[Provider], showcase_path: str, items: dict, today: dt.date) -> int:
    """Three months of the showcase street's elders' orders, bulk-made (a month of a street is a
    few thousand rows). Amounts from the entitlement check of each elder and item."""
    rng = random.Random(20261208)
    street = showcase_path[:9]
    elders = care_elders_sample(under=street, born_on_or_before=today.replace(year=today.year - 65), limit=240)
    carers = {p.pk: p.members.filter(kind=MemberKind.CARER, active=True).first() for p in providers}
    served = dict(ProviderArea.objects.filter(provider__in=providers).values_list("path", "provider_id"))
    first = (today.replace(day=1) - dt.timedelta(days=62)).replace(day=1)
    now = timezone.now()
    orders, plans, seq = [], [], 90000
    for person in elders:
        provider_id = served.get(person.path[:12])
        if provider_id is None:
            continue
        codes = rng.sample(sorted(items), k=2)
        for code in codes:
            split = entitlement_check(person=person, item=items[code], quantity=1, on=today)
            if not split.allowed:
                continue
            day = first + dt.timedelta(days=rng.randrange(3))
            while day < today - dt.timedelta(days=1):
                start, end = _slot(day, rng.choice(SLOT_STARTS))
                seq += 1
                orders.append(
                    Order(
                        number=f"YL{day:%Y%m%d}{seq:05d}"[:24],
                        state=OrderState.COMPLETED,
                        person_ref=person.public_id,
                        household_ref=person.household_ref or None,
                        person_name=person.name,
                        path=person.path,
                        address=person.address,
                        home_lat=person.lat,
                        home_lng=person.lng,
                        item=items[code],
                        provider_id=provider_id,
                        carer=carers.get(provider_id),
                        quantity=1,
                        month=day.replace(day=1),
                        slot_start=start,
                        slot_end=end,
                        subsidy_share=split.subsidy_share,
                        unit_price=items[code].unit_price,
                        government_pays=split.government_pays,
                        resident_pays=split.resident_pays,
                        ordered_by_name=person.name,
                        created_at=start - dt.timedelta(days=2),
                        updated_at=end,
                    )
                )
                plans.append(rng.random())
                day += dt.timedelta(days=rng.choice((7, 10, 14)))
    Order.objects.bulk_create(orders, batch_size=500)
    steps, visits = [], []
    for order, luck in zip(orders, plans, strict=True):
        missed = luck < 0.03
        late = 0.03 <= luck < 0.10
        recent = order.slot_start.date() >= today - dt.timedelta(days=5)
        if missed:
            order.state = OrderState.ACCEPTED
        for action, at in (
            ("place", order.created_at),
            ("approve", order.created_at + dt.timedelta(hours=20)),
            ("accept", order.created_at + dt.timedelta(hours=26)),
        ):
            steps.append(OrderStep(order=order, action=action, to_state="", by_name="演示", at=at))
        checked_in = order.slot_start + dt.timedelta(minutes=rng.randrange(25, 50) if late else rng.randrange(-10, 10))
        state = VisitState.MISSED if missed else VisitState.DONE if recent else VisitState.VERIFIED
        rating = None
        if state != VisitState.MISSED and rng.random() < 0.8:
            rating = rng.choice((1, 2)) if late and rng.random() < 0.5 else rng.choice((4, 5, 5, 5, 3))
        visits.append(
            Visit(
                order=order,
                provider_id=order.provider_id,
                carer=order.carer,
                person_ref=order.person_ref,
                path=order.path,
                state=state,
                slot_start=order.slot_start,
                slot_end=order.slot_end,
                month=order.month,
                checked_in_at=None if missed else checked_in,
                check_in_method="" if missed else CheckInMethod.POSITION if luck > 0.15 else CheckInMethod.CARD,
                check_in_distance_m=None if missed or luck <= 0.15 else rng.randrange(5, 120),
                checked_out_at=None if missed else checked_in + dt.timedelta(minutes=order.item.duration_minutes or 30),
                late=late,
                record="" if missed else RECORDS.get(order.item.code, "按计划完成服务"),
                photo_count=0,
                verified_at=None if state != VisitState.VERIFIED else order.slot_end + dt.timedelta(days=2),
                verified_by_name="" if state != VisitState.VERIFIED else "社区工作人员",
                rating=rating,
                rating_comment=(rng.choice(BAD) if rating and rating <= 2 else rng.choice(GOOD)) if rating else "",
                rated_at=order.slot_end + dt.timedelta(hours=3) if rating else None,
                government_pays=order.government_pays,
                resident_pays=order.resident_pays,
                created_at=now,
            )
        )
    Order.objects.bulk_update([o for o in orders if o.state == OrderState.ACCEPTED], ["state"], batch_size=500)
    OrderStep.objects.bulk_create(steps, batch_size=1000)
    Visit.objects.bulk_create(visits, batch_size=500)
    bad = [v for v in visits if v.rating and v.rating <= 2]
    RatingAnswer.objects.bulk_create(
        [
            RatingAnswer(
                visit=v, text=rng.choice(ANSWERS), by_name="社区工作人员", at=v.rated_at + dt.timedelta(days=1)
            )
            for v in bad[: len(bad) * 2 // 3]
        ]
    )
    return len(orders)


def _mother(city: Actor, showcase_path: str, provider: Provider, today: dt.date) -> int:
    """The demo resident's mother: linked at the window, her card issued, and orders in several
    states made through the services."""
    resident = user_by_username("demo_resident")
    if resident is None:
        return 0
    me = care_person_for_user(resident.pk)
    candidates = care_elders_sample(
        under=showcase_path, born_on_or_before=today.replace(year=today.year - 80), limit=20
    )
    mother = next((p for p in candidates if me is None or p.household_ref != me.household_ref), None)
    if mother is None:
        return 0
    worker_user = user_by_username("demo_community_worker")
    worker = actor_for_user(worker_user) if worker_user else city
    worker = worker if worker.has_perm(CARE_MANAGE) and worker.sees_path(mother.path) else city
    family_link_at_window(actor=worker, username=resident.username, person_ref=mother.public_id, relation="女儿")
    card_issue(actor=worker, person_ref=mother.public_id)
    daughter = actor_for_user(resident)
    if not daughter.has_perm(CARE_ORDER):
        return 0
    dispatcher = _member_actor("demo_care_provider", CARE_PROVIDE)
    carer = _member_actor("demo_carer", CARE_VISIT)
    carer_member = provider.members.filter(kind=MemberKind.CARER, active=True).first()
    made = 0

    def place(code, day, hour, ago_days=1):
        at = dt.datetime.combine(day - dt.timedelta(days=ago_days), dt.time(9), tzinfo=timezone.get_current_timezone())
        data = OrderInput(
            person=mother.public_id,
            item=code,
            day=day,
            slot=f"{hour:02d}",
            provider=str(provider.public_id),
            needs="右腿关节炎，行动慢，请耐心",
            own_cost_ok=True,
        )
        return order_place(actor=daughter, data=data, now=at)

    def approve(order):
        return order_approve(actor=worker, order=order) if order.state == OrderState.PLACED else order

    if dispatcher and carer and carer_member:
        # done yesterday, waiting for her rating
        order = approve(place("JS01", today - dt.timedelta(days=1), 10, ago_days=2))
        order = order_accept(actor=dispatcher, order=order, carer_id=carer_member.pk)
        visit = order.visits.get()
        here = CheckIn(lat=mother.lat, lng=mother.lng, accuracy=15)
        visit_check_in(actor=carer, visit_id=visit.pk, data=here, now=visit.slot_start + dt.timedelta(minutes=5))
        done_at = visit.slot_start + dt.timedelta(minutes=70)
        visit_check_out(actor=carer, visit_id=visit.pk, record=RECORDS["JS01"], now=done_at)
        # assigned to the demo carer for tomorrow
        order = approve(place("JK01", today + dt.timedelta(days=1), 10, ago_days=1))
        order_accept(actor=dispatcher, order=order, carer_id=carer_member.pk)
        made += 2
    # approved, waiting for the provider; and waiting for the community's approval
    approve(place("ZJ02", today + dt.timedelta(days=2), 14, ago_days=0))
    place("ZC01", today + dt.timedelta(days=3), 10, ago_days=0)
    return made + 2


def _member_actor(username: str, permission: str) -> Actor | None:
    user = user_by_username(username)
    actor = actor_for_user(user) if user else None
    return actor if actor is not None and actor.has_perm(permission) else None
