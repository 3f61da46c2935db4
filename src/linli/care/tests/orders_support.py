"""Orders test support: a clock on a working Monday, a service list with home help (subsidised,
capped, no own cost) and bathing (photos required, own cost allowed), a provider serving 水源地社区
(210102001002) with a dispatcher and a carer, an elder (the mother) living there and her daughter's
resident account in 浑河湾社区 (210102001003) linked to her."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
import time_machine

from linli.accounts.domain import Role
from linli.accounts.selectors import actor_for_user
from linli.areas.models import Building
from linli.care.domain.orders import MemberKind
from linli.care.models import FamilyLink, Provider, ProviderArea, ProviderMember, ServiceItem, ServiceList
from linli.care.services.orders import CheckIn, OrderInput, order_accept, order_approve, order_place
from linli.core.actor import Actor
from linli.residents.domain import id_number_make
from linli.residents.services import ResidentInput, household_register, resident_add
from linli.testing import make_user

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)  # a working Monday
TODAY = NOW.date()
SHUIYUANDI = "210102001002"
HUNHEWAN = "210102001003"
HOME = (41.7700, 123.4300)  # the mother's building
EDITOR = Actor.system("orders-tests", permissions=frozenset({"residents.view", "residents.edit"}), root_path="2101")
MOTHER_ID = id_number_make("210102", dt.date(1940, 5, 6), 31, "female")
CARD_CODE = "482913"


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def service_list() -> dict[str, ServiceItem]:
    # the migrations may ship a list: this one is a newer version, in force from last month
    version = (ServiceList.objects.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    listing = ServiceList.objects.create(
        version=version, title="测试清单", effective_from=dt.date(2026, 11, 1), published_at=NOW
    )
    help_item = ServiceItem.objects.create(
        service_list=listing,
        code="JJ01",
        name="助洁上门",
        name_en="Home cleaning",
        category="daily_care",
        unit_price=Decimal("50.00"),
        monthly_cap=4,
        conditions=[{"min_age": 60, "subsidy_share": 80}],
        own_cost_allowed=False,
    )
    bath = ServiceItem.objects.create(
        service_list=listing,
        code="ZY01",
        name="助浴上门",
        name_en="Bathing at home",
        category="daily_care",
        unit_price=Decimal("80.00"),
        monthly_cap=2,
        conditions=[{"min_age": 90, "subsidy_share": 50}],
        own_cost_allowed=True,
        needs_photo=True,
    )
    return {"help": help_item, "bath": bath}


def person(community: str, room: str, name: str, born: dt.date, seq: int, gender: str = "female", user=None):
    household = household_register(
        actor=EDITOR, building_code=f"{community}001001", room=room, residence_type="registered"
    )
    resident = resident_add(
        actor=EDITOR,
        household=household,
        data=ResidentInput(
            name=name, gender=gender, birth_date=born, id_number=id_number_make("210102", born, seq, gender)
        ),
    )
    if user is not None:
        type(resident).objects.filter(pk=resident.pk).update(user=user)
    return resident


@pytest.fixture
def care(tree, people, clock):
    """Everything the orders journey needs, keyed by name; `actors` has each account's actor."""
    Building.objects.filter(code=f"{SHUIYUANDI}001001").update(lat=HOME[0], lng=HOME[1])
    items = service_list()
    provider = Provider.objects.create(
        name="沈阳颐康居家养老服务有限公司", kind="company", path="210102001", checkin_radius_m=200
    )
    ProviderArea.objects.create(provider=provider, path=SHUIYUANDI, since=dt.date(2026, 1, 1))
    other_provider = Provider.objects.create(name="浑河湾互助养老队", kind="mutual_aid", path=HUNHEWAN)
    ProviderArea.objects.create(provider=other_provider, path=HUNHEWAN, since=dt.date(2026, 1, 1))
    street = tree["210102001000"]
    users = {
        "dispatcher": make_user("dispatcher", Role.CARE_PROVIDER, street),
        "carer": make_user("carer", Role.CARER, street),
        "other_carer": make_user("other_carer", Role.CARER, street),
        "daughter": make_user("daughter", Role.RESIDENT, tree[HUNHEWAN]),
    }
    members = {
        "dispatcher": ProviderMember.objects.create(
            provider=provider, user=users["dispatcher"], kind=MemberKind.DISPATCHER, name="李调度", since=TODAY
        ),
        "carer": ProviderMember.objects.create(
            provider=provider, user=users["carer"], kind=MemberKind.CARER, name="王护理", since=TODAY
        ),
        "other_carer": ProviderMember.objects.create(
            provider=provider, user=users["other_carer"], kind=MemberKind.CARER, name="赵护理", since=TODAY
        ),
    }
    mother = person(SHUIYUANDI, "2-201", "刘桂兰", dt.date(1940, 5, 6), 31)
    person(HUNHEWAN, "5-501", "陈晓梅", dt.date(1972, 8, 9), 32, user=users["daughter"])
    FamilyLink.objects.create(
        user=users["daughter"],
        person_ref=mother.public_id,
        path=mother.path,
        relation="女儿",
        how="window",
        linked_at=NOW,
        linked_by_name="test",
    )
    everyone = {**people, **users}
    return {
        "items": items,
        "provider": provider,
        "other_provider": other_provider,
        "members": members,
        "mother": mother,
        "users": everyone,
        "actors": {name: actor_for_user(user) for name, user in everyone.items()} | {"anonymous": Actor.anonymous()},
    }


def order_input(care, *, item="help", day=TODAY, slot="14", quantity=1, provider=True, **extra) -> OrderInput:
    return OrderInput(
        person=str(care["mother"].public_id),
        item=care["items"][item].code,
        day=day,
        slot=slot,
        provider=str(care["provider"].public_id) if provider else "",
        quantity=quantity,
        needs=extra.pop("needs", "左腿不便，需扶"),
        **extra,
    )


def accepted_order(care, **kwargs):
    """An order placed by the daughter, approved by the community, accepted with the carer."""
    actors = care["actors"]
    order = order_place(actor=actors["daughter"], data=order_input(care, **kwargs))
    if order.state == "placed":  # an own-cost order needs no approval
        order = order_approve(actor=actors["community_worker"], order=order)
    return order_accept(actor=actors["dispatcher"], order=order, carer_id=care["members"]["carer"].pk)


def at_home(**extra) -> CheckIn:
    return CheckIn(lat=HOME[0] + 0.0005, lng=HOME[1], accuracy=20, **extra)


def at_time(clock, hour: int, minute: int = 0, day: dt.date = TODAY) -> None:
    clock.move_to(dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI))


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
