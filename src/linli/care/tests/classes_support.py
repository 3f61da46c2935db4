"""Classes test support: a clock on a working Monday; residents of 水源地社区 (210102001002) with
their own accounts (the pool's people linked to them), one of 集贤社区 (another street); a
happy-education classroom in 水源地社区; a lecturer; helpers to plan, publish and enrol."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
import time_machine

from linli.accounts.domain import Role
from linli.accounts.selectors import actor_for_user
from linli.care.services.classes import ClassInput, LecturerInput, class_plan, class_publish, lecturer_add
from linli.core.actor import Actor
from linli.facilities.models import Facility, FacilityKind
from linli.residents.domain import id_number_make
from linli.residents.services import ResidentInput, household_register, resident_add
from linli.testing import make_user

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)  # a working Monday
TODAY = NOW.date()
SHUIYUANDI = "210102001002"
HUNHEWAN = "210102001003"
JIXIAN = "210102002001"
EDITOR = Actor.system("classes-tests", permissions=frozenset({"residents.view", "residents.edit"}), root_path="2101")


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def resident_account(tree, username: str, community: str, room: str, seq: int, name: str):
    """A resident account whose person is a registered resident of `community`."""
    user = make_user(username, Role.RESIDENT, tree[community])
    household = household_register(
        actor=EDITOR, building_code=f"{community}001001", room=room, residence_type="registered"
    )
    born = dt.date(1950, 3, seq % 28 + 1)
    resident = resident_add(
        actor=EDITOR,
        household=household,
        data=ResidentInput(
            name=name, gender="female", birth_date=born, id_number=id_number_make("210102", born, seq, "female")
        ),
    )
    type(resident).objects.filter(pk=resident.pk).update(user=user)
    return actor_for_user(user)


def classroom(path: str = SHUIYUANDI, name: str = "水源地社区幸福课堂") -> Facility:
    return Facility.objects.create(
        kind=FacilityKind.objects.get(code="happy_classroom"),
        name=name,
        path=path,
        lat=41.77,
        lng=123.43,
        floor_area_m2=Decimal("80"),
    )


@pytest.fixture
def neighbours(tree, people, clock):
    """Resident actors: four of 水源地社区, one of 浑河湾社区 (same street), one of 集贤社区."""
    return {
        "wang": resident_account(tree, "wang", SHUIYUANDI, "101", 11, "王秀兰"),
        "li": resident_account(tree, "li", SHUIYUANDI, "102", 12, "李桂芳"),
        "zhao": resident_account(tree, "zhao", SHUIYUANDI, "103", 13, "赵淑珍"),
        "sun": resident_account(tree, "sun", SHUIYUANDI, "104", 14, "孙玉梅"),
        "hunhewan": resident_account(tree, "hunhewan", HUNHEWAN, "201", 15, "周凤英"),
        "jixian": resident_account(tree, "jixian", JIXIAN, "301", 16, "吴丽华"),
    }


def session_times(days: int = 1, hours: int = 2, count: int = 1):
    start = NOW + dt.timedelta(days=days)
    return [(start + dt.timedelta(weeks=w), start + dt.timedelta(weeks=w, hours=hours)) for w in range(count)]


def a_lecturer(worker: Actor, name: str = "沈阳市和平区老年大学"):
    return lecturer_add(
        actor=worker, data=LecturerInput(name=name, kind="school", topics="智能手机、书法", communities=[SHUIYUANDI])
    )


def a_class(worker: Actor, *, capacity: int = 2, requests=(), publish: bool = True, sessions=None, **extra):
    data = ClassInput(
        community=SHUIYUANDI,
        title=extra.pop("title", "智能手机入门"),
        description="微信视频、扫码、防诈骗",
        capacity=capacity,
        classroom_name=extra.pop("classroom_name", "社区活动室"),
        sessions=sessions or session_times(),
        requests=[str(r.public_id) for r in requests],
        **extra,
    )
    item = class_plan(actor=worker, data=data)
    return class_publish(actor=worker, item=item) if publish else item
