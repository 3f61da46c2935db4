"""Support cases at once (PostgreSQL row locks and the unique number): two leads filed at the same
moment get two numbers; two closings of one case close it once; an entry racing a closing is
either recorded before it or refused after it."""

import pytest

from linli.mediation.domain.support import EntryKind
from linli.mediation.models import SupportCase, SupportEntry
from linli.mediation.services.support import support_case_close, support_entry_add, support_lead_file
from linli.mediation.tests.support_support import SEEN, SHUIYUANDI, TODAY, clock, open_case, world
from linli.testing import empty_append_only_tables, run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
__all__ = ["clock", "world"]


@pytest.fixture(autouse=True)
def _flushable():
    yield
    empty_append_only_tables()


def test_two_leads_at_once_get_two_numbers(world):
    filers = [world.actors["grid_worker"], world.actors["community_worker"]]
    outcomes = run_at_once(
        2, lambda i: support_lead_file(actor=filers[i], name=f"某人{i}", path=SHUIYUANDI, what_was_seen=SEEN)
    )
    assert outcomes == ["ok", "ok"]
    numbers = sorted(SupportCase.objects.values_list("number", flat=True))
    assert numbers == [f"BF{TODAY:%Y%m%d}00001", f"BF{TODAY:%Y%m%d}00002"]


def test_two_closings_at_once_close_once(world):
    case = open_case(world)
    officers = [world.actors["judicial_officer"], world.actors["district_judicial_officer"]]
    outcomes = run_at_once(
        2,
        lambda i: support_case_close(
            actor=officers[i], public_id=case.public_id, reason="矫正期满解除", confirmed=True
        ),
    )
    assert sorted(outcomes) == ["conflict", "ok"]
    assert SupportCase.objects.filter(pk=case.pk, state="closed").count() == 1


def test_an_entry_racing_the_closing_is_recorded_before_it_or_refused(world):
    case = open_case(world, assigned="community_worker")
    judicial, worker = world.actors["judicial_officer"], world.actors["community_worker"]

    def work(i: int) -> None:
        if i == 0:
            support_case_close(actor=judicial, public_id=case.public_id, reason="矫正期满解除", confirmed=True)
        else:
            support_entry_add(actor=worker, public_id=case.public_id, kind=EntryKind.VISIT, on=TODAY, note="走访")

    outcomes = run_at_once(2, work)
    entries = SupportEntry.objects.filter(case=case).count()
    assert sorted(outcomes) in (["ok", "ok"], ["conflict", "ok"])
    assert entries == (1 if outcomes.count("ok") == 2 else 0)
