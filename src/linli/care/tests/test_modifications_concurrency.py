"""Two writes to one household or one application at the same moment (PostgreSQL: real locks and
connections)."""

import pytest
import time_machine

from linli.care.models import ModificationApplication, ModificationStep
from linli.care.services.modifications import application_apply, application_assess, application_confirm
from linli.care.tests.modifications_support import NOW, PLAN, build_mods, photo
from linli.testing import empty_append_only_tables, run_at_once


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_applications_for_one_household_at_once_make_one(shipped_care_data, tree, people, clock):
    mods = build_mods(tree, people)
    a = mods["actors"]
    by = [a["daughter"], a["community_worker"]]

    def apply(i):
        application_apply(actor=by[i], person_ref=str(mods["mother"].public_id))

    try:
        assert sorted(run_at_once(2, apply)) == ["conflict", "ok"]
        assert ModificationApplication.objects.count() == 1
    finally:
        empty_append_only_tables()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_once_confirm_once(shipped_care_data, tree, people, clock):
    mods = build_mods(tree, people)
    a = mods["actors"]
    app = application_apply(actor=a["daughter"], person_ref=str(mods["mother"].public_id))
    app = application_assess(actor=a["community_worker"], application=app, lines=PLAN, photos=[photo()])
    by = [a["daughter"], a["community_worker"]]

    def confirm(i):
        application_confirm(actor=by[i], application=app)

    try:
        assert sorted(run_at_once(2, confirm)) == ["conflict", "ok"]
        assert ModificationStep.objects.filter(application=app, action="confirm").count() == 1
    finally:
        empty_append_only_tables()
