# ruff: noqa: F811 (the stage's fixtures are imported from topics_support)
"""The topics API: list (scoped, paginated, pinned queries), get, propose with an Idempotency-Key,
support once, decide; the role × scope matrix."""

from __future__ import annotations

import json

import pytest

from linli.consultation.models import Topic, TopicSupport
from linli.consultation.tests.topics_support import clock, proposal, put, world  # noqa: F401 (fixtures)
from linli.testing import log_in

BASE = "/api/v1/consultation/topics"


def post(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def test_propose_with_the_same_key_replays_the_first_answer(client, world):
    log_in(client, "resident")
    body = {"title": "小区停车难", "body": "车位不够"}
    first = post(client, BASE, body, **{"Idempotency-Key": "k1"})
    replay = post(client, BASE, body, **{"Idempotency-Key": "k1"})
    assert (first.status_code, replay.status_code) == (201, 201)
    assert replay.json() == first.json()
    assert first.json()["state"] == "gathering" and first.json()["proposer_shown"] == "张*国"
    assert Topic.objects.count() == 1


def test_support_once(client, world):
    topic = proposal(world)
    log_in(client, "resident3")
    assert post(client, f"{BASE}/{topic.public_id}/support", {}).json()["supporter_count"] == 1
    again = post(client, f"{BASE}/{topic.public_id}/support", {})
    assert again.status_code == 409
    assert TopicSupport.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("community_worker", 200),
        ("street_officer", 200),
        ("other_community_worker", 404),
        ("department_officer", 404),
        ("resident", 200),
        ("far_resident", 404),
    ],
)
def test_get_by_role_and_scope(client, world, who, status):
    topic = put(world)
    log_in(client, who)
    assert client.get(f"{BASE}/{topic.public_id}").status_code == status


def test_anonymous_is_refused(client, world):
    topic = put(world)
    assert client.get(f"{BASE}/{topic.public_id}").status_code == 401


def test_decide_needs_the_committees(client, world):
    topic = put(world)
    log_in(client, "resident")
    assert post(client, f"{BASE}/{topic.public_id}/decide", {"accept": True, "reason": "好"}).status_code == 404
    topic.refresh_from_db()
    assert topic.state == "submitted"
    log_in(client, "community_worker")
    done = post(client, f"{BASE}/{topic.public_id}/decide", {"accept": True, "reason": "列入协商"})
    assert (done.status_code, done.json()["state"]) == (200, "accepted")


def test_the_list_is_scoped_and_its_queries_pinned(client, world, django_assert_num_queries):
    for n in range(3):
        put(world, title=f"议题{n}")
    log_in(client, "other_community_worker")
    assert client.get(BASE).json()["count"] == 0
    log_in(client, "community_worker")
    client.get(BASE)
    with django_assert_num_queries(4):
        answer = client.get(BASE).json()
    assert answer["count"] == 3
