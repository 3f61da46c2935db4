"""Fixtures of the time bank: the test resident registered as a volunteer in 水源地社区 with
approved hours credited through the volunteers app (its `hours_approved` signal and our
receiver), and a second volunteer the community worker recorded (a provider)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

import pytest
from django.utils import timezone

from linli.residents.domain import id_number_make
from linli.volunteers.selectors import volunteer_by_public_id
from linli.volunteers.services import HoursInput, VolunteerInput, hours_proxy, volunteer_register

SHUIYUANDI = "210102001002"
HUNHEWAN = "210102001003"


def id_for(n: int) -> str:
    return id_number_make("210102", date(1950 + n, 3, 14), n, "female")


def register(actor, n: int, name: str, path: str = SHUIYUANDI, *, for_self: bool = True):
    data = VolunteerInput(name=name, id_number=id_for(n), phone="13812345678" if for_self else "", registered_path=path)
    return volunteer_register(actor=actor, data=data, for_self=for_self)


def give_hours(actor, volunteer, minutes: int, days_ago: int = 1, path: str = SHUIYUANDI):
    start = timezone.now().replace(hour=1, minute=0, second=0, microsecond=0) - timedelta(days=days_ago)
    return hours_proxy(
        actor=actor,
        volunteer=volunteer_by_public_id(volunteer.public_id),
        data=HoursInput(description="助老服务", started_at=start, minutes=minutes, served_path=path),
    )


@dataclass
class Bank:
    me: UUID  # the resident's volunteer id
    provider: UUID
    other_community: UUID  # registered in 浑河湾社区


@pytest.fixture
def bank(actors) -> Bank:
    worker = actors["community_worker"]
    me = register(actors["resident"], 11, "李秀兰")
    give_hours(worker, me, 240, days_ago=1)
    give_hours(worker, me, 60, days_ago=2)
    provider = register(worker, 12, "王桂芝", for_self=False)
    other = register(actors["other_community_worker"], 13, "赵淑琴", HUNHEWAN, for_self=False)
    return Bank(me=me.public_id, provider=provider.public_id, other_community=other.public_id)
