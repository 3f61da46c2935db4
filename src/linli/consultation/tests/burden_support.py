"""Burden test support: a clock on a Monday; a district list row in 和平区 (210102) besides the
city's shipped example rows; a resident of 水源地社区 in the pool; helpers that file and decide a
department's request. The `department_officer` of `testing.py` is the district's civil affairs."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from linli.consultation.models import CertificateKind
from linli.consultation.services import burden as svc
from linli.core.actor import Actor
from linli.residents.domain import id_number_make
from linli.residents.services import ResidentInput, household_register, resident_add

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()
DISTRICT, OTHER_DISTRICT = "210102", "210103"
SHUIYUANDI, HUNHEWAN, JIXIAN = "210102001002", "210102001003", "210102002001"
EDITOR = Actor.system("burden-tests", permissions=frozenset({"residents.view", "residents.edit"}), root_path="2101")


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def kind(tree, clock):
    """A district row: 和平区's own 居住证明 for a 居住证 application (from 2026-01-01)."""
    return CertificateKind.objects.create(
        path=DISTRICT,
        code="hp-residence",
        name="居住证明",
        legal_basis="区保留证明清单第1项",
        since=dt.date(2026, 1, 1),
    )


@pytest.fixture
def zhang(tree):
    household = household_register(
        actor=EDITOR, building_code=f"{SHUIYUANDI}001001", room="101", residence_type="registered"
    )
    birth = dt.date(1980, 3, 1)
    return resident_add(
        actor=EDITOR,
        household=household,
        data=ResidentInput(
            name="张建国",
            gender="male",
            birth_date=birth,
            id_number=id_number_make("210102", birth, 41, "male"),
            phone="13900001234",
            relation="self",
        ),
    )


def department_id(actor) -> int:
    return next(iter(actor.department_ids))


def request_input(actor, **changes) -> svc.RequestInput:
    values: dict[str, Any] = {
        "department_id": department_id(actor),
        "title": "老年人能力评估入户",
        "legal_basis": "《辽宁省养老服务条例》（示例）",
        "work": "每季度入户评估辖区高龄老人",
        "funds_amount": Decimal("12000.00"),
        "funds_source": "区民政局养老服务经费",
    }
    return svc.RequestInput(**(values | changes))


def filed(actor, **changes):
    return svc.task_request_file(actor=actor, data=request_input(actor, **changes))


def issue_input(kind_id, **changes) -> svc.CertificateInput:
    values = {"path": SHUIYUANDI, "kind_id": kind_id, "purpose": "办理居住证", "subject_name": "王小明"}
    return svc.CertificateInput(**(values | changes))
