"""Statements test support: a clock on Monday 7 December 2026, a service list with a bed item
(60 yuan a visit, 80 % for anyone 60 or older) and home help, a provider based in 浑河湾街道 serving
水源地社区 (with its dispatcher), another provider based in 集贤街道 (outside the street officer's
scope), two elders in 水源地社区 (one old enough, one too young) and helpers that make visits in the
state a test needs directly with the ORM (the orders stage owns check-in, check-out and
verification; a statement only reads the state)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

from linli.accounts.domain import Role
from linli.accounts.selectors import actor_for_user
from linli.care.domain.orders import MemberKind, OrderState, VisitState
from linli.care.models import Order, Provider, ProviderArea, ProviderMember, ServiceItem, ServiceList, Visit
from linli.core.actor import Actor
from linli.residents.domain import id_number_make
from linli.residents.services import ResidentInput, household_register, resident_add
from linli.testing import make_user

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)  # a Monday
TODAY = NOW.date()
NOVEMBER = dt.date(2026, 11, 1)
SHUIYUANDI = "210102001002"
STREET = "210102001000"
EDITOR = Actor.system("statements-tests", permissions=frozenset({"residents.view", "residents.edit"}), root_path="2101")


def service_list() -> dict[str, ServiceItem]:
    version = (ServiceList.objects.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    listing = ServiceList.objects.create(
        version=version, title="测试清单", effective_from=dt.date(2026, 10, 1), published_at=NOW
    )
    bed = ServiceItem.objects.create(
        service_list=listing,
        code="CW01",
        name="家庭养老床位上门照护",
        name_en="Family care bed visit",
        category="daily_care",
        unit_price=Decimal("60.00"),
        conditions=[{"min_age": 60, "subsidy_share": 80}],
        own_cost_allowed=False,
        for_beds=True,
        duration_minutes=60,
    )
    help_item = ServiceItem.objects.create(
        service_list=listing,
        code="JJ01",
        name="助洁上门",
        name_en="Home cleaning",
        category="daily_care",
        unit_price=Decimal("50.00"),
        conditions=[{"min_age": 60, "subsidy_share": 80}],
    )
    return {"bed": bed, "help": help_item}


def person(room: str, name: str, born: dt.date, seq: int, community: str = SHUIYUANDI):
    household = household_register(
        actor=EDITOR, building_code=f"{community}001001", room=room, residence_type="registered"
    )
    return resident_add(
        actor=EDITOR,
        household=household,
        data=ResidentInput(
            name=name, gender="female", birth_date=born, id_number=id_number_make("210102", born, seq, "female")
        ),
    )


def statement_care(tree, people) -> dict:
    """Everything the statements tests need, keyed by name; `actors` has each account's actor.
    Each test module wraps it in its `sc` fixture with the clock stopped at NOW."""
    items = service_list()
    provider = Provider.objects.create(name="沈阳颐康居家养老服务有限公司", kind="company", path=STREET[:9])
    ProviderArea.objects.create(provider=provider, path=SHUIYUANDI, since=dt.date(2026, 1, 1))
    other = Provider.objects.create(name="集贤互助养老队", kind="mutual_aid", path="210102002001")
    ProviderArea.objects.create(provider=other, path="210102002001", since=dt.date(2026, 1, 1))
    dispatcher = make_user("dispatcher", Role.CARE_PROVIDER, tree[STREET])
    other_dispatcher = make_user("other_dispatcher", Role.CARE_PROVIDER, tree["210102002000"])
    ProviderMember.objects.create(
        provider=provider, user=dispatcher, kind=MemberKind.DISPATCHER, name="李调度", since=TODAY
    )
    ProviderMember.objects.create(
        provider=other, user=other_dispatcher, kind=MemberKind.DISPATCHER, name="周调度", since=TODAY
    )
    elder = person("2-201", "刘桂兰", dt.date(1940, 5, 6), 31)
    young = person("3-301", "王小丽", dt.date(1990, 3, 4), 42)
    users = {**people, "dispatcher": dispatcher, "other_dispatcher": other_dispatcher}
    return {
        "items": items,
        "provider": provider,
        "other": other,
        "elder": elder,
        "young": young,
        "actors": {name: actor_for_user(user) for name, user in users.items()} | {"anonymous": Actor.anonymous()},
    }


_numbers = iter(range(1, 10**6))


def order(sc, *, provider=None, month=NOVEMBER, person_name="刘桂兰") -> Order:
    elder = sc["elder"]
    return Order.objects.create(
        number=f"T{next(_numbers):08d}",
        state=OrderState.COMPLETED,
        person_ref=elder.public_id,
        person_name=person_name,
        path=elder.path,
        address="水源地社区 1号楼 2-201",
        item=sc["items"]["help"],
        provider=provider or sc["provider"],
        month=month,
        subsidy_share=80,
        unit_price=Decimal("50.00"),
        government_pays=Decimal("40.00"),
        resident_pays=Decimal("10.00"),
        ordered_by_name="test",
        created_at=NOW,
        updated_at=NOW,
    )


def visit(sc, state=VisitState.VERIFIED, *, day: int = 3, hour: int = 9, of=None, late_minutes=None, rating=None):
    """A visit of an order (a new one unless `of` is given) in November on `day` at `hour`."""
    of = of or order(sc)
    start = dt.datetime(2026, 11, day, hour, 0, tzinfo=SHANGHAI)
    checked_in = start + dt.timedelta(minutes=late_minutes) if late_minutes is not None else None
    return Visit.objects.create(
        order=of,
        provider=of.provider,
        person_ref=of.person_ref,
        path=of.path,
        state=state,
        slot_start=start,
        slot_end=start + dt.timedelta(hours=1),
        month=start.date().replace(day=1),
        checked_in_at=checked_in,
        rating=rating,
        government_pays=of.government_pays,
        resident_pays=of.resident_pays,
        created_at=NOW,
    )
