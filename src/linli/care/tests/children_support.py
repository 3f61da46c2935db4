"""Children test support: a clock on a working Monday, children of the pool's children's groups
in 水源地社区 (210102001002), 浑河湾社区 (210102001003) and 集贤社区 (210102002001, a sibling
street), a director for 水源地, and the children's facilities through the registry's services."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

import pytest
import time_machine

from linli.accounts.domain import Role
from linli.accounts.selectors import actor_for_user
from linli.core.actor import Actor
from linli.facilities.services import FacilityInput, facility_save
from linli.residents.domain import id_number_make
from linli.residents.services import ResidentInput, care_membership_add, household_register, resident_add
from linli.testing import make_user

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()
SHUIYUANDI, HUNHEWAN, JIXIAN = "210102001002", "210102001003", "210102002001"
EDITOR = Actor.system(
    "children-tests",
    permissions=frozenset({"residents.view", "residents.edit", "facility.edit", "facility.view"}),
    root_path="2101",
)
_seq = [0]


def years_ago(years: int) -> dt.date:
    return TODAY.replace(year=TODAY.year - years)


def add_child(community: str, name: str, kinds=("left_behind_child",), age: int = 9, room: str = "") -> str:
    """A child (with a parent as head of household) in the community's first building; returns the
    child's public id."""
    _seq[0] += 1
    household = household_register(
        actor=EDITOR, building_code=f"{community}001001", room=room or f"{_seq[0]:03d}", residence_type="registered"
    )
    parent = ResidentInput(
        name=f"{name}家长",
        gender="female",
        birth_date=years_ago(38),
        id_number=id_number_make("210102", years_ago(38), _seq[0] * 2, "female"),
        relation="self",
    )
    resident_add(actor=EDITOR, household=household, data=parent)
    household.refresh_from_db()
    child = resident_add(
        actor=EDITOR,
        household=household,
        data=ResidentInput(
            name=name,
            gender="male",
            birth_date=years_ago(age),
            id_number=id_number_make("210102", years_ago(age), _seq[0] * 2 + 1, "male"),
            relation="child",
        ),
    )
    for kind in kinds:
        care_membership_add(actor=EDITOR, resident=child, kind=kind, started_on=TODAY - dt.timedelta(days=400))
    return str(child.public_id)


def add_facility(kind: str, unit: str, name: str) -> str:
    facility = facility_save(
        actor=EDITOR,
        data=FacilityInput(
            kind=kind, name=name, unit=unit, lat=41.78, lng=123.43, floor_area_m2="80", opening_hours="09:00-17:00"
        ),
    )
    return str(facility.public_id)


@dataclass
class World:
    xiaoming: str  # 水源地, left-behind, never visited
    xiaohong: str  # 水源地, in difficulty and orphan
    xiaogang: str  # 浑河湾, left-behind
    xiaoli: str  # 集贤 (sibling street)
    home: str  # 水源地's children's home


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(tree, people, clock) -> World:
    return World(
        xiaoming=add_child(SHUIYUANDI, "王小明"),
        xiaohong=add_child(SHUIYUANDI, "李小红", kinds=("child_in_difficulty", "orphan_dispersed")),
        xiaogang=add_child(HUNHEWAN, "赵小刚"),
        xiaoli=add_child(JIXIAN, "孙小丽"),
        home=add_facility("children_home", SHUIYUANDI, "水源地社区儿童之家"),
    )


@pytest.fixture
def other_street_officer(tree):
    return actor_for_user(make_user("other_street_officer", Role.STREET_OFFICER, tree["210102002000"]))
