"""Voting test support: a clock on a Monday morning, a 水源地社区 (210102001002) consultation open
for comments with two options (A 同意, B 不同意) closing in three days; households in its first
building — 张家 (two adults and a child; the `resident` account is 张建国), 李家 (one adult) —
and 孙家 in 集贤社区 (another street). The consultation's row is made directly: its own stage's
services are another helper's."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

import pytest
import time_machine
from django.utils import timezone

from linli.accounts.domain import Role
from linli.accounts.selectors import actor_for_user
from linli.consultation.models import Consultation, ConsultationOption, Meeting, SignIn
from linli.core.actor import Actor
from linli.residents.domain import id_number_make
from linli.residents.services import ResidentInput, household_register, resident_add
from linli.testing import make_user

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()
SHUIYUANDI, HUNHEWAN, JIXIAN = "210102001002", "210102001003", "210102002001"
EDITOR = Actor.system("voting-tests", permissions=frozenset({"residents.view", "residents.edit"}), root_path="2101")
_seq = [0]


def add_person(household, name: str, *, age: int = 45, user=None, relation: str = "self"):
    _seq[0] += 1
    birth = TODAY.replace(year=TODAY.year - age) - dt.timedelta(days=1)
    person = resident_add(
        actor=EDITOR,
        household=household,
        data=ResidentInput(
            name=name,
            gender="male",
            birth_date=birth,
            id_number=id_number_make("210102", birth, _seq[0] * 2 + 41, "male"),
            phone=f"1390000{_seq[0]:04d}",
            relation=relation,
        ),
    )
    if user is not None:
        type(person).objects.filter(pk=person.pk).update(user=user)
    return person


def add_household(community: str, room: str):
    return household_register(actor=EDITOR, building_code=f"{community}001001", room=room, residence_type="registered")


@dataclass
class World:
    actors: dict
    users: dict
    zhang: object  # the `resident` account's person
    zhang_wife: object  # same household, with the account `resident2`
    li: object  # the account `resident3`
    sun: object  # 集贤, the account `far_resident`


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(tree, people, clock) -> World:
    extra = {
        "resident2": make_user("resident2", Role.RESIDENT, tree[SHUIYUANDI]),
        "resident3": make_user("resident3", Role.RESIDENT, tree[SHUIYUANDI]),
        "far_resident": make_user("far_resident", Role.RESIDENT, tree[JIXIAN]),
    }
    users = {**people, **extra}
    zhang_home = add_household(SHUIYUANDI, "101")
    zhang = add_person(zhang_home, "张建国", user=users["resident"])
    wife = add_person(zhang_home, "王秀兰", user=users["resident2"], relation="spouse")
    add_person(zhang_home, "张小明", age=10, relation="child")
    li = add_person(add_household(SHUIYUANDI, "102"), "李明", user=users["resident3"])
    sun = add_person(add_household(JIXIAN, "201"), "孙强", user=users["far_resident"])
    return World(
        actors={name: actor_for_user(user) for name, user in users.items()} | {"anonymous": Actor.anonymous()},
        users=users,
        zhang=zhang,
        zhang_wife=wife,
        li=li,
        sun=sun,
    )


def discussing(unit: str = "household", *, quorum: int = 50, majority: str = "half", number: str = "") -> Consultation:
    """A consultation of 水源地 open for comments, with options A and B."""
    _seq[0] += 1
    now = timezone.now()
    consultation = Consultation.objects.create(
        number=number or f"XS{SHUIYUANDI}202612{_seq[0]:05d}",
        path=SHUIYUANDI,
        title="小区停车位规划方案",
        question="是否按方案划设停车位",
        form="online",
        scope_kind="community",
        scope_path=SHUIYUANDI,
        state="discussing",
        voting_until=now + dt.timedelta(days=3),
        vote_unit=unit,
        quorum_percent=quorum,
        majority=majority,
        created_at=now,
        updated_at=now,
    )
    ConsultationOption.objects.create(consultation=consultation, key="A", label="同意", position=1)
    ConsultationOption.objects.create(consultation=consultation, key="B", label="不同意", position=2)
    return consultation


def signed_in(consultation: Consultation, *people) -> Meeting:
    """A meeting of the consultation with these pool residents signed in."""
    now = timezone.now()
    meeting = Meeting.objects.create(consultation=consultation, starts_at=now, place="社区会议室", created_at=now)
    for person in people:
        SignIn.objects.create(
            meeting=meeting,
            resident_ref=person.public_id,
            household_ref=person.household.public_id,
            name_shown="张*国",
            signed_at=now,
        )
    return meeting
