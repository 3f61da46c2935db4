"""慧评理 test support: a clock on a working Monday and the people of the reading matrix — the two
sides (residents of 水源地社区 210102001002), a stranger resident, a reasoner of 水源地 and one of
浑河湾 (a sibling community), a mediator of 水源地, and the staff from the shared `people` (in
area: community worker, street officer; out of area: the other community's worker, the other
district's administrator) — plus a helper that starts and joins a case."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from importlib import import_module

import pytest
import time_machine

from linli.accounts.domain import Role
from linli.accounts.selectors import actor_for_user
from linli.core.actor import Actor
from linli.mediation.models import ReasoningCase
from linli.mediation.services.reasoning import reasoning_join, reasoning_start
from linli.testing import make_user

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()
SHUIYUANDI, HUNHEWAN = "210102001002", "210102001003"
STARTER_SAYS = "王大妈家的狗每天早上六点叫，我打过13812345678跟她说过"
OTHER_SAYS = "狗是早上出去遛的时候叫，我已经尽量晚一点出门"


@dataclass
class People:
    starter: Actor  # the shared `resident` account (display name "resident")
    other: Actor  # "王大妈"
    stranger: Actor
    reasoner: Actor
    other_reasoner: Actor
    mediator: Actor
    actors: dict


def _actor(username: str, role: str | None, place, display_name: str = "") -> Actor:
    user = make_user(username, role, place)
    if display_name:
        user.display_name = display_name
        user.save(update_fields=["display_name"])
    return actor_for_user(user)


@pytest.fixture
def reasoning_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def kinds_shipped() -> None:
    """The dispute kinds the migration ships (a transactional test's flush removed them)."""
    from django.apps import apps

    from linli.mediation.models import DisputeKind

    if not DisputeKind.objects.exists():
        import_module("linli.mediation.migrations.0002_append_only_and_kinds").kinds_seed(apps, None)


@pytest.fixture
def rp(tree, actors, reasoning_clock) -> People:
    kinds_shipped()
    shuiyuandi, hunhewan = tree[SHUIYUANDI], tree[HUNHEWAN]
    reasoner_user = make_user("reasoner", Role.RESIDENT, shuiyuandi)
    from linli.accounts.services import posting_add
    from linli.testing import SYSTEM

    posting_add(actor=SYSTEM, user=reasoner_user, role=Role.REASONER, place=shuiyuandi)
    other_reasoner_user = make_user("other_reasoner", Role.REASONER, hunhewan)
    return People(
        starter=actors["resident"],
        other=_actor("neighbour", Role.RESIDENT, shuiyuandi, "王大妈"),
        stranger=_actor("stranger", Role.RESIDENT, shuiyuandi),
        reasoner=actor_for_user(reasoner_user),
        other_reasoner=actor_for_user(other_reasoner_user),
        mediator=_actor("mediator", Role.MEDIATOR, shuiyuandi),
        actors=actors,
    )


def started(people: People, title: str = "楼下狗叫扰民") -> ReasoningCase:
    return reasoning_start(actor=people.starter, kind="neighbour", title=title, statement=STARTER_SAYS)


def opened(people: People) -> ReasoningCase:
    case = started(people)
    return reasoning_join(actor=people.other, code=case.code, statement=OTHER_SAYS)
