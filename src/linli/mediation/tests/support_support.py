"""Support-case test support: a clock on a working Monday, residents of 水源地社区 (210102001002),
浑河湾社区 (210102001003) and 集贤社区 (210102002001, a sibling street), the judicial officers of
浑河湾街道, of 集贤街道 and of 和平区, and two police officers with beats (水源地 and 浑河湾)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

import pytest
import time_machine

from linli.accounts.domain import Role
from linli.accounts.selectors import actor_for_user
from linli.areas.models import Department
from linli.core.actor import Actor
from linli.mediation.domain.support import SupportKind
from linli.mediation.models import PoliceBeat
from linli.mediation.services.support import SupportCaseInput, support_case_open
from linli.residents.domain import id_number_make
from linli.residents.services import ResidentInput, household_register, resident_add
from linli.testing import make_user

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()
SHUIYUANDI, HUNHEWAN, JIXIAN = "210102001002", "210102001003", "210102002001"
EDITOR = Actor.system("support-tests", permissions=frozenset({"residents.view", "residents.edit"}), root_path="2101")
SEEN = "邻居听到夜里争吵和哭喊声，女方脸上有淤青"
PLAN = "每月走访两次，协调心理疏导"
_seq = [0]


def add_resident(community: str, name: str, age: int = 40) -> str:
    """A resident heading a household in the community's first building; returns the public id."""
    _seq[0] += 1
    household = household_register(
        actor=EDITOR, building_code=f"{community}001001", room=f"{_seq[0]:03d}", residence_type="registered"
    )
    born = TODAY.replace(year=TODAY.year - age)
    resident = resident_add(
        actor=EDITOR,
        household=household,
        data=ResidentInput(
            name=name,
            gender="female",
            birth_date=born,
            id_number=id_number_make("210102", born, _seq[0] * 2, "female"),
            relation="self",
        ),
    )
    return str(resident.public_id)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@dataclass
class World:
    actors: dict[str, Actor]
    wang: str  # a resident of 水源地
    zhao: str  # a resident of 浑河湾
    sun: str  # a resident of 集贤 (sibling street)


def _officer(username: str, beat: str, department: Department):
    user = make_user(username, Role.POLICE_OFFICER, department)
    PoliceBeat.objects.create(
        user=user,
        officer_name=username,
        path=beat,
        since=TODAY - dt.timedelta(days=30),
        set_by_name="tests",
        created_at=NOW,
    )
    return user


@pytest.fixture
def world(tree, people, clock) -> World:
    police = Department.objects.get(path="210102", kind="police")
    extra = {
        "judicial_officer": make_user("judicial_officer", Role.JUDICIAL_OFFICER, tree["210102001000"]),
        "other_judicial_officer": make_user("other_judicial_officer", Role.JUDICIAL_OFFICER, tree["210102002000"]),
        "district_judicial_officer": make_user(
            "district_judicial_officer", Role.JUDICIAL_OFFICER, tree["210102000000"]
        ),
        "police_officer": _officer("police_officer", SHUIYUANDI, police),
        "other_police_officer": _officer("other_police_officer", HUNHEWAN, police),
    }
    users = {**people, **extra}
    actors = {name: actor_for_user(user) for name, user in users.items()} | {"anonymous": Actor.anonymous()}
    return World(
        actors=actors,
        wang=add_resident(SHUIYUANDI, "王秀兰"),
        zhao=add_resident(HUNHEWAN, "赵桂芳"),
        sun=add_resident(JIXIAN, "孙丽"),
    )


def open_case(world: World, kind: str = SupportKind.CORRECTIONS, *, by: str = "judicial_officer", **kwargs):
    data = SupportCaseInput(kind=kind, person_ref=kwargs.pop("person_ref", world.wang), plan=PLAN, **kwargs)
    return support_case_open(actor=world.actors[by], data=data)
