"""The roll's API: the roll by scope with the head masked, the recompute and the payroll created
once per Idempotency-Key, refusals naming the field, the bank file masked unless revealed."""

from __future__ import annotations

import pytest

from linli.testing import log_in
from linli.welfare.models import Payroll, ReviewRun
from linli.welfare.tests.roll_support import TODAY, clock, enrol, facts, rules_api  # noqa: F401

pytestmark = pytest.mark.usefixtures("rules_api", "clock")
API = "/api/v1/welfare/roll"


def post(client, path, body, key=""):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(f"{API}{path}", body, content_type="application/json", headers=headers)


@pytest.fixture
def recipient(actors):
    return enrol(actors, facts(wage="0"), head="张三明")


def test_the_roll_by_scope_with_the_head_masked(client, recipient):
    log_in(client, "community_worker")
    body = client.get(API).json()
    assert body["count"] == 1 and body["items"][0]["head"] == "张*明"
    assert "张三明" not in client.get(f"{API}/{recipient.public_id}").content.decode()
    log_in(client, "other_community_worker")
    assert client.get(API).json()["count"] == 0
    assert client.get(f"{API}/{recipient.public_id}").status_code == 404
    log_in(client, "resident")
    assert client.get(f"{API}/{recipient.public_id}").status_code == 404


def test_recompute_once_per_key_and_confirm_with_a_reason(client, recipient):
    log_in(client, "street_officer")
    first = post(client, "/reviews/compute", {"scope": "210102001", "on": str(TODAY)}, key="r-1")
    again = post(client, "/reviews/compute", {"scope": "210102001", "on": str(TODAY)}, key="r-1")
    assert first.status_code == again.status_code == 201 and ReviewRun.objects.count() == 1
    assert first.json()["households"] == 1
    [review] = client.get(f"{API}/reviews").json()["items"]
    refused = post(client, f"/reviews/{review['id']}/confirm", {"reason": ""})
    assert refused.status_code == 422 and refused.json()["error"]["fields"][0]["field"] == "reason"
    done = post(client, f"/reviews/{review['id']}/confirm", {"reason": "年度复核，情况未变"})
    assert done.status_code == 200 and done.json()["kind"] == "reviewed"
    assert post(client, "/reviews/compute", {"scope": "210103", "on": str(TODAY)}).status_code == 403


def test_payroll_once_per_key_approve_and_export(client, recipient):
    log_in(client, "civil_affairs_officer")
    first = post(client, "/payrolls", {"district": "210102", "month": "2027-01-15"}, key="p-1")
    again = post(client, "/payrolls", {"district": "210102", "month": "2027-01-15"}, key="p-1")
    assert first.status_code == again.status_code == 201 and Payroll.objects.count() == 1
    payroll = first.json()
    assert payroll["households"] == 1 and payroll["number"] == "FF210102202701"
    assert post(client, f"/payrolls/{payroll['id']}/approve", {}).status_code == 422
    assert post(client, f"/payrolls/{payroll['id']}/approve", {"confirm": True}).json()["state"] == "approved"
    assert post(client, f"/payrolls/{payroll['id']}/approve", {"confirm": True}).status_code == 409
    masked = post(client, f"/payrolls/{payroll['id']}/export", {"format": "csv"})
    assert masked.status_code == 200 and "张三明" in masked.content.decode("utf-8-sig")
    refused = post(client, f"/payrolls/{payroll['id']}/export", {"format": "csv", "reveal": True})
    assert refused.status_code == 422
    log_in(client, "community_worker")
    assert post(client, "/payrolls", {"district": "210102", "month": "2027-02-01"}).status_code == 403
    assert client.get(f"{API}/payrolls/{payroll['id']}").json()["streets"][0]["street"] == "210102001"
