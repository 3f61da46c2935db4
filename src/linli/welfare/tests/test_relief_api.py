"""Relief over JSON: created once per Idempotency-Key, the sealed facts never answered, refusals
naming the field, read by scope, the figures with counts only, pinned query counts on the lists."""

from __future__ import annotations

import pytest
import time_machine

from linli.testing import log_in
from linli.welfare.models import JobNeed, TemporaryAssistance, ZeroEmploymentCase
from linli.welfare.tests.relief_support import (
    HUNHEWAN,
    NOW,
    SHUIYUANDI,
    TODAY,
    Person,
    build_household,
    years_ago,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/welfare/relief"


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def family(people, clock):
    return build_household(SHUIYUANDI, "101", [Person("王建国", years_ago(45), "male", "unemployed")])


def post(client, path, body, key=""):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(f"{API}{path}", body, content_type="application/json", headers=headers)


def body(family, **extra):
    return {
        "person": str(family[1][0].public_id),
        "event": "illness",
        "event_on": TODAY.isoformat(),
        "amount_asked": "2000",
        "facts": "突发疾病住院，无力支付",
    } | extra


def test_create_is_idempotent_and_keeps_the_facts_out(client, family):
    log_in(client, "community_worker")
    first = post(client, "/temporary", body(family), key="t-1")
    again = post(client, "/temporary", body(family), key="t-1")
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert TemporaryAssistance.objects.count() == 1
    assert "无力支付" not in first.content.decode() and "facts" not in first.json()
    item = first.json()
    assert item["state"] == "recorded" and item["amount_asked"] == "2000.00"
    assert client.get(f"{API}/temporary/{item['id']}").json()["number"] == item["number"]


def test_fast_path_and_steps(client, family):
    log_in(client, "street_officer")
    response = post(client, "/temporary", body(family, route="fast", amount="1500"))
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["fields"]} if "fields" in response.json() else set()
    assert "amount" in fields or "amount" in response.content.decode()
    assert TemporaryAssistance.objects.count() == 0
    item = post(client, "/temporary", body(family, route="fast", amount="600")).json()
    assert item["state"] == "paid_first" and item["paperwork_due"] == "2026-12-21"
    log_in(client, "community_worker")
    done = post(client, f"/temporary/{item['id']}/steps/complete", {"note": "申请书和票据"})
    assert done.status_code == 200 and done.json()["state"] == "completed"


def test_read_by_scope(client, family):
    log_in(client, "community_worker")
    item = post(client, "/temporary", body(family)).json()
    log_in(client, "other_community_worker")
    assert client.get(f"{API}/temporary/{item['id']}").status_code == 404
    assert client.get(f"{API}/temporary").json()["count"] == 0
    log_in(client, "resident")
    assert client.get(f"{API}/temporary/{item['id']}").status_code == 404
    client.logout()
    assert client.get(f"{API}/temporary").status_code in (401, 403)


def test_lists_pin_their_queries(client, family, django_assert_num_queries):
    log_in(client, "community_worker")
    for n in range(2):
        post(client, "/temporary", body(family, outsider_name=f"路人{n}", person="", community=SHUIYUANDI))
    client.get(f"{API}/temporary")
    with django_assert_num_queries(7, exact=False) as ctx:
        assert client.get(f"{API}/temporary").json()["count"] == 2
    pinned = len(ctx.captured_queries)
    for n in range(3):
        post(client, "/temporary", body(family, outsider_name=f"路人{n + 5}", person="", community=SHUIYUANDI))
    with django_assert_num_queries(pinned):
        assert client.get(f"{API}/temporary").json()["count"] == 5


def test_zero_employment_and_figures(client, family):
    build_household(HUNHEWAN, "201", [Person("钱七", years_ago(30), "male", "unemployed")])
    log_in(client, "community_worker")
    found = post(client, "/zero-employment/search", {})
    assert [c["head_name"] for c in found.json()] == ["王建国"]
    case = found.json()[0]
    refused = post(client, f"/zero-employment/{case['id']}/close", {"how": "job", "reason": ""})
    assert refused.status_code == 422 and "reason" in refused.content.decode()
    assert ZeroEmploymentCase.objects.get().state == "open"
    followed = post(client, f"/zero-employment/{case['id']}/follow-ups", {"kind": "visit", "on": TODAY.isoformat()})
    assert followed.json()["last_follow_up_on"] == TODAY.isoformat()
    need = post(client, "/job-needs", {"person": str(family[1][0].public_id), "kind": "job", "wish": "保安"}, key="j-1")
    assert need.status_code == 201 and JobNeed.objects.count() == 1
    log_in(client, "district_admin")
    figures = client.get(f"{API}/figures/zero-employment?under=210102001").json()
    assert figures["total"]["open_now"] == 1 and "王建国" not in str(figures)
    assert client.get(f"{API}/zero-employment").status_code == 200
    assert client.get(f"{API}/zero-employment").json()["count"] == 0  # no WELFARE_EMPLOYMENT: nothing
