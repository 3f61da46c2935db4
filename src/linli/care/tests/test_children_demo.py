# ruff: noqa: F811 (the stage's fixtures are imported from children_support)
"""The children's demo on the small tree: through the services, each part present, idempotent."""

from __future__ import annotations

import pytest

from linli.accounts.domain import Role
from linli.care.demo_children import demo_generate
from linli.care.models import (
    ChildCare,
    ChildDirector,
    ChildFacilityActivity,
    ChildFacilityOpening,
    ChildVisit,
    HarmReport,
)
from linli.care.tests.children_support import SHUIYUANDI, add_child, clock  # noqa: F401 (fixtures)
from linli.testing import make_user

pytestmark = pytest.mark.django_db


def _counts():
    return tuple(
        m.objects.count()
        for m in (ChildCare, ChildDirector, ChildVisit, ChildFacilityOpening, ChildFacilityActivity, HarmReport)
    )


def test_demo_makes_every_part_once(tree, people, clock):
    make_user("demo_community_worker", Role.COMMUNITY_WORKER, tree[SHUIYUANDI])
    for n in range(4):
        add_child(SHUIYUANDI, f"儿童{n}")
    add_child("210102001003", "浑河湾儿童")
    logged: list[str] = []
    demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=logged.append)
    cares, directors, visits, openings, activities, reports = _counts()
    assert cares == 5 and directors == 2 and reports == 1
    assert visits >= 4 * 4 and openings > 0 and activities > 0
    assert ChildDirector.objects.filter(path=SHUIYUANDI).count() == 1
    assert logged[0].startswith("儿童之家 children's homes:")
    assert len(logged) == 6
    demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=logged.append)
    assert _counts() == (cares, directors, visits, openings, activities, reports)
