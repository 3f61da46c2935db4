# ruff: noqa: F811 (the stage's fixtures are imported from burden_support)
"""Two people acting at once (PostgreSQL): two decisions on one request decide it once and list
one task; two certificates issued at the same moment get two numbers; two voids void once."""

from __future__ import annotations

import pytest

from linli.consultation.models import Certificate, CommunityTask
from linli.consultation.services import burden as svc
from linli.consultation.tests.burden_support import clock, filed, issue_input, kind  # noqa: F401 (fixtures)
from linli.testing import empty_append_only_tables, run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def clean():
    """The shipped lists are loaded again by the conftest; the append-only rows are emptied after."""
    yield
    empty_append_only_tables()


def test_two_decisions_at_once_decide_once(clean, actors, clock):
    entry = filed(actors["department_officer"])

    def decide(i):
        svc.task_request_decide(actor=actors["district_admin"], request=entry, approve=i == 0, reason="决定")

    assert sorted(run_at_once(2, decide)) == ["conflict", "ok"]
    entry.refresh_from_db()
    assert CommunityTask.objects.filter(request=entry).count() == (1 if entry.state == "approved" else 0)


def test_two_certificates_at_once_get_two_numbers(clean, actors, kind):
    def issue(i):
        svc.certificate_issue(actor=actors["community_worker"], data=issue_input(kind.pk, subject_name=f"王{i}明"))

    assert run_at_once(2, issue) == ["ok", "ok"]
    assert sorted(Certificate.objects.values_list("number", flat=True)) == [
        "ZM21010200100220261200001",
        "ZM21010200100220261200002",
    ]


def test_two_voids_at_once_void_once(clean, actors, kind):
    made = svc.certificate_issue(actor=actors["community_worker"], data=issue_input(kind.pk))

    def void(i):
        svc.certificate_void(actor=actors["community_worker"], certificate=made, reason=f"理由{i}")

    assert sorted(run_at_once(2, void)) == ["conflict", "ok"]
