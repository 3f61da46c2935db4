"""Row locks on PostgreSQL: two volunteers racing for the last place of a shift; one check-in
costs a fixed, small number of queries."""

import pytest
import time_machine

from linli.testing import empty_append_only_tables, run_at_once
from linli.volunteers.models import SignUp
from linli.volunteers.services import check_in_or_out, signup_create, volunteer_register
from linli.volunteers.tests.conftest import LAT, LNG, at, volunteer_input


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_last_place_goes_to_one_of_two(actors, activity):
    try:
        last = activity.shifts.order_by("starts_at").last()  # one place
        worker = actors["community_worker"]
        racers = [
            volunteer_register(actor=worker, data=volunteer_input(81 + 2 * n, phone=""), for_self=False)
            for n in range(2)
        ]
        outcomes = run_at_once(2, lambda i: signup_create(actor=worker, shift_id=last.public_id, volunteer=racers[i]))
        assert sorted(outcomes) == ["conflict", "ok"]
        assert SignUp.objects.filter(shift=last).count() == 1
    finally:
        empty_append_only_tables()


def test_check_in_and_out_query_counts_are_pinned(
    actors, volunteer, activity, django_assert_max_num_queries, monkeypatch
):
    """Our own queries: the time bank's receiver is left out (it pins its own)."""
    from linli.volunteers.signals import hours_approved

    monkeypatch.setattr(hours_approved, "receivers", [])
    shift = activity.shifts.order_by("starts_at").first()
    signup_create(actor=actors["resident"], shift_id=shift.public_id)
    with time_machine.travel(at(9, 0, days=1), tick=False), django_assert_max_num_queries(9):
        check_in_or_out(actor=actors["resident"], activity=activity, lat=LAT, lng=LNG)
    with time_machine.travel(at(10, 0, days=1), tick=False), django_assert_max_num_queries(8):
        result = check_in_or_out(actor=actors["resident"], activity=activity, lat=LAT, lng=LNG)
    assert result.checked_out and result.hours.minutes == 60
