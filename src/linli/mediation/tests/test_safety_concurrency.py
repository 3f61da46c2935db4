# ruff: noqa: F811 (the stage's fixtures are imported from safety_support)
"""Safety under concurrent use (PostgreSQL): two managers linking two officers to one community
at once leave one active beat; two recomputations of a month at once store one row per community."""

import pytest

from linli.mediation.models import FourZeroStatus, PoliceBeat
from linli.mediation.services import safety as svc
from linli.mediation.tests.safety_support import NOVEMBER, TODAY, clock, police  # noqa: F401 (fixtures)
from linli.testing import empty_append_only_tables, run_at_once

HUNHEWAN = "210102001003"


@pytest.fixture
def safe(police):
    yield police
    empty_append_only_tables()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_for_one_community_at_once_make_one_beat(safe, actors):
    officers = [safe["users"]["officer"].pk, safe["users"]["spare_officer"].pk]
    managers = [actors["street_officer"], actors["district_admin"]]

    def link(i):
        svc.beat_set(actor=managers[i], community_path=HUNHEWAN, user_id=officers[i], since=TODAY)

    assert sorted(run_at_once(2, link)) == ["conflict", "ok"]
    assert PoliceBeat.objects.filter(path=HUNHEWAN, until__isnull=True).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_recomputations_at_once_store_one_row_per_community(safe):
    assert run_at_once(2, lambda _: svc.four_zero_compute(under="2101", month=NOVEMBER)) == ["ok", "ok"]
    assert FourZeroStatus.objects.filter(month=NOVEMBER).count() == 5
