# ruff: noqa: F811 (the stage's fixtures are imported from disputes_support)
"""Disputes over JSON: registration once per Idempotency-Key, consent, assignment and recusal
through the same services, refusals in the error shape, the list scoped with a pinned query
count, no sealed text in any answer."""

from __future__ import annotations

import pytest

from linli.mediation.models import Dispute
from linli.mediation.tests.disputes_support import (  # noqa: F401 (fixtures)
    FACTS,
    OUTSIDER_PHONE,
    clock,
    mediating,
    registered,
    world,
)
from linli.testing import log_in

pytestmark = pytest.mark.django_db
API = "/api/v1/mediation/disputes"


def post(client, path, body, key=""):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(f"{API}{path}", body, content_type="application/json", headers=headers)


def body(world) -> dict:
    return {
        "kind": "neighbour",
        "facts": FACTS,
        "title": "装修噪音",
        "parties": [
            {"side": "applicant", "person": world.zhang},
            {"side": "respondent", "name": "陈外来", "phone": OUTSIDER_PHONE},
        ],
    }


def test_register_once_per_key_then_consent_assign_and_recuse(client, world):
    log_in(client, "community_worker")
    first = post(client, "", body(world), key="d-1")
    again = post(client, "", body(world), key="d-1")
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert Dispute.objects.count() == 1
    answer = first.json()
    assert FACTS not in str(answer) and OUTSIDER_PHONE not in str(answer)
    number = answer["number"]
    assert [p["phone"] for p in answer["parties"]][1] == "139****5678"
    early = post(client, f"/{number}/assign", {"mediator": str(world.committee.public_id)})
    assert early.status_code == 409
    for party in answer["parties"]:
        done = post(client, f"/{number}/consent", {"party": party["id"], "consent": "agreed"})
        assert done.status_code == 200
    assert done.json()["state"] == "accepted"
    assigned = post(client, f"/{number}/assign", {"mediator": str(world.committee.public_id)})
    assert (assigned.json()["state"], assigned.json()["mediator"]) == ("mediating", "王调解")
    party = answer["parties"][1]["id"]
    recused = post(client, f"/{number}/recusal", {"party": party, "reason": "与调解员有矛盾"})
    assert (recused.json()["state"], recused.json()["mediator"]) == ("accepted", "")
    again = post(client, f"/{number}/assign", {"mediator": str(world.committee.public_id)})
    assert again.status_code == 422 and again.json()["error"]["fields"][0]["field"] == "mediator"


def test_refusals_in_the_error_shape(client, world):
    log_in(client, "community_worker")
    refused = post(client, "", body(world) | {"kind": "nope", "registered_on": "2027-01-01"})
    assert refused.status_code == 422
    assert {f["field"] for f in refused.json()["error"]["fields"]} == {"kind", "registered_on"}
    assert Dispute.objects.count() == 0


@pytest.mark.parametrize(
    ("who", "status", "seen"),
    [
        ("community_worker", 200, 2),
        ("street_officer", 200, 2),
        ("other_community_worker", 404, 0),
        ("mediator", 200, 1),
        ("police_officer", 404, 0),
        ("resident", 404, 0),
    ],
)
def test_list_and_get_by_role_and_scope(client, world, who, status, seen):
    assigned = mediating(world)
    registered(world)
    log_in(client, who)
    listed = client.get(API)
    assert listed.status_code == 200 and listed.json()["count"] == seen
    assert client.get(f"{API}/{assigned.number}").status_code == status


def test_create_is_refused_without_intake(client, world):
    log_in(client, "mediator")
    assert post(client, "", body(world)).status_code == 403
    assert Dispute.objects.count() == 0


def test_the_list_query_count_is_pinned(client, world, django_assert_num_queries):
    for _ in range(2):
        registered(world)
    log_in(client, "community_worker")
    client.get(API)
    with django_assert_num_queries(4):
        client.get(API)
    registered(world)
    with django_assert_num_queries(4):
        assert client.get(API).json()["count"] == 3


def test_withdraw_and_escalate_over_json(client, world):
    dispute = registered(world)
    party = dispute.parties.order_by("pk").first()
    log_in(client, "community_worker")
    escalated = post(client, f"/{dispute.number}/escalate", {"reason": "当事人到区信访"})
    assert escalated.status_code == 200 and escalated.json()["escalated"] is True
    assert post(client, f"/{dispute.number}/escalate", {"reason": "当事人到区信访"}).status_code == 409
    short = post(client, f"/{dispute.number}/withdraw", {"party": party.pk, "reason": ""})
    assert short.status_code == 422
    done = post(client, f"/{dispute.number}/withdraw", {"party": party.pk, "reason": "双方已私下和解"})
    assert done.status_code == 200 and done.json()["state"] == "withdrawn"
    log_in(client, "other_community_worker")
    assert post(client, f"/{dispute.number}/escalate", {"reason": "当事人到区信访"}).status_code == 404
