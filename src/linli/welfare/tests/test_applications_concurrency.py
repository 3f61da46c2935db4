"""Two county officers approving one application at the same moment (PostgreSQL: real row locks):
one approves, the other is told the step is no longer allowed; one determination, one household on
the roll."""

import pytest
import time_machine

from linli.testing import empty_append_only_tables, run_at_once
from linli.welfare.models import Determination, Recipient
from linli.welfare.services.applications import application_approve
from linli.welfare.tests.applications_support import AFTER_NOTICE, MONDAY, make_family, to_notice


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_approvals_at_once_approve_once(tree, people, actors):
    try:
        with time_machine.travel(MONDAY, tick=False) as clock:
            family = make_family()
            _case, app = to_notice(actors, family)
            clock.move_to(AFTER_NOTICE)
            officer = actors["civil_affairs_officer"]
            outcomes = sorted(run_at_once(2, lambda i: application_approve(actor=officer, application=app)))
        assert outcomes == ["conflict", "ok"]
        assert Determination.objects.count() == 1 and Recipient.objects.count() == 1
    finally:
        empty_append_only_tables()
