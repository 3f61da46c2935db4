"""Demo data for the demo city, made through this app's services (`linli demo`). Idempotent:
a second run adds nothing.

In the showcase street: needs of the showcase community and its neighbours (a wheelchair for a
widow living alone, winter coats, quilts, homework help, meals for an empty-nest elder, school
costs, repairs); offers from the demo resident, the demo organiser's organisation, walk-in donors
(one anonymous) and a citywide charity; some matched, delivered and acknowledged, one match
still to deliver. One micro-fund for the showcase community with a plausible ledger: donations
from residents and shops (some anonymous), two payments — one below the ¥5,000 threshold, one
above it with the residents' decision — and a payment still waiting for its decision."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.utils import timezone

from linli.accounts.domain import CHARITY_MANAGE, CHARITY_OFFER
from linli.accounts.selectors import actor_for_user, user_by_username
from linli.areas.selectors import unit_names, units_under
from linli.charity.selectors import demo_has_rows, org_ids_for
from linli.charity.services import (
    DonationInput,
    FundInput,
    NeedInput,
    OfferInput,
    PaymentInput,
    RequestInput,
    donation_record,
    fund_save,
    match_confirm,
    match_deliver,
    need_act,
    need_post,
    offer_post,
    payment_record,
    payment_request,
)
from linli.core.actor import Actor

# (community index in the street: 0 the showcase, 1 and 2 its neighbours), kind, category,
# title, quantity, unit, beneficiary, description, days until needed
NEEDS = [
    (0, "goods", "mobility", "折叠轮椅一台", 1, "台", "王女士，独居老人", "腿脚不便，冬天出门就医需要轮椅", 10),
    (0, "goods", "clothing", "冬衣十件", 10, "件", "三户困难家庭", "大人孩子都有，尺码由社区统计", 14),
    (0, "goods", "clothing", "棉被六床", 6, "床", "两户低保家庭", "老房子供暖差，需要厚棉被", 20),
    (0, "tutoring", "homework", "初二数学辅导", 20, "小时", "李同学，单亲家庭", "每周两次，晚上在社区活动室", 45),
    (0, "service", "home_help", "上门助餐", 30, "次", "张大爷，空巢老人", "午餐送到家，清淡少盐", 30),
    (0, "money", "schooling", "高中学杂费", 3000, "元", "刘同学，父亲重病", "下学期学杂费和住宿费", 40),
    (1, "goods", "mobility", "助行器两个", 2, "个", "两位高龄老人", "", 15),
    (1, "service", "repair", "冬季水暖维修", 5, "次", "独居老人五户", "暖气漏水、水龙头更换", 12),
    (2, "tutoring", "skills", "智能手机使用培训", 12, "小时", "社区老年人", "学用健康码、视频通话和网上缴费", 60),
    (2, "goods", "clothing", "儿童冬衣", 8, "件", "四户困难家庭的孩子", "3至10岁", 18),
]
# donor, kind, category, title, quantity, unit, reach, anonymous
WALK_INS = [
    ("赵先生", "goods", "clothing", "羽绒服", 8, "件", "community", True),
    ("华润万象汇爱心商户联盟", "goods", "clothing", "新冬衣", 20, "件", "street", False),
    ("沈阳市慈善总会社区工作部", "goods", "clothing", "棉被", 30, "床", "city", False),
    ("孙阿姨", "service", "home_help", "每天多做一份午饭", 20, "次", "community", False),
]
# days ago, amount, donor, anonymous, receipt
DONATIONS = [
    (80, "5000.00", "水源地社区党支部", False),
    (74, "2000.00", "王淑珍", False),
    (70, "500.00", "李大爷", False),
    (63, "3000.00", "沈阳兴隆大家庭商场", False),
    (55, "800.00", "一位居民", True),
    (41, "10000.00", "沈阳万科物业服务有限公司", False),
    (30, "1200.00", "居民爱心认捐（12户）", False),
    (12, "300.00", "一位居民", True),
    (5, "2600.00", "社区义卖", False),
]


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
    """Plausible numbers for the city under `city_path`; the showcase community (where the demo
    accounts are posted) at `showcase_path` gets the rows a demo user sees first."""
    if demo_has_rows(showcase_path):
        return
    street = showcase_path[:9]
    communities = [showcase_path] + [p for p, _n, _r in units_under(under=street, kinds=("community", "village"))]
    communities = list(dict.fromkeys(communities))
    names = unit_names([*communities, street])
    worker_user = user_by_username("demo_community_worker")
    staff = dataclasses.replace(
        Actor.system("demo-charity", permissions=frozenset({CHARITY_MANAGE, CHARITY_OFFER}), root_path=street),
        display_name=f"{names.get(street, '')}社会事务办",
    )
    worker = actor_for_user(worker_user) if worker_user is not None else staff
    today = timezone.localdate()

    def acting_for(path: str) -> Actor:
        return worker if worker.sees_path(path) else staff

    needs = []
    for index, kind, category, title, quantity, unit, beneficiary, description, days in NEEDS:
        path = communities[min(index, len(communities) - 1)]
        data = NeedInput(
            kind=kind,
            category=category,
            title=title,
            quantity=quantity,
            unit=unit,
            beneficiary=beneficiary,
            description=description,
            needed_by=today + dt.timedelta(days=days),
            community=path,
            note="住址和联系方式见社区台账" if index == 0 else "",
        )
        needs.append(need_post(actor=acting_for(path), data=data))
    offers = _offers(worker, staff, communities, needs, today)
    matched = _matches(worker, staff, needs, offers)
    fund_entries = _fund(worker, showcase_path, names.get(showcase_path, ""), today)
    log(
        f"慈善 charity: {len(needs)} needs, {len(offers)} offers, {matched} matches, fund ledger {fund_entries} entries"
    )


def _offers(worker: Actor, staff: Actor, communities: list[str], needs: list, today: dt.date) -> dict:
    offers = {}
    resident_user = user_by_username("demo_resident")
    if resident_user is not None:
        resident = actor_for_user(resident_user)
        offers["wheelchair"] = offer_post(
            actor=resident,
            data=OfferInput(
                kind="goods",
                category="mobility",
                title="家里闲置的折叠轮椅",
                quantity=1,
                unit="台",
                description="八成新，可以送到家",
                for_need=needs[0].public_id,
            ),
        )
    organiser_user = user_by_username("demo_organiser")
    if organiser_user is not None:
        organiser = actor_for_user(organiser_user)
        orgs = sorted(org_ids_for(organiser), key=str)
        if orgs:
            offers["tutoring"] = offer_post(
                actor=organiser,
                data=OfferInput(
                    kind="tutoring",
                    category="homework",
                    title="大学生志愿者课业辅导",
                    quantity=40,
                    unit="小时",
                    reach="street",
                    org=orgs[0],
                    available_until=today + dt.timedelta(days=120),
                ),
            )
    for donor, kind, category, title, quantity, unit, reach, anonymous in WALK_INS:
        offers[title] = offer_post(
            actor=worker if worker.sees_path(communities[0]) else staff,
            data=OfferInput(
                kind=kind,
                category=category,
                title=title,
                quantity=quantity,
                unit=unit,
                reach=reach,
                anonymous=anonymous,
                donor_name=donor,
                community=communities[0],
                available_until=today + dt.timedelta(days=90),
            ),
        )
    return offers


def _matches(worker: Actor, staff: Actor, needs: list, offers: dict) -> int:
    """The wheelchair delivered and acknowledged; the coats from two donors delivered; the quilts
    half matched; the homework help confirmed, still to deliver."""
    wheelchair, coats, quilts, homework = needs[:4]
    done = []
    if "wheelchair" in offers:
        done.append(match_confirm(actor=worker, need=wheelchair, offer_id=offers["wheelchair"].public_id, quantity=1))
    done.append(match_confirm(actor=worker, need=coats, offer_id=offers["羽绒服"].public_id, quantity=8))
    done.append(match_confirm(actor=worker, need=coats, offer_id=offers["新冬衣"].public_id, quantity=2))
    for match in done:
        match_deliver(actor=worker, match=match, note="社区工作人员陪同送到家中")
    if "wheelchair" in offers:
        wheelchair.refresh_from_db()
        need_act(actor=worker, need=wheelchair, action="acknowledge", note="王女士很满意，已试用")
    match_confirm(actor=worker, need=quilts, offer_id=offers["棉被"].public_id, quantity=3)
    count = len(done) + 1
    if "tutoring" in offers:
        match_confirm(actor=worker, need=homework, offer_id=offers["tutoring"].public_id, quantity=20)
        count += 1
    return count


def _fund(worker: Actor, showcase_path: str, community_name: str, today: dt.date) -> int:
    fund = fund_save(
        actor=worker,
        data=FundInput(
            name=f"{community_name}微基金",
            community=showcase_path,
            purpose="居民自主发起、议事决定的小微公益项目：楼道照明、适老化改造、儿童活动等",
        ),
    )
    decided = today - dt.timedelta(days=28)
    small = PaymentInput(
        amount="1860.00",
        on=today - dt.timedelta(days=50),
        purpose="3号楼、5号楼楼道声控灯更换（24盏）",
        payee="沈阳明亮照明电器商行",
        receipt="发票 No.02318876",
    )
    large = PaymentInput(
        amount="12800.00",
        on=today - dt.timedelta(days=20),
        purpose="高龄老人家庭加装卫生间扶手和防滑垫（16户）",
        payee="沈阳安居适老化改造工程有限公司",
        receipt="发票 No.04417352",
        decision_text="居民议事会表决通过：使用微基金为16户高龄老人家庭加装扶手和防滑垫，预算12800元",
        decision_on=decided,
        decision_ref=f"{community_name}第4次居民议事会",
    )
    ledger: list[tuple[dt.date, object]] = [
        (today - dt.timedelta(days=50), small),
        (today - dt.timedelta(days=20), large),
    ]
    for number, (days, amount, donor, anonymous) in enumerate(DONATIONS, start=1):
        on = today - dt.timedelta(days=days)
        receipt = f"SYD-{on:%Y%m%d}-{number:03d}"
        ledger.append((on, DonationInput(amount=amount, on=on, receipt=receipt, donor_name=donor, anonymous=anonymous)))
    for _on, data in sorted(ledger, key=lambda pair: pair[0]):  # in the order it happened
        if isinstance(data, DonationInput):
            donation_record(actor=worker, fund=fund, data=data)
        elif isinstance(data, PaymentInput):
            payment_record(actor=worker, fund=fund, data=data)
    payment_request(
        actor=worker,
        fund=fund,
        data=RequestInput(purpose="小区儿童游乐区地面翻新", payee="沈阳童趣游乐设施有限公司", amount="6500.00"),
    )
    return len(ledger)
