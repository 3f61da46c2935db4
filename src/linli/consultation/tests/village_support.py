"""Village test support: a clock on a working Monday, the village 前进村委会 (210103001201) under
滨河街道 (210103001) with villagers (adults and a child) in households, its committee's worker
(`village_worker`), its town's street officer (`town_officer`), a villager account
(`villager`), representatives, and helpers that bring a matter to a given step."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

import pytest
import time_machine

from linli.accounts.domain import Role
from linli.accounts.selectors import actor_for_user
from linli.consultation.models import MajorMatterKind, VillageMatter
from linli.consultation.services import village as svc
from linli.core.actor import Actor
from linli.residents.domain import id_number_make
from linli.residents.services import ResidentInput, household_register, resident_account_link, resident_add
from linli.testing import make_user

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()
VILLAGE, TOWN, SHUIYUANDI = "210103001201", "210103001", "210102001002"
EDITOR = Actor.system("village-tests", permissions=frozenset({"residents.view", "residents.edit"}), root_path="2101")
HOUSEHOLDS = 6  # two adults each: 12 adults, 6 households (and one child who does not count)
_seq = [0]


def add_household(community: str, names: list[str], *, child: bool = False) -> list[str]:
    """A household of adults (and maybe a child) in the community's first building."""
    _seq[0] += 1
    household = household_register(
        actor=EDITOR, building_code=f"{community}001001", room=f"{_seq[0]:03d}", residence_type="registered"
    )
    refs = []
    people = [(name, 40) for name in names] + ([("王小宝", 8)] if child else [])
    for i, (name, age) in enumerate(people):
        birth = TODAY.replace(year=TODAY.year - age)
        _seq[0] += 1
        person = resident_add(
            actor=EDITOR,
            household=household,
            data=ResidentInput(
                name=name,
                gender="male",
                birth_date=birth,
                id_number=id_number_make("210103", birth, _seq[0] * 2 + 41, "male"),
                phone=f"1390000{_seq[0]:04d}",
                relation="self" if i == 0 else "child" if age < 18 else "spouse",
            ),
        )
        if age >= 18:  # the roll's adults only
            refs.append(str(person.public_id))
    return refs


@dataclass
class World:
    actors: dict
    users: dict
    villagers: list[str]  # public ids of the village's adults
    kind: MajorMatterKind  # the city's "assets" row


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(tree, people, clock) -> World:
    villagers: list[str] = []
    for n in range(HOUSEHOLDS):
        villagers += add_household(VILLAGE, [f"李{n}强", f"赵{n}芳"], child=n == 0)
    add_household(SHUIYUANDI, ["张建国"])
    extra = {
        "village_worker": make_user("village_worker", Role.COMMUNITY_WORKER, tree[VILLAGE]),
        "town_officer": make_user("town_officer", Role.STREET_OFFICER, tree["210103001000"]),
        "villager": make_user("villager", Role.RESIDENT, tree[VILLAGE]),
        "other_district_admin2": make_user("other_district_admin2", Role.DISTRICT_ADMIN, tree["210103000000"]),
    }
    resident_account_link(user=extra["villager"], community_path=VILLAGE)
    resident_account_link(user=people["resident"], community_path=SHUIYUANDI)
    users = {**people, **extra}
    return World(
        actors={name: actor_for_user(user) for name, user in users.items()} | {"anonymous": Actor.anonymous()},
        users=users,
        villagers=villagers,
        kind=MajorMatterKind.objects.get(path="", code="assets"),
    )


def seat_representatives(world: World, count: int = 9) -> None:
    for ref in world.villagers[:count]:
        svc.representative_add(
            actor=world.actors["village_worker"], path=VILLAGE, resident_ref=ref, since=TODAY - dt.timedelta(days=400)
        )


def proposed(world: World, **overrides) -> VillageMatter:
    values = {"path": VILLAGE, "kind_id": world.kind.pk, "title": "出租村集体仓库", "proposal": "将村东仓库出租五年"}
    return svc.matter_propose(actor=world.actors["village_worker"], data=svc.MatterInput(**(values | overrides)))


def meeting(step: str, **overrides) -> svc.StepInput:
    values = {"step": step, "minutes": "会议记录", "adopted_text": "同意出租，租期五年", "held_on": TODAY}
    return svc.StepInput(**(values | overrides))


def record(world: World, matter: VillageMatter, data: svc.StepInput, actor: str = "village_worker"):
    return svc.step_record(actor=world.actors[actor], public_id=matter.public_id, data=data)


def discussed(world: World) -> VillageMatter:
    matter = proposed(world)
    record(world, matter, meeting("discuss", present=7))
    return VillageMatter.objects.get(pk=matter.pk)


def deliberated(world: World) -> VillageMatter:
    matter = discussed(world)
    record(world, matter, meeting("deliberate", roll_total=20, present=15, votes_for=12))
    return VillageMatter.objects.get(pk=matter.pk)


def resolved(world: World) -> VillageMatter:
    """Resolved by a villagers' meeting: 12 adults, 7 present (more than half), 5 for."""
    matter = deliberated(world)
    record(world, matter, meeting("resolve", assembly="villagers", present=7, households_present=4, votes_for=5))
    return VillageMatter.objects.get(pk=matter.pk)


def approved(world: World) -> VillageMatter:
    matter = resolved(world)
    svc.matter_review(actor=world.actors["town_officer"], public_id=matter.public_id, approve=True)
    return VillageMatter.objects.get(pk=matter.pk)


def resolution_published(world: World) -> VillageMatter:
    matter = approved(world)
    record(world, matter, svc.StepInput(step="publish_resolution", public_until=TODAY + dt.timedelta(days=7)))
    return VillageMatter.objects.get(pk=matter.pk)


def done(world: World) -> VillageMatter:
    matter = resolution_published(world)
    data = svc.StepInput(
        step="publish_result", adopted_text="仓库已出租，租金入账", public_until=TODAY + dt.timedelta(days=10)
    )
    record(world, matter, data)
    return VillageMatter.objects.get(pk=matter.pk)
