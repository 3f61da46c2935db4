"""Statements over JSON: beds registered once per Idempotency-Key (the plan never answered),
statements generated once per key, a visit not verified refused by name, approve and pay, the
scope, and a pinned query count on the lists."""

from __future__ import annotations

import pytest
import time_machine

from linli.care.domain.orders import VisitState
from linli.care.models import CareBed, Statement
from linli.care.tests.statements_support import NOW, TODAY, statement_care, visit
from linli.testing import log_in

pytestmark = pytest.mark.django_db
API = "/api/v1/care"


@pytest.fixture
def sc(tree, people):
    with time_machine.travel(NOW, tick=False):
        yield statement_care(tree, people)


def post(client, path, body, key=""):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(f"{API}{path}", body, content_type="application/json", headers=headers)


def test_a_bed_is_registered_once_per_key_and_its_plan_stays_inside(client, sc):
    log_in(client, "community_worker")
    body = {
        "person": str(sc["elder"].public_id),
        "provider": str(sc["provider"].public_id),
        "visits_per_week": 2,
        "plan": "卧床，需翻身",
        "started_on": TODAY.isoformat(),
    }
    first = post(client, "/beds", body, key="bed-1")
    again = post(client, "/beds", body, key="bed-1")
    assert first.status_code == 201
    assert again.json() == first.json()
    assert CareBed.objects.count() == 1
    assert "plan" not in first.json()
    assert first.json()["visits_per_week"] == 2
    refused = post(client, "/beds", body | {"visits_per_week": 0}, key="bed-2")
    assert refused.status_code == 422
    assert refused.json()["error"]["fields"][0]["field"] == "visits_per_week"
    assert CareBed.objects.count() == 1


def test_statements_are_generated_approved_and_paid(client, sc):
    visit(sc, day=3)
    waiting = visit(sc, VisitState.DONE, day=4)
    log_in(client, "street_officer")
    body = {"provider": str(sc["provider"].public_id), "month": "2026-11"}
    made = post(client, "/statements", body, key="s-1")
    assert made.status_code == 201
    assert post(client, "/statements", body, key="s-1").json() == made.json()
    statement_id = made.json()["id"]
    assert (made.json()["lines"], made.json()["government_total"], made.json()["state"]) == (1, "40.00", "draft")
    refused = post(client, f"/statements/{statement_id}/visits", {"visit": str(waiting.public_id)})
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "unverified_visit"
    detail = client.get(f"{API}/statements/{statement_id}").json()
    assert [(i["person_name"], i["government_pays"]) for i in detail["items"]] == [("刘桂兰", "40.00")]
    assert post(client, f"/statements/{statement_id}/approve", {"reason": "核对无误"}).status_code == 422
    approved = post(client, f"/statements/{statement_id}/approve", {"reason": "核对无误", "confirm": True})
    assert approved.json()["state"] == "approved"
    paid = post(client, f"/statements/{statement_id}/pay", {"paid_on": TODAY.isoformat(), "reference": "ZF1207"})
    assert (paid.json()["state"], paid.json()["payment_ref"]) == ("paid", "ZF1207")


def test_outside_the_scope_is_one_404_and_nothing_is_made(client, sc):
    visit(sc, day=3)
    log_in(client, "street_officer")
    other = post(client, "/statements", {"provider": str(sc["other"].public_id), "month": "2026-11"}, key="o-1")
    assert other.status_code == 404
    client.logout()
    log_in(client, "community_worker")
    denied = post(client, "/statements", {"provider": str(sc["provider"].public_id), "month": "2026-11"}, key="o-2")
    assert denied.status_code == 404
    assert Statement.objects.count() == 0
    assert client.get(f"{API}/statements/00000000-0000-7000-8000-000000000000").status_code == 404


def test_lists_run_in_a_fixed_number_of_queries(client, sc, django_assert_num_queries):
    for day in (3, 4, 5):
        visit(sc, day=day)
    log_in(client, "street_officer")
    post(client, "/statements", {"provider": str(sc["provider"].public_id), "month": "2026-11"}, key="q-1")
    with django_assert_num_queries(5):
        answer = client.get(f"{API}/statements")
    assert answer.json()["count"] == 1
    with django_assert_num_queries(5):
        client.get(f"{API}/beds")
