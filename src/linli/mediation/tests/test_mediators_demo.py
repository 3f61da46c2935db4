# ruff: noqa: F811 (the stage's fixtures are imported from mediators_support)
"""The demo pool and screenings on the small tree: gaps that show red, the demo mediator's
account linked (not made again), a year of screenings with some overdue; a second run adds
nothing."""

from __future__ import annotations

import pytest

from linli.accounts.domain import Role
from linli.accounts.models import Posting
from linli.mediation.demo_mediators import demo_generate as mediators_demo
from linli.mediation.demo_screening import demo_generate as screening_demo
from linli.mediation.models import DisputeScreening, Mediator, MediatorTraining
from linli.mediation.selectors.mediators import staffing_check
from linli.mediation.tests.mediators_support import SHUIYUANDI, clock  # noqa: F401
from linli.testing import make_user

pytestmark = pytest.mark.django_db


def test_the_demo_pool_and_screenings(tree, actors, clock):
    user = make_user("demo_mediator", Role.MEDIATOR, tree[SHUIYUANDI])
    city = tree["210100000000"].path
    for _ in range(2):
        mediators_demo(city_path=city, showcase_path=SHUIYUANDI, log=lambda _m: None)
        screening_demo(city_path=city, showcase_path=SHUIYUANDI, log=lambda _m: None)
    showcase = Mediator.objects.get(path=SHUIYUANDI, kind="committee")
    assert showcase.user_id == user.pk and Posting.objects.filter(user=user).count() == 1
    assert Mediator.objects.filter(kind="volunteer").count() == 3
    assert MediatorTraining.objects.exists()
    report = staffing_check(actor=actors["district_admin"])
    assert [(s.name, s.mark) for s in report.streets] == [("浑河湾街道", "green"), ("集贤街道", "red")]
    assert [c.mark for c in report.communities] == ["green", "green", "green"]  # a gap is one in nine
    months = DisputeScreening.objects.filter(path=SHUIYUANDI).count()
    assert months == 11  # the last month left to file
    assert DisputeScreening.objects.filter(path="210102001003").count() in (11, 12)
    assert not DisputeScreening.objects.filter(path__startswith="210103").exists()
