# ruff: noqa: F811 (the stage's fixtures are imported from consultations_support)
"""The consultations API: the role × scope matrix on the list, create with an Idempotency-Key,
comments (masked for residents), moderation, sign-in; pinned query counts."""

from __future__ import annotations

import pytest

from linli.consultation.models import Comment, Consultation, SignIn
from linli.consultation.services import consultations as svc
from linli.consultation.tests.consultations_support import (  # noqa: F401 (fixtures)
    NOW,
    SHUIYUANDI,
    clock,
    discussing,
    prepared,
    world,
)
from linli.testing import log_in

BASE = "/api/v1/consultation"


@pytest.mark.parametrize(
    ("who", "titles"),
    [
        ("anonymous", None),
        ("resident", ["小区停车位规划方案"]),
        ("far_resident", []),
        ("department_officer", []),
        ("other_community_worker", []),
        ("community_worker", ["草案", "小区停车位规划方案"]),
        ("street_officer", ["草案", "小区停车位规划方案"]),
        ("other_district_admin", []),
    ],
)
def test_the_list_matrix(client, world, who, titles):
    discussing(world)
    prepared(world, title="草案")
    if who != "anonymous":
        log_in(client, who)
    answer = client.get(f"{BASE}/consultations")
    if titles is None:
        assert answer.status_code == 401
        return
    assert answer.status_code == 200
    assert [c["title"] for c in answer.json()] == titles


def test_the_staff_list_query_count_is_pinned(client, world, django_assert_num_queries):
    for n in range(3):
        discussing(world, title=f"协商{n}")
    log_in(client, "community_worker")
    client.get(f"{BASE}/consultations")
    with django_assert_num_queries(5):
        assert len(client.get(f"{BASE}/consultations").json()) == 3


def test_create_is_idempotent(client, world):
    log_in(client, "community_worker")
    payload = {
        "path": SHUIYUANDI,
        "title": "3号楼加装电梯",
        "question": "是否加装电梯",
        "form": "meeting",
        "scope_kind": "community",
        "options": ["同意", "不同意"],
    }
    first = client.post(f"{BASE}/consultations", payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    again = client.post(f"{BASE}/consultations", payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json()["number"] == again.json()["number"] and Consultation.objects.count() == 1
    assert [o["key"] for o in first.json()["options"]] == ["a", "b"]
    bad = client.post(f"{BASE}/consultations", payload | {"options": ["同意"]}, content_type="application/json")
    assert bad.status_code == 422 and Consultation.objects.count() == 1


def test_comments_masked_for_residents_and_moderated_by_staff(client, world):
    c = discussing(world)
    log_in(client, "resident3")
    posted = client.post(f"{BASE}/consultations/{c.number}/comments", {"body": "同意"}, content_type="application/json")
    assert posted.status_code == 201 and posted.json()["author"] == "李*"
    assert client.get(f"{BASE}/consultations/{c.number}/comments").json() == []
    comment = Comment.objects.get()
    log_in(client, "community_worker")
    shown = client.post(
        f"{BASE}/consultation-comments/{comment.public_id}/moderation", {"show": True}, content_type="application/json"
    )
    assert shown.json()["state"] == "shown"
    log_in(client, "resident")
    assert [m["author"] for m in client.get(f"{BASE}/consultations/{c.number}/comments").json()] == ["李*"]
    log_in(client, "far_resident")
    assert client.get(f"{BASE}/consultations/{c.number}/comments").status_code == 404


def test_sign_in_twice_is_409(client, world, clock):
    c = discussing(world)
    meeting = svc.meeting_schedule(
        actor=world.actors["community_worker"], public_id=c.public_id, starts_at=NOW, place="会议室"
    )
    log_in(client, "community_worker")
    url = f"{BASE}/consultation-meetings/{meeting.public_id}/sign-ins"
    first = client.post(url, {"resident": str(world.li.public_id)}, content_type="application/json")
    again = client.post(url, {"resident": str(world.li.public_id)}, content_type="application/json")
    assert (first.status_code, first.json()["name_shown"], again.status_code) == (201, "李*", 409)
    log_in(client, "other_community_worker")
    assert client.post(url, {"stakeholder": "物业", "name": "王"}, content_type="application/json").status_code == 404
    assert SignIn.objects.count() == 1
