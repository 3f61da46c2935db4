"""The `pool` fixture: a few households, residents, care groups and a visit, built through the
services. It lives here rather than in `linli.testing` so that the shared fixtures module does
not import `linli.residents` (areas' tests import `linli.testing`; the layer contract forbids
areas → residents, even through a helper)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from linli.core.actor import Actor
from linli.residents.domain import CareKind, id_number_make
from linli.residents.services import (
    ResidentInput,
    care_membership_add,
    home_visit_record,
    household_register,
    resident_add,
)

POOL_PHONE = "13812345678"
POOL_NOTES = "独居，行动不便"


@pytest.fixture
def pool(people):
    """A few households built through the services: two in 水源地社区 (grid 001), one in its
    sibling 浑河湾社区 and one in 沈河区's 滨河社区; an elderly man living alone (weekly visits)
    visited ten days ago, so he is overdue; a dibao member never visited."""
    actor = Actor.system(
        "pool",
        permissions=frozenset({"residents.view", "residents.edit", "residents.visit"}),
        root_path="2101",
    )

    def person(household, name, birth, seq, gender="male", **extra):
        data = ResidentInput(
            name=name, gender=gender, birth_date=birth, id_number=id_number_make("210102", birth, seq, gender), **extra
        )
        household.refresh_from_db()  # as a fresh request would see it (resident_add reads head_id)
        return resident_add(actor=actor, household=household, data=data)

    home = household_register(
        actor=actor, building_code="210102001002001001", room="1-101", residence_type="registered"
    )
    zhang = person(home, "张建国", date(1948, 3, 4), 11, phone=POOL_PHONE, notes=POOL_NOTES)
    care_membership_add(actor=actor, resident=zhang, kind=CareKind.ELDERLY_ALONE, started_on=date(2024, 1, 1))
    visitor = Actor(
        user_id=people["community_worker"].pk,
        username="community_worker",
        permissions=frozenset({"residents.visit"}),
        scope_paths=("2101",),
    )
    home_visit_record(
        actor=visitor, household=home, visited_at=timezone.now() - timedelta(days=10), findings="一切正常"
    )
    next_door = household_register(
        actor=actor, building_code="210102001002001001", room="1-102", residence_type="permanent"
    )
    li = person(next_door, "李秀英", date(1970, 6, 1), 22, gender="female", phone="13900001111")
    wang = person(next_door, "王小明", date(2012, 9, 9), 33, relation="child")
    # 低保 follows from social assistance's determination: welfare's officer sets it, not the pool
    welfare = Actor.system("welfare", permissions=frozenset({"welfare.decide"}), root_path="2101")
    care_membership_add(actor=welfare, resident=li, kind=CareKind.DIBAO, started_on=date(2024, 1, 1), determined=True)
    sibling = household_register(
        actor=actor, building_code="210102001003001001", room="2-202", residence_type="registered"
    )
    zhao = person(sibling, "赵德胜", date(1960, 1, 1), 44, phone="13700002222")
    far = household_register(actor=actor, building_code="210103001001001001", room="3-303", residence_type="floating")
    qian = person(far, "钱海燕", date(1985, 5, 5), 56, gender="female")
    return {
        "actor": actor,
        "home": home,
        "next_door": next_door,
        "sibling": sibling,
        "far": far,
        "zhang": zhang,
        "li": li,
        "wang": wang,
        "zhao": zhao,
        "qian": qian,
        "phone": POOL_PHONE,
        "notes": POOL_NOTES,
    }


# Who sees 张建国 (水源地社区, grid 001): the role × scope matrix both the API and the pages test;
# everyone else gets the same 404 as for a missing id.
SEES_ZHANG = {
    "grid_worker": True,
    "community_worker": True,
    "other_community_worker": False,
    "street_officer": True,
    "department_officer": True,
    "district_admin": True,
    "other_district_admin": False,
    "city_admin": True,
    "auditor": False,
    "resident": False,
    "no_posting": False,
}
MATRIX = sorted(SEES_ZHANG.items())
