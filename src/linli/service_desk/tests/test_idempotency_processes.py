"""Eight processes sending one case intake with one `Idempotency-Key` at the same moment create
exactly one case; the other seven get the same answer, marked replayed."""

import pytest
import time_machine

from linli.core.tests.processes import post_at_once
from linli.residents.services import applicant_lookup
from linli.service_desk.models import ServiceCase
from linli.service_desk.tests.conftest import ZHANG_ID
from linli.service_desk.tests.test_api import WEDNESDAY
from linli.service_desk.tests.test_cases import DIBAO_COMPLETE

PROCESSES = 8


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_key_from_many_processes_creates_exactly_one_case(desk):
    worker = desk["users"]["community_worker"]
    with time_machine.travel(WEDNESDAY, tick=False):
        ref = applicant_lookup(actor=desk["actors"]["community_worker"], id_number=ZHANG_ID, purpose="受理")
        body = {"item_code": "SQ001", "channel": "window", "applicant": ref.public_id, "checklist": DIBAO_COMPLETE}
        answers = post_at_once(PROCESSES, worker, "/api/v1/desk/cases", lambda: body, content_type="application/json")
    assert [status for status, _, _ in answers] == [201] * PROCESSES, answers
    assert sorted(replayed or "" for _, replayed, _ in answers) == [""] + ["true"] * (PROCESSES - 1)
    assert len({answer["number"] for _, _, answer in answers}) == 1
    assert ServiceCase.objects.count() == 1
