# ruff: noqa: F811 (pytest fixtures imported from orders_support)
"""The orders demo on the small tree: providers with the demo dispatcher and carer linked, three
months of visits, the demo resident's mother with orders in several states; a second run adds
nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from linli.accounts.domain import Role
from linli.areas.models import Building
from linli.care.demo_orders import demo_generate
from linli.care.models import FamilyLink, Order, Provider, ProviderMember, Visit
from linli.care.tests.orders_support import SHUIYUANDI, clock, person  # noqa: F401
from linli.testing import make_user

pytestmark = pytest.mark.django_db


def test_the_demo_makes_orders_and_visits_once(tree, clock):
    Building.objects.filter(path__startswith="210102").update(lat=41.77, lng=123.43)
    for seq, born in enumerate((dt.date(1938, 1, 2), dt.date(1941, 3, 4), dt.date(1950, 6, 7)), start=1):
        person(SHUIYUANDI, f"{seq}-101", f"老人{seq}", born, 40 + seq)
    resident = make_user("demo_resident", Role.RESIDENT, tree[SHUIYUANDI])
    person("210102001003", "9-901", "女儿", dt.date(1970, 1, 1), 50, user=resident)
    make_user("demo_community_worker", Role.COMMUNITY_WORKER, tree[SHUIYUANDI])
    make_user("demo_care_provider", Role.CARE_PROVIDER, tree["210102001000"])
    make_user("demo_carer", Role.CARER, tree["210102001000"])
    lines = []
    demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=lines.append)
    counts = (Provider.objects.count(), Order.objects.count(), Visit.objects.count())
    assert counts[0] >= 4 and counts[1] > 10 and counts[2] > 10
    assert set(ProviderMember.objects.values_list("user__username", "kind")) == {
        ("demo_care_provider", "dispatcher"),
        ("demo_carer", "carer"),
    }
    link = FamilyLink.objects.get(user=resident)
    states = sorted(
        Order.objects.filter(person_ref=link.person_ref, number__regex=r"^YL\d{8}0").values_list("state", flat=True)
    )
    assert states == ["accepted", "approved", "completed", "placed"]
    assert all(" " in line and line.rsplit(": ", 1)[1].isdigit() for line in lines)
    demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=lines.append)
    assert (Provider.objects.count(), Order.objects.count(), Visit.objects.count()) == counts
