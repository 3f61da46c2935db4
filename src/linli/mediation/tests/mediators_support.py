"""Mediator pool and screening test support: a clock on 2026-12-07 (a Monday), a judicial officer
of 和平区, a street's mediator account, and disputes written straight into the table (the intake
stage's services are tested on their own; here only the rows they leave matter).

The small tree: 浑河湾街道 210102001 (水源地 …002, 浑河湾 …003), 集贤街道 210102002 (集贤 …001),
滨河街道 210103001 in 沈河区 (滨河 …001, 前进村 …201)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from linli.accounts.domain import Role
from linli.accounts.selectors import actor_for_user
from linli.mediation.models import Dispute, DisputeKind, DisputeStep, Mediator
from linli.mediation.services.mediators import MediatorInput, mediator_add
from linli.testing import make_user

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()
DISTRICT, STREET, OTHER_STREET = "210102", "210102001", "210102002"
SHUIYUANDI, HUNHEWAN, JIXIAN, BINHE = "210102001002", "210102001003", "210102002001", "210103001001"
_serial = [0]


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def judicial(tree):
    """The district's judicial officer (keeps the pool and the dispute kinds)."""
    return actor_for_user(make_user("judicial_officer", Role.JUDICIAL_OFFICER, tree["210102000000"]))


@pytest.fixture
def street_judicial(tree):
    """A street's judicial office (司法所): keeps the pool, not the kinds."""
    return actor_for_user(make_user("street_judicial", Role.JUDICIAL_OFFICER, tree["210102001000"]))


def mediator(actor, kind: str, path: str, name: str, **kw) -> Mediator:
    data = MediatorInput(kind=kind, name=name, path=path, phone=kw.pop("phone", "13812345678"), **kw)
    return mediator_add(actor=actor, data=data).mediator


def dispute(path: str, state: str, *, mediator: Mediator | None = None, kind: str = "neighbour", **kw) -> Dispute:
    """A dispute row as the intake stage leaves it (facts sealed by that stage; a stand-in here)."""
    _serial[0] += 1
    registered = kw.pop("registered_on", TODAY)
    now = timezone.now()
    return Dispute.objects.create(
        number=f"TJ{path}{registered:%Y%m%d}{_serial[0]:05d}",
        path=path,
        kind=DisputeKind.objects.get(code=kind),
        level="community",
        source="window",
        title="邻里噪音",
        facts_sealed="sealed",
        state=state,
        mediator=mediator,
        registered_on=registered,
        registered_by_name="tests",
        created_at=now,
        updated_at=now,
        **kw,
    )


def outcome(d: Dispute, state: str, at: dt.datetime | None = None) -> None:
    """The step into agreed or failed that the sessions stage writes."""
    DisputeStep.objects.create(
        dispute=d, action=state, from_state="mediating", to_state=state, by_name="tests", at=at or timezone.now()
    )
