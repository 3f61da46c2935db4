"""Entitlements test support: a clock on a working Monday, elders in 水源地社区 (210102001002) and
浑河湾社区 (210102001003) made through the pool's services, a city civil-affairs officer (who
edits the list), answers to the assessment form for a chosen total."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine

from linli.accounts.domain import Role
from linli.accounts.selectors import actor_for_user
from linli.care.domain.entitlements import assessment_form
from linli.core.actor import Actor
from linli.residents.domain import id_number_make
from linli.residents.selectors import care_person_by_ref
from linli.residents.services import ResidentInput, care_membership_add, household_register, resident_add
from linli.testing import make_user

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)  # a working Monday
TODAY = NOW.date()
SHUIYUANDI = "210102001002"
HUNHEWAN = "210102001003"
EDITOR = Actor.system(
    "entitlements-tests", permissions=frozenset({"residents.view", "residents.edit"}), root_path="2101"
)
_seq = [100]


def born(age: int) -> dt.date:
    return TODAY.replace(year=TODAY.year - age) - dt.timedelta(days=10)


def elder(community: str, room: str, name: str, age: int, *, kinds=(), disability: str = "", user=None, grid: int = 1):
    """A resident living alone in the first building of the community's grid; returns the CarePerson."""
    household = household_register(
        actor=EDITOR, building_code=f"{community}{grid:03d}001", room=room, residence_type="registered"
    )
    _seq[0] += 1
    resident = resident_add(
        actor=EDITOR,
        household=household,
        data=ResidentInput(
            name=name,
            gender="female",
            birth_date=born(age),
            id_number=id_number_make("210102", born(age), _seq[0], "female"),
            relation="self",
            disability=disability,
            sensitive_consent="written" if disability else "",
        ),
    )
    for kind in kinds:
        care_membership_add(
            actor=EDITOR,
            resident=resident,
            kind=kind,
            started_on=TODAY - dt.timedelta(days=30),
            determined=kind in ("dibao", "tekun"),
            consent_method="written" if kind == "disabled" else "",
        )
    if user is not None:
        resident.user = user
        resident.save(update_fields=["user"])
    return care_person_by_ref(resident.public_id)


def answers_for(total: int) -> dict[str, int]:
    """Answers summing to `total` (the highest scores first, the rest lowered from the end)."""
    form = assessment_form()
    answers = {q.code: q.top for q in form.questions}
    excess = form.top - total
    for question in reversed(form.questions):
        cut = min(excess, question.top)
        answers[question.code] -= cut
        excess -= cut
    return answers


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def city_officer(tree):
    return actor_for_user(make_user("city_civil_affairs", Role.CIVIL_AFFAIRS_OFFICER, tree["210100000000"]))
