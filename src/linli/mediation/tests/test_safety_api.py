# ruff: noqa: F811 (the stage's fixtures are imported from safety_support)
"""Stage safety over JSON: the four-zero list scoped and pinned, records created once per
Idempotency-Key, refusals in the error shape, beats linked and ended."""

import datetime as dt

import pytest

from linli.mediation.models import EmergencyDrill, PoliceBeat, PoliceCase
from linli.mediation.services import safety as svc
from linli.mediation.tests.safety_support import (  # noqa: F401 (fixtures)
    DECEMBER,
    HUNHEWAN,
    SHUIYUANDI,
    TODAY,
    clock,
    police,
)
from linli.testing import log_in

pytestmark = pytest.mark.django_db
API = "/api/v1/mediation"


def post(client, path, body=None, key=""):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(f"{API}{path}", body or {}, content_type="application/json", headers=headers)


def test_four_zero_is_scoped_and_pinned(client, police, django_assert_num_queries):
    svc.four_zero_compute(under="210102", month=DECEMBER)
    log_in(client, "street_officer")
    client.get(f"{API}/four-zero")
    with django_assert_num_queries(7):
        answer = client.get(f"{API}/four-zero?month=2026-12")
    assert answer.status_code == 200
    items = answer.json()["items"]
    assert [(i["community"], i["cases_state"], i["four_zero"]) for i in items] == [
        (SHUIYUANDI, "met", False),
        (HUNHEWAN, "no_data", False),
    ]
    log_in(client, "resident")
    assert client.get(f"{API}/four-zero").json()["count"] == 0


def test_a_bad_month_is_refused_in_the_error_shape(client, police):
    log_in(client, "street_officer")
    answer = client.get(f"{API}/four-zero?month=12/2026")
    assert answer.status_code == 422
    assert [f["field"] for f in answer.json()["error"]["fields"]] == ["month"]


def test_the_officer_records_a_case_once_per_key(client, police):
    log_in(client, "officer")
    body = {"community": SHUIYUANDI, "kind": "criminal", "occurred_on": TODAY.isoformat(), "note": "诈骗"}
    first = post(client, "/police-cases", body, key="c-1")
    again = post(client, "/police-cases", body, key="c-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert PoliceCase.objects.count() == 1
    elsewhere = post(client, "/police-cases", body | {"community": HUNHEWAN})
    assert elsewhere.status_code == 404
    assert PoliceCase.objects.count() == 1
    listed = client.get(f"{API}/police-cases?month=2026-12").json()
    assert [(c["community"], c["kind"]) for c in listed["items"]] == [(SHUIYUANDI, "criminal")]


def test_a_drill_with_no_participants_is_refused(client, police):
    log_in(client, "community_worker")
    body = {"community": SHUIYUANDI, "held_on": TODAY.isoformat(), "scenario": "防汛演练", "participants": 0}
    refused = post(client, "/drills", body)
    assert refused.status_code == 422
    assert [f["field"] for f in refused.json()["error"]["fields"]] == ["participants"]
    assert EmergencyDrill.objects.count() == 0
    made = post(client, "/drills", body | {"participants": 20}, key="d-1")
    assert made.status_code == 201
    assert client.get(f"{API}/drills?year=2026").json()["count"] == 1
    log_in(client, "other_community_worker")
    assert client.get(f"{API}/drills").json()["count"] == 0


def test_an_incident_over_json(client, police):
    log_in(client, "community_worker")
    body = {"community": SHUIYUANDI, "kind": "fire", "severity": "minor", "occurred_on": TODAY.isoformat()}
    made = post(client, "/incidents", body | {"description": "垃圾桶起火"})
    assert made.status_code == 201
    assert client.get(f"{API}/incidents").json()["items"][0]["description"] == "垃圾桶起火"


def test_beats_are_linked_and_ended(client, police):
    log_in(client, "street_officer")
    spare = police["users"]["spare_officer"].pk
    twice = post(client, "/beats", {"community": SHUIYUANDI, "officer_id": spare, "since": TODAY.isoformat()})
    assert twice.status_code == 409
    made = post(client, "/beats", {"community": HUNHEWAN, "officer_id": spare, "since": TODAY.isoformat()})
    assert made.status_code == 201
    assert [b["community"] for b in client.get(f"{API}/beats").json()["items"]] == [SHUIYUANDI, HUNHEWAN]
    no_reason = post(client, f"/beats/{made.json()['id']}/end", {"until": TODAY.isoformat(), "reason": ""})
    assert no_reason.status_code == 422
    ended = post(client, f"/beats/{made.json()['id']}/end", {"until": TODAY.isoformat(), "reason": "人员调整"})
    assert (ended.status_code, ended.json()["until"]) == (200, TODAY.isoformat())
    assert PoliceBeat.objects.filter(path=HUNHEWAN, until__isnull=True).count() == 0
    log_in(client, "community_worker")
    assert (
        post(client, f"/beats/{made.json()['id']}/end", {"until": TODAY.isoformat(), "reason": "人员调整"}).status_code
        == 404
    )
    assert dt.date.fromisoformat(ended.json()["since"]) == TODAY


def test_an_incident_is_withdrawn_with_a_reason(client, police):
    log_in(client, "community_worker")
    body = {"community": SHUIYUANDI, "kind": "gas", "severity": "minor", "occurred_on": TODAY.isoformat()}
    made = post(client, "/incidents", body | {"description": "误报"}).json()
    refused = post(client, f"/incidents/{made['id']}/withdraw", {"reason": ""})
    assert refused.status_code == 422
    assert [f["field"] for f in refused.json()["error"]["fields"]] == ["reason"]
    log_in(client, "other_community_worker")
    assert post(client, f"/incidents/{made['id']}/withdraw", {"reason": "重复登记"}).status_code == 404
    log_in(client, "community_worker")
    done = post(client, f"/incidents/{made['id']}/withdraw", {"reason": "重复登记"})
    assert (done.status_code, done.json()) == (200, {"withdrawn": True})
    assert client.get(f"{API}/incidents").json()["count"] == 0
