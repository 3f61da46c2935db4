"""慧评理 over JSON: start (the code in the answer, Idempotency-Key), join by code with the 429 after
too many wrong codes, posts and proposals, accepting until settled, closing and turning formal
only when confirmed, publishing; the examples without log-in; the matrix on one case; pinned
query counts on the lists."""

from __future__ import annotations

from linli.mediation.models import ReasoningCase
from linli.mediation.tests.reasoning_support import OTHER_SAYS, STARTER_SAYS, opened, reasoning_clock, rp, started
from linli.testing import log_in

__all__ = ["reasoning_clock", "rp"]
API = "/api/v1/mediation/reasoning"


def _post(client, url, body, **headers):
    return client.post(url, body, content_type="application/json", headers=headers)


def test_start_and_join_over_json(client, rp):
    log_in(client, "resident")
    body = {"kind": "neighbour", "title": "楼下狗叫扰民", "statement": STARTER_SAYS}
    first = _post(client, API, body, **{"Idempotency-Key": "k1"})
    again = _post(client, API, body, **{"Idempotency-Key": "k1"})
    assert (first.status_code, again.status_code, ReasoningCase.objects.count()) == (201, 201, 1)
    code = first.json()["code"]
    assert len(code) == 6 and first.json()["my_side"] == "starter"
    log_in(client, "neighbour")
    for _ in range(5):
        assert _post(client, f"{API}/join", {"code": "ZZZZZZ", "statement": "x"}).status_code == 422
    limited = _post(client, f"{API}/join", {"code": code, "statement": OTHER_SAYS})
    assert (limited.status_code, limited.json()["error"]["code"]) == (429, "too_many_attempts")


def test_a_case_over_json_from_posts_to_settled(client, rp):
    case = opened(rp)
    url = f"{API}/{case.public_id}"
    log_in(client, "reasoner")
    detail = _post(client, f"{url}/posts", {"text": "七点后遛狗", "proposal": True}).json()
    assert (detail["my_role"], detail["code"]) == ("reasoner", "")
    proposal = detail["posts"][-1]["id"]
    for username in ("resident", "neighbour"):
        log_in(client, username)
        answer = _post(client, f"{url}/accept", {"post": proposal})
    assert answer.status_code == 200 and answer.json()["state"] == "settled"
    assert answer.json()["posts"][-1]["accepted_by"] == ["starter", "other"]


def test_close_and_formal_need_a_confirmation(client, rp):
    case = opened(rp)
    url = f"{API}/{case.public_id}"
    log_in(client, "neighbour")
    assert _post(client, f"{url}/close", {"reason": "不用了", "confirm": False}).status_code == 422
    assert _post(client, f"{url}/formal", {"confirm": False}).status_code == 422
    case.refresh_from_db()
    assert case.state == "open"
    formal = _post(client, f"{url}/formal", {"reason": "谈不拢", "confirm": True})
    assert formal.status_code == 201 and formal.json()["dispute"].startswith("TJ")


def test_the_case_matrix_over_json(client, rp):
    case = opened(rp)
    url = f"{API}/{case.public_id}"
    assert client.get(url).status_code == 401
    seen = {}
    for username in ("stranger", "other_reasoner", "community_worker", "resident", "neighbour", "reasoner", "mediator"):
        log_in(client, username)
        seen[username] = client.get(url).status_code
    assert seen == {
        "stranger": 404,
        "other_reasoner": 404,
        "community_worker": 404,  # staff read the posts with a reason on their page
        "resident": 200,
        "neighbour": 200,
        "reasoner": 200,
        "mediator": 200,
    }


def test_lists_and_public_examples(client, rp, django_assert_num_queries):
    case = opened(rp)
    started(rp, "另一件事")
    log_in(client, "community_worker")
    with django_assert_num_queries(4):
        area = client.get(f"{API}/area")
    assert [c["title"] for c in area.json()["items"]] == ["另一件事", "楼下狗叫扰民"]
    log_in(client, "reasoner")
    assert [c["title"] for c in client.get(f"{API}/open").json()["items"]] == ["楼下狗叫扰民"]
    client.logout()
    assert client.get(f"{API}/examples").json()["items"] == []
    for username in ("resident", "neighbour"):
        log_in(client, username)
        _post(client, f"{API}/{case.public_id}/consent", {"consent": True})
    log_in(client, "mediator")
    published = _post(client, f"{API}/{case.public_id}/publish", {"text": "王大妈答应了"})
    assert published.status_code == 200 and published.json()["published"] is True
    client.logout()
    assert [e["text"] for e in client.get(f"{API}/examples").json()["items"]] == ["乙方答应了"]
