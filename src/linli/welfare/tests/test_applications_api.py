"""The applications' API: create at home with an Idempotency-Key (replayed, not doubled), read and
list within the area only, the facts refused with the member and source named, steps with the
API's error shapes (409 before the notice ends, 403 for the wrong role), and the approval."""

import pytest
import time_machine

from linli.testing import log_in
from linli.welfare.models import Application
from linli.welfare.tests.applications_support import AFTER_NOTICE, MONDAY, make_family, to_notice

API = "/api/v1/welfare/applications"


@pytest.fixture
def clock():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def family(tree, people):
    return make_family()


def test_create_at_home_is_idempotent_and_scoped(clock, family, client):
    log_in(client, "community_worker")
    body = {"applicant": str(family["wang"].public_id), "applied_class": "dibao"}
    first = client.post(API, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post(API, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["number"] == again.json()["number"] and Application.objects.count() == 1
    assert first.json()["state"] == "recording" and "record" in first.json()["actions"]
    number = first.json()["number"]
    assert client.get(f"{API}/{number}").json()["head_name"] == "王强"
    assert [row["number"] for row in client.get(API).json()["items"]] == [number]
    log_in(client, "other_community_worker")
    assert client.get(f"{API}/{number}").status_code == 404
    assert client.get(API).json()["items"] == []
    refused = client.post(API, body, content_type="application/json")  # not their resident
    assert refused.status_code == 422 and Application.objects.count() == 1


def test_facts_and_steps_with_the_error_shapes(clock, family, actors, client):
    _case, app = to_notice(actors, family)
    log_in(client, "civil_affairs_officer")
    early = client.post(f"{API}/{app.number}/steps/approve", {}, content_type="application/json")
    assert early.status_code == 409 and "2026-12-13" in early.json()["error"]["message"]
    log_in(client, "street_officer")
    wrong = client.post(f"{API}/{app.number}/steps/approve", {}, content_type="application/json")
    assert wrong.status_code == 403
    clock.move_to(AFTER_NOTICE)
    log_in(client, "civil_affairs_officer")
    done = client.post(f"{API}/{app.number}/steps/approve", {"note": "符合"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["state"] == "approved"
    assert done.json()["decided_class"] == "dibao" and float(done.json()["decided_amount"]) > 0


def test_facts_put_names_the_member_and_source_of_a_negative_income(clock, family, client):
    log_in(client, "community_worker")
    body = {"applicant": str(family["zhang"].public_id), "applied_class": "dibao"}
    number = client.post(API, body, content_type="application/json").json()["number"]
    facts = {
        "members": [
            {"ref": str(family["zhang"].public_id), "incomes": [{"source": "wage", "monthly": "-5"}]},
            {"ref": str(family["li"].public_id)},
        ],
        "materials": {"letter": True},
    }
    refused = client.put(f"{API}/{number}/facts", facts, content_type="application/json")
    assert refused.status_code == 422
    fields = {f["field"]: f["message"] for f in refused.json()["error"]["fields"]}
    assert "张建国" in fields["members.0.incomes.wage"]
    facts["members"][0]["incomes"][0]["monthly"] = "800"
    saved = client.put(f"{API}/{number}/facts", facts, content_type="application/json")
    assert saved.status_code == 200 and "request_check" in saved.json()["actions"]
