# ruff: noqa: F811 (the stage's fixtures are imported from village_support)
"""The village procedure over JSON: scope, proposing, the failed meeting kept and answered 409,
the town's review, a pinned query count on the list."""

from __future__ import annotations

import pytest

from linli.consultation.models import VillageMatter, VillageMatterStep
from linli.consultation.tests.village_support import (  # noqa: F401 (fixtures)
    TODAY,
    VILLAGE,
    clock,
    deliberated,
    proposed,
    resolved,
    world,
)
from linli.testing import log_in

pytestmark = pytest.mark.django_db
BASE = "/api/v1/consultation/village"


@pytest.mark.parametrize(
    ("who", "count"),
    [("village_worker", 1), ("town_officer", 1), ("street_officer", 0), ("community_worker", 0), ("resident", 0)],
)
def test_the_list_by_role_and_scope(client, world, who, count):
    matter = proposed(world)
    log_in(client, who)
    body = client.get(f"{BASE}/matters").json()
    assert body["count"] == count
    assert client.get(f"{BASE}/matters/{matter.public_id}").status_code == (200 if count else 404)


def test_anonymous_is_refused(client, world):
    assert client.get(f"{BASE}/matters").status_code == 401


def test_the_list_has_a_pinned_query_count(client, world, django_assert_num_queries):
    for n in range(3):
        proposed(world, title=f"事项{n}")
    log_in(client, "village_worker")
    client.get(f"{BASE}/matters")
    with django_assert_num_queries(4):
        body = client.get(f"{BASE}/matters").json()
    assert body["count"] == 3


def test_proposing_and_a_failed_meeting_kept(client, world):
    log_in(client, "village_worker")
    created = client.post(
        f"{BASE}/matters",
        {
            "village": VILLAGE,
            "kind_id": world.kind.pk,
            "title": "修村道",
            "proposal": "硬化村道两公里",
            "amount": "180000",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    assert (created.json()["stage"], created.json()["next_step"]) == ("propose", "discuss")
    public_id = created.json()["id"]
    skipped = client.post(
        f"{BASE}/matters/{public_id}/steps",
        {"step": "resolve", "assembly": "villagers", "present": 7, "votes_for": 5, "minutes": "m", "adopted_text": "t"},
        content_type="application/json",
    )
    assert skipped.status_code == 409
    assert VillageMatterStep.objects.filter(matter__public_id=public_id).count() == 1


def test_a_meeting_without_quorum_answers_409_and_is_kept(client, world):
    matter = deliberated(world)
    log_in(client, "village_worker")
    step = {"step": "resolve", "assembly": "villagers", "present": 6, "households_present": 3, "votes_for": 6}
    answer = client.post(
        f"{BASE}/matters/{matter.public_id}/steps",
        step | {"minutes": "m", "adopted_text": "t", "held_on": TODAY.isoformat()},
        content_type="application/json",
    )
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "no_quorum"
    assert VillageMatterStep.objects.filter(matter=matter, step="resolve").get().result == "no_quorum"
    detail = client.get(f"{BASE}/matters/{matter.public_id}").json()
    assert [s["result"] for s in detail["steps"]][-1] == "no_quorum"
    assert detail["next_step"] == "resolve"


def test_the_town_reviews_over_the_api(client, world):
    matter = resolved(world)
    log_in(client, "street_officer")
    refused = client.post(
        f"{BASE}/matters/{matter.public_id}/review", {"approve": True}, content_type="application/json"
    )
    assert refused.status_code == 404
    log_in(client, "town_officer")
    answer = client.post(
        f"{BASE}/matters/{matter.public_id}/review",
        {"approve": False, "reasons": "补充评估"},
        content_type="application/json",
    )
    assert answer.status_code == 200
    assert (answer.json()["state"], answer.json()["round"]) == ("returned", 2)
    assert VillageMatter.objects.get(pk=matter.pk).state == "returned"


def test_kinds_and_representatives(client, world):
    log_in(client, "village_worker")
    codes = [k["code"] for k in client.get(f"{BASE}/kinds").json()]
    assert codes == ["land", "assets", "project", "welfare", "enterprise", "income", "levy"]
    assert client.get(f"{BASE}/{VILLAGE}/representatives").json() == []
    log_in(client, "community_worker")
    assert client.get(f"{BASE}/{VILLAGE}/representatives").status_code == 404
