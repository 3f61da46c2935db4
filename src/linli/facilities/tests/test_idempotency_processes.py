"""Eight processes registering one facility with one `Idempotency-Key` at the same moment create
exactly one facility; the other seven get the same answer, marked replayed."""

import pytest

from linli.core.tests.processes import post_at_once
from linli.facilities.models import Facility
from linli.facilities.tests.test_interfaces import BODY

PROCESSES = 8


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_key_from_many_processes_creates_exactly_one_facility(town):
    before = Facility.objects.count()
    answers = post_at_once(
        PROCESSES,
        town["users"]["planner"],
        "/api/v1/facilities/facilities",
        lambda: BODY,
        content_type="application/json",
    )
    assert [status for status, _, _ in answers] == [201] * PROCESSES, answers
    assert sorted(replayed or "" for _, replayed, _ in answers) == [""] + ["true"] * (PROCESSES - 1)
    assert len({answer["id"] for _, _, answer in answers}) == 1
    assert Facility.objects.count() == before + 1
