"""Disputes test support: a clock on a working Monday, two pool residents of 水源地社区
(210102001002) — one of them the `resident` account's person —, a resident of 集贤社区 (a sibling
street), the mediators of 水源地 (a committee member with an account, `mediator`), of its street
(a full-time mediator) and of the district (an expert), and a registering helper."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

import pytest
import time_machine
from django.utils import timezone

from linli.accounts.domain import Role
from linli.accounts.selectors import actor_for_user
from linli.areas.models import Department
from linli.core.actor import Actor
from linli.core.crypto import mask_phone, seal
from linli.mediation.domain.mediators import PHONE_CONTEXT as MEDIATOR_PHONE
from linli.mediation.models import Dispute, Mediator
from linli.mediation.services.intake import DisputeInput, PartyInput, dispute_assign, dispute_register, party_consent
from linli.residents.domain import id_number_make
from linli.residents.services import ResidentInput, household_register, resident_account_link, resident_add
from linli.testing import make_user

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()
SHUIYUANDI, HUNHEWAN, JIXIAN, STREET, DISTRICT = "210102001002", "210102001003", "210102002001", "210102001", "210102"
EDITOR = Actor.system("disputes-tests", permissions=frozenset({"residents.view", "residents.edit"}), root_path="2101")
FACTS = "楼上住户装修噪音持续到深夜，多次协商未果"
OUTSIDER_PHONE = "13912345678"
_seq = [0]


def add_resident(community: str, name: str, *, head: bool = True) -> str:
    """A resident (head of a new household) in the community's first building; their public id."""
    _seq[0] += 1
    birth = TODAY.replace(year=TODAY.year - 45)
    household = household_register(
        actor=EDITOR, building_code=f"{community}001001", room=f"{_seq[0]:03d}", residence_type="registered"
    )
    person = resident_add(
        actor=EDITOR,
        household=household,
        data=ResidentInput(
            name=name,
            gender="male",
            birth_date=birth,
            id_number=id_number_make("210102", birth, _seq[0] * 2 + 41, "male"),
            phone=f"1380000{_seq[0]:04d}",
            relation="self",
        ),
    )
    return str(person.public_id)


def add_mediator(path: str, kind: str, name: str, *, user=None, person_ref=None, phone: str = "") -> Mediator:
    return Mediator.objects.create(
        path=path,
        kind=kind,
        name=name,
        user=user,
        person_ref=person_ref,
        phone_sealed=seal(phone, context=MEDIATOR_PHONE) if phone else "",
        phone_masked=mask_phone(phone) if phone else "",
        since=TODAY - dt.timedelta(days=300),
        created_at=timezone.now(),
    )


@dataclass
class World:
    actors: dict
    users: dict
    zhang: str  # 水源地, the `resident` account's person (applicant)
    li: str  # 水源地 (respondent)
    sun: str  # 集贤 (another street)
    committee: Mediator  # 水源地's committee member, with the `mediator` account
    full_time: Mediator  # the street's full-time mediator
    expert: Mediator  # the district's expert
    far: Mediator  # 集贤's committee member (not a candidate for 水源地)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(tree, people, clock) -> World:
    zhang = add_resident(SHUIYUANDI, "张建国")
    resident_account_link(user=people["resident"], community_path=SHUIYUANDI)
    li = add_resident(SHUIYUANDI, "李明")
    sun = add_resident(JIXIAN, "孙强")
    extra = {
        "mediator": make_user("mediator", Role.MEDIATOR, tree[SHUIYUANDI]),
        "police_officer": make_user(
            "police_officer", Role.POLICE_OFFICER, Department.objects.get(path=DISTRICT, kind="police")
        ),
        "other_street_officer": make_user("other_street_officer", Role.STREET_OFFICER, tree["210102002000"]),
    }
    users = {**people, **extra}
    committee = add_mediator(SHUIYUANDI, "committee", "王调解", user=extra["mediator"])
    return World(
        actors={name: actor_for_user(user) for name, user in users.items()} | {"anonymous": Actor.anonymous()},
        users=users,
        zhang=zhang,
        li=li,
        sun=sun,
        committee=committee,
        full_time=add_mediator(STREET, "full_time", "赵专职"),
        expert=add_mediator(DISTRICT, "expert", "钱专家"),
        far=add_mediator(JIXIAN, "committee", "周调解"),
    )


def dispute_input(world: World, **overrides) -> DisputeInput:
    values = {
        "kind": "neighbour",
        "facts": FACTS,
        "claim": "请求晚十点后停止施工",
        "title": "装修噪音",
        "parties": [
            PartyInput(side="applicant", person_ref=world.zhang),
            PartyInput(side="respondent", name="陈外来", phone=OUTSIDER_PHONE, address="水源地3号楼"),
        ],
    }
    return DisputeInput(**(values | overrides))


def registered(world: World, actor: str = "community_worker", **overrides) -> Dispute:
    return dispute_register(actor=world.actors[actor], data=dispute_input(world, **overrides))


def accepted(world: World, **overrides) -> Dispute:
    dispute = registered(world, **overrides)
    for party in dispute.parties.all():
        dispute = party_consent(
            actor=world.actors["community_worker"], dispute=dispute, party_id=party.pk, consent="agreed"
        )
    return dispute


def mediating(world: World, **overrides) -> Dispute:
    dispute = accepted(world, **overrides)
    return dispute_assign(
        actor=world.actors["community_worker"], dispute=dispute, mediator_id=world.committee.public_id
    )
