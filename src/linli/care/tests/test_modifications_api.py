"""Modifications over JSON: create with an Idempotency-Key, read by scope, the assessment and the
steps, a refusal's field named, the list's queries pinned, the items and the progress."""

import pytest
import time_machine

from linli.care.models import ModificationApplication
from linli.care.services.modifications import application_apply, application_assess
from linli.care.tests.modifications_support import NOW, PLAN, TODAY, build_mods, photo
from linli.testing import log_in

pytestmark = pytest.mark.django_db
API = "/api/v1/care"


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def mods(tree, people, clock):
    return build_mods(tree, people)


def post(client, path, body, key=""):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(f"{API}{path}", body, content_type="application/json", headers=headers)


def test_create_is_idempotent_and_read_by_scope(client, mods):
    log_in(client, "community_worker")
    first = post(client, "/modifications", {"person": str(mods["mother"].public_id)}, key="m-1")
    again = post(client, "/modifications", {"person": str(mods["mother"].public_id)}, key="m-1")
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert ModificationApplication.objects.count() == 1
    item = first.json()
    assert (item["state"], item["channel"], item["assess_due"]) == ("applied", "worker", "2026-12-21")
    assert client.get(f"{API}/modifications/{item['id']}").json()["number"] == item["number"]
    log_in(client, "other_community_worker")
    assert client.get(f"{API}/modifications/{item['id']}").status_code == 404
    young = post(client, "/modifications", {"person": str(mods["young"].public_id)})
    assert young.status_code == 422


def test_assessment_and_steps_over_json(client, mods):
    a = mods["actors"]
    app = application_apply(actor=a["daughter"], person_ref=str(mods["mother"].public_id))
    log_in(client, "community_worker")
    lines = {"lines": [{"code": "grab_bar", "quantity": "2"}]}
    refused = post(client, f"/modifications/{app.public_id}/assessment", lines)
    assert refused.status_code == 422
    assert refused.json()["error"]["fields"][0]["field"] == "photos"  # the phone page takes them first
    application_assess(actor=a["community_worker"], application=app, lines=PLAN, photos=[photo()])
    assessed = post(client, f"/modifications/{app.public_id}/assessment", lines)
    assert (assessed.status_code, assessed.json()["subsidy"]) == (200, "360.00")
    assert (
        post(client, f"/modifications/{app.public_id}/steps/confirm", {"note": "电话确认"}).json()["state"]
        == "confirmed"
    )
    started = post(
        client,
        f"/modifications/{app.public_id}/steps/start",
        {"contractor": "个体工匠张师傅", "start": TODAY.isoformat(), "finish": TODAY.isoformat()},
    )
    assert started.json()["state"] == "in_works"
    assert post(client, f"/modifications/{app.public_id}/steps/fly", {}).status_code == 404


def test_the_list_pins_its_queries(client, mods, django_assert_num_queries):
    a = mods["actors"]
    application_apply(actor=a["daughter"], person_ref=str(mods["mother"].public_id))
    log_in(client, "community_worker")
    client.get(f"{API}/modifications")
    with django_assert_num_queries(5, exact=False) as ctx:
        assert client.get(f"{API}/modifications").json()["count"] == 1
    pinned = len(ctx.captured_queries)
    application_apply(actor=a["community_worker"], person_ref=str(mods["tekun"].public_id))
    with django_assert_num_queries(pinned):
        assert client.get(f"{API}/modifications").json()["count"] == 2


def test_items_and_progress(client, mods):
    log_in(client, "community_worker")
    items = client.get(f"{API}/modification-items").json()
    assert len(items) == 18 and items[0]["group"] == "aids"
    log_in(client, "district_admin")
    answer = client.get(f"{API}/modifications-progress").json()
    assert (answer["goal"], answer["done"], [d["path"] for d in answer["districts"]]) == (11000, 0, ["210102"])
    log_in(client, "resident")
    assert client.get(f"{API}/modifications-progress").status_code == 404
