"""Classes over JSON: enrolment once per Idempotency-Key (a replay is the same answer), the
waiting position in the answer, requests and support, refusals in the error shape, staff lists
scoped, a pinned query count."""

import pytest

from linli.care.models import ClassEnrolment, ClassRequest
from linli.care.services.classes import class_enrol
from linli.care.tests import classes_support
from linli.care.tests.classes_support import a_class
from linli.testing import log_in

pytestmark = pytest.mark.django_db
clock = classes_support.clock
neighbours = classes_support.neighbours
API = "/api/v1/care"


def post(client, path, body=None, key=""):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(f"{API}{path}", body or {}, content_type="application/json", headers=headers)


def test_enrol_is_idempotent_and_answers_the_waiting_position(client, neighbours, actors):
    item = a_class(actors["community_worker"], capacity=1)
    class_enrol(actor=neighbours["li"], public_id=item.public_id)
    log_in(client, "wang")
    first = post(client, f"/classes/{item.public_id}/enrol", key="k-1")
    again = post(client, f"/classes/{item.public_id}/enrol", key="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert (first.json()["state"], first.json()["waiting_position"]) == ("waiting", 1)
    assert ClassEnrolment.objects.filter(user__username="wang").count() == 1
    refused = post(client, f"/classes/{item.public_id}/enrol", key="k-2")
    assert refused.status_code == 409
    mine = client.get(f"{API}/classes/mine").json()
    assert [e["waiting_position"] for e in mine["enrolments"]] == [1]


def test_requests_and_support_over_json(client, neighbours):
    log_in(client, "wang")
    made = post(client, "/classes/requests", {"title": "书法入门", "why": "练字养心"}, key="r-1")
    assert made.status_code == 201 and made.json()["votes"] == 1
    bad = post(client, "/classes/requests", {"title": "", "why": "x"})
    assert bad.status_code == 422
    assert {f["field"] for f in bad.json()["error"]["fields"]} == {"title", "why"}
    log_in(client, "li")
    voted = post(client, f"/classes/requests/{made.json()['id']}/vote")
    assert (voted.status_code, voted.json()["votes"], voted.json()["supported_by_me"]) == (200, 2, True)
    withdrawn = client.delete(f"{API}/classes/requests/{made.json()['id']}/vote")
    assert withdrawn.json()["votes"] == 1
    assert ClassRequest.objects.get().votes == 1


def test_staff_list_is_scoped_and_pinned(client, neighbours, actors, django_assert_num_queries):
    for n in range(3):
        a_class(actors["community_worker"], title=f"课程{n}")
    log_in(client, "community_worker")
    client.get(f"{API}/classes")
    with django_assert_num_queries(5):
        answer = client.get(f"{API}/classes")
    assert answer.json()["count"] == 3
    log_in(client, "other_community_worker")
    assert client.get(f"{API}/classes").json()["count"] == 0
    log_in(client, "wang")
    assert client.get(f"{API}/classes").json()["count"] == 0
