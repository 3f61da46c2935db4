"""Eight processes reporting one event (multipart, with a photo) with one `Idempotency-Key` at the
same moment create exactly one grid event; the other seven get the same answer, marked replayed."""

import io

import pytest

from linli.core.tests.processes import post_at_once
from linli.grid_events.models import GridEvent
from linli.grid_events.tests.conftest import PNG, SHUIYUANDI

PROCESSES = 8


def report_form():
    photo = io.BytesIO(PNG)
    photo.name = "scene.png"
    return {
        "description": "路口井盖缺失，行人容易踩空",
        "lat": SHUIYUANDI[0],
        "lng": SHUIYUANDI[1],
        "category": "C0102",
        "photos": [photo],
    }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_key_from_many_processes_creates_exactly_one_grid_event(grid):
    answers = post_at_once(PROCESSES, grid["users"]["grid_worker"], "/api/v1/grid/events", report_form)
    assert [status for status, _, _ in answers] == [201] * PROCESSES, answers
    assert sorted(replayed or "" for _, replayed, _ in answers) == [""] + ["true"] * (PROCESSES - 1)
    assert len({answer["number"] for _, _, answer in answers}) == 1
    assert GridEvent.objects.count() == 1
