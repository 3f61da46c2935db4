# ruff: noqa: F811 (the stage's fixtures are imported from consultations_support)
"""Two doors signing one resident in at once (PostgreSQL): one sign-in, the other told clearly;
two consultations prepared at once take two serials."""

from __future__ import annotations

import pytest

from linli.consultation.models import Consultation, SignIn
from linli.consultation.services import consultations as svc
from linli.consultation.tests.consultations_support import NOW, clock, discussing, prepared, world  # noqa: F401
from linli.testing import empty_append_only_tables, run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def clean():
    yield
    empty_append_only_tables()


def test_two_doors_sign_one_resident_in_once(clean, world):
    c = discussing(world)
    worker = world.actors["community_worker"]
    meeting = svc.meeting_schedule(actor=worker, public_id=c.public_id, starts_at=NOW, place="会议室")

    def sign(_i):
        svc.meeting_sign_in(actor=worker, meeting_id=meeting.public_id, resident_ref=str(world.zhang.public_id))

    assert sorted(run_at_once(2, sign)) == ["conflict", "ok"]
    assert SignIn.objects.filter(meeting=meeting).count() == 1


def test_two_prepared_at_once_take_two_numbers(clean, world):
    assert run_at_once(2, lambda i: prepared(world, title=f"同时发起{i}")) == ["ok", "ok"]
    assert sorted(Consultation.objects.values_list("number", flat=True))[-1].endswith("00002")
