"""Fixtures and helpers of the roll's tests (imported by `test_roll_*.py`): a clock on a working
Monday, households' facts the rules classify as intended, determinations made through the rules,
and households enrolled through `roll_enrol`."""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from decimal import Decimal

import pytest
import time_machine

from linli.core.crypto import seal
from linli.welfare.models import Determination
from linli.welfare.rules.facts import WAGE, Household, Income, Member, facts_to_json

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()
SHUIYUANDI = "210102001002"  # the community worker's community
HUNHEWAN = "210102001003"  # the other community worker's
BUILDING = "210102001002001001"
OTHER_BUILDING = "210102001003001001"


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def facts(*, wage: str = "0", members: int = 2, area: str = "urban", age: int = 45, deposits: str = "0") -> Household:
    """A household of `members` adults of `age`, the first earning `wage` a month."""
    people = []
    for n in range(members):
        incomes = (Income(WAGE, Decimal(wage)),) if n == 0 and Decimal(wage) else ()
        people.append(
            Member(
                ref=f"outside-{n + 1}",
                birth_date=dt.date(TODAY.year - age, 3, 1),
                employed=bool(incomes),
                incomes=incomes,
            )
        )
    return Household(area=area, members=tuple(people), deposits=Decimal(deposits))


def determination(household: Household, *, path: str = BUILDING, on: dt.date = TODAY, ref=None) -> Determination:
    """A determination through the rules (as the applications stage makes it at the decision)."""
    from linli.welfare.selectors.rules import rules_determine

    result = rules_determine(household, on)
    return Determination.objects.create(
        household_ref=ref or uuid.uuid4(),
        path=path,
        area=household.area,
        on=on,
        assistance_class=result.assistance_class,
        monthly_amount=result.monthly_amount,
        members=result.members,
        facts_sealed=seal(facts_to_json(household), context="welfare.facts"),
        trace_sealed=seal(result.trace_json(), context="welfare.trace"),
        parameters_digest=result.parameters_digest,
        rules_version=result.rules_version,
    )


def enrol(actors, household: Household, *, head: str = "张三明", path: str = BUILDING, on: dt.date = TODAY):
    from linli.welfare.services.roll import roll_enrol

    made = determination(household, path=path, on=on)
    return roll_enrol(actor=actors["civil_affairs_officer"], determination=made, head_name=head, decided_on=on)


def standard(on: dt.date = TODAY) -> Decimal:
    from linli.welfare.selectors.rules import rules_parameter

    return rules_parameter("dibao.standard.urban", on)


@pytest.fixture(autouse=False)
def rules_api(monkeypatch):
    """The rules stage's selectors (`rules_determine`, `rules_determine_many`, `rules_parameter`);
    while they are not in the tree, the same functions over the engine with no city edits."""
    import importlib
    import sys
    import types

    try:
        importlib.import_module("linli.welfare.selectors.rules")
    except ImportError:
        from linli.welfare.rules import engine

        shim = types.ModuleType("linli.welfare.selectors.rules")
        shim.rules_determine = lambda household, on: engine.determine(household, on)  # type: ignore[attr-defined]
        shim.rules_determine_many = lambda households, on: engine.determine_many(households, on)  # type: ignore[attr-defined]
        shim.rules_parameter = lambda name, on: engine.parameter_value(name, on)  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "linli.welfare.selectors.rules", shim)
    yield
