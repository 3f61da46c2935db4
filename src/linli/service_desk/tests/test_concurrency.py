"""Two officers deciding the same case at the same moment: exactly one decision lands, the other
is told the step is no longer allowed, and the timeline holds one decision."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from linli.core.errors import DomainError
from linli.residents.services import applicant_lookup
from linli.service_desk.domain import CaseState, Channel
from linli.service_desk.models import CaseEvent
from linli.service_desk.services import IntakeInput, TransitionInput, case_intake, case_transition
from linli.service_desk.tests.conftest import ZHANG_ID
from linli.service_desk.tests.test_cases import DIBAO_COMPLETE


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_deciding_at_once_cannot_both_decide(desk):
    import time_machine

    actors = desk["actors"]
    worker, street = actors["community_worker"], actors["street_officer"]
    with time_machine.travel(datetime(2026, 11, 25, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        ref = applicant_lookup(actor=worker, id_number=ZHANG_ID, purpose="受理").public_id
        case = case_intake(
            actor=worker,
            data=IntakeInput(item_code="SQ001", channel=Channel.WINDOW, applicant_ref=ref, checklist=DIBAO_COMPLETE),
        )
        case = case_transition(actor=street, case=case, action="start_review")

    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(decision: str) -> None:
        try:
            barrier.wait(timeout=10)
            case_transition(
                actor=street, case=case, action="decide", data=TransitionInput(decision=decision, note="依据")
            )
            outcomes.append(decision)
        except DomainError as error:
            outcomes.append(f"refused:{error.status}")
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(d,)) for d in ("approved", "denied")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(o.startswith("refused") for o in outcomes) == [False, True]
    assert "refused:409" in outcomes
    case.refresh_from_db()
    assert case.state == CaseState.DECIDED
    assert case.decision == next(o for o in outcomes if not o.startswith("refused"))
    assert CaseEvent.objects.filter(case=case, action="decide").count() == 1
