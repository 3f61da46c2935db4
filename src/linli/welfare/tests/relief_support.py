"""Relief test support: a clock on a working Monday and hand-built households in 水源地社区
(210102001002) and 浑河湾社区 (210102001003) through the pool's own services."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

import pytest
import time_machine

from linli.accounts.domain import Role
from linli.accounts.selectors import actor_for_user
from linli.core.actor import Actor
from linli.residents.domain import id_number_make
from linli.residents.services import ResidentInput, household_register, resident_add
from linli.testing import make_user

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()
SHUIYUANDI = "210102001002"
HUNHEWAN = "210102001003"
EDITOR = Actor.system("relief-tests", permissions=frozenset({"residents.view", "residents.edit"}), root_path="2101")
_seq = [0]


@dataclass
class Person:
    name: str
    born: dt.date
    gender: str = "male"
    employment: str = ""
    disability: str = ""


def years_ago(years: int, days: int = 0) -> dt.date:
    return TODAY.replace(year=TODAY.year - years) - dt.timedelta(days=days)


def build_household(community: str, room: str, people: list[Person], grid: int = 1):
    """A household in the first building of the community's grid; returns (household, residents)."""
    household = household_register(
        actor=EDITOR, building_code=f"{community}{grid:03d}001", room=room, residence_type="registered"
    )
    made = []
    for i, p in enumerate(people):
        _seq[0] += 1
        household.refresh_from_db()
        made.append(
            resident_add(
                actor=EDITOR,
                household=household,
                data=ResidentInput(
                    name=p.name,
                    gender=p.gender,
                    birth_date=p.born,
                    id_number=id_number_make("210102", p.born, _seq[0], p.gender),
                    relation="self" if i == 0 else "spouse" if i == 1 else "child",
                    employment=p.employment,
                    disability=p.disability,
                    sensitive_consent="written" if p.disability else "",
                ),
            )
        )
    return household, made


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def city_officer(tree):
    user = make_user("city_civil_affairs", Role.CIVIL_AFFAIRS_OFFICER, tree["210100000000"])
    return actor_for_user(user)
