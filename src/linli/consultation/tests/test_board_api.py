# ruff: noqa: F811 (the stage's fixtures are imported from board_support)
"""Board API: the public board and a convention's versions without log-in; staff lists scoped
with pinned query counts; publishing (idempotent) and withdrawing with a reason."""

from __future__ import annotations

import pytest

from linli.consultation.models import BoardNotice
from linli.consultation.services import board as svc
from linli.consultation.tests.board_support import (  # noqa: F401 (fixtures)
    HUNHEWAN,
    SHUIYUANDI,
    TODAY,
    clock,
    convention_in_force,
    notice,
)
from linli.testing import log_in

pytestmark = pytest.mark.django_db
BASE = "/api/v1/consultation"


@pytest.fixture
def board(actors, clock):
    worker = actors["community_worker"]
    shown = notice(worker, title="停水通知")
    gone = notice(worker, title="错误通知")
    svc.notice_withdraw(actor=worker, notice=gone, reason="内容有误")
    notice(actors["other_community_worker"], path=HUNHEWAN, title="浑河湾通知")
    return {"shown": shown, "convention": convention_in_force(worker)}


def test_the_public_board_needs_no_log_in(client, board, django_assert_num_queries):
    with django_assert_num_queries(3):
        answer = client.get(f"{BASE}/board/{SHUIYUANDI}")
    assert answer.status_code == 200
    body = answer.json()
    assert (body["name"], body["as_of"]) == ("水源地社区", "2026-12-07")
    assert [(n["kind"], n["title"]) for n in body["notices"]] == [("convention", "居民公约"), ("notice", "停水通知")]
    assert [(c["title"], c["version"], c["adopted_on"]) for c in body["conventions"]] == [("居民公约", 1, "2020-05-01")]
    assert "community_worker" not in answer.content.decode()
    assert client.get(f"{BASE}/board/210102001").status_code == 404


def test_a_convention_s_public_versions(client, board):
    answer = client.get(f"{BASE}/board/conventions/{board['convention'].public_id}")
    assert [(v["version"], v["state"]) for v in answer.json()["versions"]] == [(1, "adopted")]


@pytest.mark.parametrize(
    ("who", "titles"),
    [
        ("anonymous", None),
        ("resident", []),
        ("department_officer", []),
        ("other_community_worker", ["浑河湾通知"]),
        ("community_worker", ["居民公约", "错误通知", "停水通知"]),
        ("street_officer", ["居民公约", "浑河湾通知", "错误通知", "停水通知"]),
        ("other_district_admin", []),
    ],
)
def test_the_staff_notice_list_matrix(client, board, who, titles):
    if who != "anonymous":
        log_in(client, who)
    answer = client.get(f"{BASE}/board-notices")
    if titles is None:
        assert answer.status_code == 401
        return
    assert [n["title"] for n in answer.json()["items"]] == titles


def test_the_staff_lists_query_counts(client, board, django_assert_num_queries):
    log_in(client, "community_worker")
    client.get(f"{BASE}/board-notices")
    with django_assert_num_queries(4):
        assert client.get(f"{BASE}/board-notices").status_code == 200
    with django_assert_num_queries(5):
        conventions = client.get(f"{BASE}/conventions")
    assert [(c["title"], c["in_force"], c["draft"]) for c in conventions.json()["items"]] == [("居民公约", 1, None)]


def test_publishing_is_idempotent(client, board):
    log_in(client, "community_worker")
    payload = {
        "path": SHUIYUANDI,
        "kind": "finance",
        "title": "收支公开",
        "body": "收入 100 元",
        "public_until": "2026-12-31",
    }
    first = client.post(f"{BASE}/board-notices", payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    again = client.post(f"{BASE}/board-notices", payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json()["id"] == again.json()["id"]
    assert BoardNotice.objects.filter(title="收支公开").count() == 1


@pytest.mark.parametrize(
    ("who", "status"), [("other_community_worker", 404), ("street_officer", 403), ("resident", 404)]
)
def test_publishing_is_refused_outside_the_committee(client, board, who, status):
    log_in(client, who)
    payload = {"path": SHUIYUANDI, "title": "x", "body": "y"}
    assert client.post(f"{BASE}/board-notices", payload, content_type="application/json").status_code == status
    assert BoardNotice.objects.filter(title="x").count() == 0


def test_a_decision_is_not_published_by_hand(client, board):
    log_in(client, "community_worker")
    payload = {"path": SHUIYUANDI, "kind": "decision", "title": "x", "body": "y"}
    answer = client.post(f"{BASE}/board-notices", payload, content_type="application/json")
    assert answer.status_code == 422
    assert BoardNotice.objects.filter(title="x").count() == 0


def test_withdrawing_over_the_api(client, board):
    log_in(client, "community_worker")
    url = f"{BASE}/board-notices/{board['shown'].public_id}/withdrawal"
    assert client.post(url, {"reason": ""}, content_type="application/json").status_code == 422
    answer = client.post(url, {"reason": "已恢复"}, content_type="application/json")
    assert (answer.status_code, answer.json()["withdrawn_reason"]) == (200, "已恢复")
    assert client.post(url, {"reason": "再撤"}, content_type="application/json").status_code == 409
    assert BoardNotice.objects.get(pk=board["shown"].pk).withdrawn_reason == "已恢复"
