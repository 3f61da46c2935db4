"""Money under concurrent writes (PostgreSQL: real row locks, one connection per thread): a
project's spending never passes its grant, and a call's grants never pass its budget."""

import pytest
from django.utils import timezone

from linli.testing import run_at_once
from linli.ventures.models import Spending, VentureApplication, VentureProject
from linli.ventures.services import application_decide, call_transition, spending_record
from linli.ventures.tests.conftest import ORG_A


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_spending_and_grants_stay_within_their_limits(cast, reviewing, submitted):
    officer = cast["civil_affairs_officer"]
    # two decisions of 12,000 at once on a budget of 20,000: one fits
    type(reviewing).objects.filter(pk=reviewing.pk).update(total_budget=20000, project_cap=15000)
    outcomes = run_at_once(
        2, lambda i: application_decide(actor=officer, application=submitted[i], fund=True, amount="12000")
    )
    assert sorted(outcomes) == ["ok", "validation_failed"]
    assert VentureApplication.objects.filter(state="funded").count() == 1
    loser = VentureApplication.objects.get(state="submitted")
    application_decide(actor=officer, application=loser, fund=False, reason="预算已用完")
    call_transition(actor=officer, call=reviewing, action="decide")
    project = VentureProject.objects.get()
    owner = cast["organiser"] if project.org_id == ORG_A else cast["other_organiser"]
    today = timezone.localdate()
    # eight payments of 3,000 at once out of a grant of 12,000: four fit
    outcomes = run_at_once(
        8,
        lambda i: spending_record(actor=owner, project=project, amount="3000", spent_on=today, what=f"第{i}笔"),
    )
    assert outcomes.count("ok") == 4 and outcomes.count("validation_failed") == 4
    project.refresh_from_db()
    assert project.spent == 12000 and Spending.objects.filter(project=project).count() == 4
