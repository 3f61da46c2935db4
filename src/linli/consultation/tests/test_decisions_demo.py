# ruff: noqa: F811 (the stage's fixtures are imported from voting_support)
"""Stage decisions' demo: "3号楼加装电梯" counted → decided and being carried out with two tasks, one
overdue; a second run adds nothing."""

from __future__ import annotations

import pytest

from linli.accounts.domain import Role
from linli.consultation.demo_decisions import CANCELLED, COUNCIL, COUNTED, DECIDED, LIFT, demo_generate
from linli.consultation.models import BoardNotice, Consultation, Decision, ImplementationTask
from linli.consultation.tests.decisions_support import SHUIYUANDI, counted
from linli.consultation.tests.voting_support import TODAY, clock, world  # noqa: F401 (fixtures)
from linli.testing import make_user

pytestmark = pytest.mark.django_db


def test_the_demo_carries_the_lift_out_once(world, tree):
    make_user(f"demo_{Role.COMMUNITY_WORKER}", Role.COMMUNITY_WORKER, tree[SHUIYUANDI])
    lift = counted()
    Consultation.objects.filter(pk=lift.pk).update(title=LIFT)
    demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=lambda _m: None)
    demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=lambda _m: None)
    assert Consultation.objects.get(pk=lift.pk).state == "implementing"
    lift_decision = Decision.objects.get(consultation=lift)
    assert BoardNotice.objects.filter(source_ref=lift_decision.public_id).count() == 1
    tasks = ImplementationTask.objects.filter(decision=lift_decision)
    assert sorted(t.due_on < TODAY for t in tasks) == [False, True]
    # every other state shows too, made once: a council completed, a vote counted without a
    # quorum in the showcase, one decided and one cancelled in another community
    states = dict(Consultation.objects.exclude(pk=lift.pk).values_list("title", "state"))
    assert states == {
        COUNCIL: "completed",
        COUNTED: "counted",
        DECIDED: "decided",
        CANCELLED: "cancelled",
    }
    assert Decision.objects.count() == 3
