"""Safety test support: a clock on Monday 2026-12-07 10:00 in Shenyang, police officers posted at
和平区's police department (one serving 水源地社区) and at 沈河区's, a shelter in 水源地社区,
residents counted there, and grid events made as rows (the grid app's workflow is not the point
here). The small tree: 水源地社区 210102001002 and 浑河湾社区 210102001003 in 浑河湾街道
210102001000, 集贤社区 210102002001 in a sibling street, 滨河社区 210103001001 in 沈河区."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
import time_machine

from linli.accounts.domain import Role
from linli.accounts.selectors import actor_for_user
from linli.areas.models import Department
from linli.core.actor import Actor
from linli.mediation.services import safety as svc
from linli.testing import make_user

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()
DECEMBER, NOVEMBER = dt.date(2026, 12, 1), dt.date(2026, 11, 1)
SHUIYUANDI, HUNHEWAN, JIXIAN, BINHE = "210102001002", "210102001003", "210102002001", "210103001001"
STREET, DISTRICT = "210102001", "210102"
MANAGER = Actor.system(
    "safety-tests", permissions=frozenset({"mediation.manage", "safety.record", "safety.police"}), root_path="2101"
)
_seq = [0]


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def police_department(path: str = DISTRICT) -> Department:
    return Department.objects.get(path=path, kind="police")


@pytest.fixture
def police(people, clock):
    """Officers: `officer` serves 水源地社区 since 2026-01-01; `spare_officer` (same department)
    serves nothing; `shenhe_officer` is posted in 沈河区. Returns users and actors."""
    users = {
        "officer": make_user("officer", Role.POLICE_OFFICER, police_department()),
        "spare_officer": make_user("spare_officer", Role.POLICE_OFFICER, police_department()),
        "shenhe_officer": make_user("shenhe_officer", Role.POLICE_OFFICER, police_department("210103")),
    }
    svc.beat_set(actor=MANAGER, community_path=SHUIYUANDI, user_id=users["officer"].pk, since=dt.date(2026, 1, 1))
    return {"users": users, "actors": {name: actor_for_user(user) for name, user in users.items()}}


def grid_event(community: str, code: str, reported_at: dt.datetime, number: str = "") -> str:
    """A grid event of a category, reported in the community; returns its number."""
    from linli.grid_events.models import EventCategory, GridEvent

    _seq[0] += 1
    number = number or f"T{_seq[0]:06d}"
    GridEvent.objects.create(
        number=number,
        category=EventCategory.objects.get(code=code),
        description="测试事件",
        channel="staff",
        lat=41.75,
        lng=123.4,
        community_path=community,
        path=community,
        holder_path=community,
        reported_at=reported_at,
    )
    return number


def shelter(community: str, m2: str) -> str:
    """An open emergency shelter of `m2` square metres in the community."""
    from linli.facilities.models import Facility, FacilityKind

    kind = FacilityKind.objects.filter(is_shelter=True).first()
    if kind is None:
        kind = FacilityKind.objects.create(
            code="emergency_shelter", name="应急避难场所", name_en="Emergency shelter", is_shelter=True
        )
    facility = Facility.objects.create(
        kind=kind,
        name=f"避难场所{community[-3:]}",
        path=community,
        lat=41.75,
        lng=123.4,
        floor_area_m2=Decimal(m2),
        status="open",
    )
    return str(facility.public_id)


EDITOR = Actor.system(
    "safety-tests-residents", permissions=frozenset({"residents.view", "residents.edit"}), root_path="2101"
)


def add_residents(community: str, count: int) -> None:
    """`count` residents in one household of the community's first building."""
    from linli.residents.domain import id_number_make
    from linli.residents.services import ResidentInput, household_register, resident_add

    _seq[0] += 1
    household = household_register(
        actor=EDITOR, building_code=f"{community}001001", room=f"{_seq[0]:03d}", residence_type="registered"
    )
    for i in range(count):
        born = dt.date(1980, 1, 1 + i)
        resident_add(
            actor=EDITOR,
            household=household,
            data=ResidentInput(
                name=f"居民{_seq[0]}{i}",
                gender="female",
                birth_date=born,
                id_number=id_number_make("210102", born, _seq[0] * 10 + i, "female"),
                relation="self" if i == 0 else "child",
            ),
        )
        household.refresh_from_db()


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def escalated_dispute(community: str, day: dt.date, escalated: bool = True) -> None:
    """A dispute of the community registered on the day, escalated beyond the street (a petition)."""
    from linli.mediation.models import Dispute, DisputeKind

    _seq[0] += 1
    Dispute.objects.create(
        number=f"TJ{_seq[0]:06d}",
        path=community,
        kind=DisputeKind.objects.order_by("pk").first(),
        level="community",
        source="window",
        title="邻里纠纷",
        facts_sealed="x",
        registered_on=day,
        escalated=escalated,
        registered_by_name="测试",
        created_at=at(day),
        updated_at=at(day),
    )
