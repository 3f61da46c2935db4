"""Fixtures of the ventures tests: two organisations (partners keeps the register; here its two
selectors are stood in for, so these tests do not depend on its data), an organiser for each, a
call with three criteria and a two-person panel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

import pytest
from django.utils import timezone

from linli.accounts.domain import Role
from linli.accounts.selectors import actor_for_user
from linli.testing import make_user
from linli.ventures.services import (
    ApplicationInput,
    BudgetLineInput,
    CallInput,
    CriterionInput,
    application_save,
    application_submit,
    call_create,
    call_transition,
)

ORG_A = UUID("0190a000-0000-7000-8000-00000000000a")
ORG_B = UUID("0190a000-0000-7000-8000-00000000000b")


@dataclass(frozen=True)
class Brief:
    public_id: UUID
    name: str
    unit_path: str


BRIEFS = {
    ORG_A: Brief(ORG_A, "水源地社区邻里互助会", "210102001002"),
    ORG_B: Brief(ORG_B, "集贤社区为老服务社", "210102002001"),
}
SPEAKS_FOR = {"organiser": {ORG_A}, "other_organiser": {ORG_B}}


@pytest.fixture
def orgs(monkeypatch, people, tree):
    """partners' `org_ids_for` and `social_org_brief`, stood in for."""
    from linli.partners import selectors as partners

    monkeypatch.setattr(
        partners, "org_ids_for", lambda actor: frozenset(SPEAKS_FOR.get(actor.username, set())), raising=False
    )
    monkeypatch.setattr(partners, "social_org_brief", lambda public_id: BRIEFS.get(public_id), raising=False)
    people["other_organiser"] = make_user("other_organiser", Role.ORGANISER, tree["210102002001"])
    return BRIEFS


@pytest.fixture
def cast(actors, people, orgs):
    return actors | {"other_organiser": actor_for_user(people["other_organiser"])}


def call_input(**changes) -> CallInput:
    today = timezone.localdate()
    values = {
        "kind": "venture",
        "title": "2026年和平区社区公益创投",
        "unit_path": "210102",
        "opens_on": today - timedelta(days=5),
        "deadline": today + timedelta(days=10),
        "total_budget": "100000",
        "project_cap": "30000",
        "themes": ["为老服务", "儿童关爱"],
        "eligibility": "在本区登记或备案的社区社会组织",
        "criteria": [
            CriterionInput("需求分析", 30, 10),
            CriterionInput("项目设计", 40, 20),
            CriterionInput("预算合理性", 30, 5),
        ],
        "panel": ["street_officer", "district_admin"],
    }
    return CallInput(**(values | changes))


def application_input(**changes) -> ApplicationInput:
    values = {
        "org_id": ORG_A,
        "title": "银龄陪伴计划",
        "summary": "为独居老人提供每周上门陪伴",
        "beneficiaries_count": 60,
        "beneficiaries_who": "水源地社区独居老人",
        "outputs": "上门陪伴 480 人次",
        "budget": [BudgetLineInput("志愿者交通补贴", "8000"), BudgetLineInput("活动物料", "4000.50")],
        "themes": ["为老服务"],
    }
    return ApplicationInput(**(values | changes))


@pytest.fixture
def open_call(cast):
    call = call_create(actor=cast["civil_affairs_officer"], data=call_input())
    return call_transition(actor=cast["civil_affairs_officer"], call=call, action="open")


@pytest.fixture
def submitted(cast, open_call):
    """Two submitted applications, one per organisation."""
    a = application_save(actor=cast["organiser"], call=open_call, data=application_input())
    b = application_save(
        actor=cast["other_organiser"],
        call=open_call,
        data=application_input(org_id=ORG_B, title="四点半课堂", themes=["儿童关爱"]),
    )
    return [
        application_submit(actor=cast["organiser"], application=a),
        application_submit(actor=cast["other_organiser"], application=b),
    ]


@pytest.fixture
def reviewing(cast, open_call, submitted):
    call_transition(actor=cast["civil_affairs_officer"], call=open_call, action="review", note="提前截止：申报已齐")
    open_call.refresh_from_db()
    return open_call


DAY = date(2026, 12, 7)
MONEY = Decimal
