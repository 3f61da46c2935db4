# ruff: noqa: F811 (the stage's fixtures are imported from sessions_support)
"""Sessions over JSON: a session scheduled once per Idempotency-Key, recorded, the agreement
refused without terms in the error shape, then made, a follow-up and closing; minutes and terms
never in an answer; another mediator gets 404; the mediator's queue."""

from __future__ import annotations

import pytest

from linli.mediation.models import MediationSession
from linli.mediation.tests.sessions_support import (  # noqa: F401 (fixtures)
    TERMS,
    TODAY,
    clock,
    party_ids,
    world,
)
from linli.testing import log_in

pytestmark = pytest.mark.django_db
API = "/api/v1/mediation"


def post(client, path, body=None, key=""):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(f"{API}{path}", body or {}, content_type="application/json", headers=headers)


def test_a_mediation_from_session_to_closing_over_json(client, world):
    number = world.dispute.number
    log_in(client, "mediator")
    first = post(
        client, f"/disputes/{number}/sessions", {"starts_at": "2026-12-07T09:00:00+08:00", "place": "调解室"}, key="s-1"
    )
    again = post(
        client, f"/disputes/{number}/sessions", {"starts_at": "2026-12-07T09:00:00+08:00", "place": "调解室"}, key="s-1"
    )
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert MediationSession.objects.count() == 1
    session = first.json()["id"]
    bad = post(client, f"/disputes/{number}/agreement", {"kind": "written", "terms": " ", "signed_on": str(TODAY)})
    assert bad.status_code == 422
    assert [f["field"] for f in bad.json()["error"]["fields"]] == ["terms"]
    recorded = post(
        client,
        f"/disputes/{number}/sessions/{session}/record",
        {"attended": party_ids(world.dispute), "minutes": "双方各让一步"},
    )
    assert recorded.status_code == 200 and recorded.json()["state"] == "held"
    assert "双方各让一步" not in recorded.content.decode()
    made = post(
        client,
        f"/disputes/{number}/agreement",
        {"kind": "written", "terms": TERMS, "signed_on": str(TODAY), "perform_by": str(TODAY)},
        key="a-1",
    )
    assert made.status_code == 201 and made.json()["state"] == "agreed"
    assert made.json()["agreement"]["kind"] == "written"
    assert "停止装修" not in made.content.decode()
    confirmed = post(client, f"/disputes/{number}/confirmation", {"applied_on": str(TODAY), "court": "和平区人民法院"})
    assert confirmed.json()["agreement"]["confirmation"] == "pending"
    followed = post(
        client, f"/disputes/{number}/follow-ups", {"on": str(TODAY), "performance": "full", "note": "已履行"}
    )
    assert followed.status_code == 201 and followed.json()["follow_ups"][0]["performance"] == "full"
    closed = post(client, f"/disputes/{number}/close")
    assert closed.status_code == 200 and closed.json()["state"] == "closed"


def test_another_mediator_gets_404_and_changes_nothing(client, world):
    log_in(client, "other_mediator")
    number = world.dispute.number
    assert client.get(f"{API}/disputes/{number}/sessions").status_code == 404
    response = post(client, f"/disputes/{number}/sessions", {"starts_at": "2026-12-07T09:00:00+08:00", "place": "x"})
    assert response.status_code == 404
    assert MediationSession.objects.count() == 0


def test_the_mediators_queue_over_json(client, world):
    log_in(client, "mediator")
    rows = client.get(f"{API}/my/queue").json()
    assert [r["number"] for r in rows] == [world.dispute.number]
    assert rows[0]["overdue"] is False
    log_in(client, "community_worker")
    assert client.get(f"{API}/my/queue").json() == []


def test_the_queue_endpoint_has_a_pinned_query_count(client, world, django_assert_num_queries):
    from linli.mediation.tests.sessions_support import SHUIYUANDI, add_dispute

    for _ in range(4):
        add_dispute(SHUIYUANDI, world.mediator)
    log_in(client, "mediator")
    client.get(f"{API}/my/queue")
    with django_assert_num_queries(4):
        rows = client.get(f"{API}/my/queue").json()
    assert len(rows) == 5


def test_a_time_without_a_zone_is_the_citys(client, world):
    log_in(client, "mediator")
    made = post(
        client, f"/disputes/{world.dispute.number}/sessions", {"starts_at": "2026-12-08T09:30:00", "place": "调解室"}
    )
    assert made.status_code == 201
    assert made.json()["starts_at"].startswith("2026-12-08T09:30:00+08:00")
