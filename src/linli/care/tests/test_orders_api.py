# ruff: noqa: F811 (pytest fixtures imported from orders_support)
"""Orders over JSON: an order created once per Idempotency-Key without the needs in any answer,
refusals naming the field, the community's approval, the carer's check-in (404 for anyone else),
rating, and a pinned query count on the list."""

from __future__ import annotations

import pytest

from linli.care.models import Order, Visit
from linli.care.services.orders import order_place
from linli.care.tests.orders_support import (  # noqa: F401
    HOME,
    TODAY,
    accepted_order,
    at_time,
    care,
    clock,
    order_input,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/care"


def post(client, path, body, key=""):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(f"{API}{path}", body, content_type="application/json", headers=headers)


def _body(care, **extra):
    return {
        "person": str(care["mother"].public_id),
        "item": "JJ01",
        "day": TODAY.isoformat(),
        "slot": "14",
        "provider": str(care["provider"].public_id),
        "needs": "腿脚不便",
    } | extra


def test_an_order_is_created_once_per_key_and_the_needs_stay_out(client, care, clock):
    client.force_login(care["users"]["daughter"])
    first = post(client, "/orders", _body(care), key="o-1")
    again = post(client, "/orders", _body(care), key="o-1")
    assert first.status_code == again.status_code == 201
    assert Order.objects.count() == 1
    assert "腿脚不便" not in first.content.decode()
    assert (first.json()["state"], first.json()["government_pays"]) == ("placed", "40.00")


def test_beyond_the_cap_names_the_field(client, care, clock):
    order_place(actor=care["actors"]["daughter"], data=order_input(care, quantity=4))
    client.force_login(care["users"]["daughter"])
    answer = post(client, "/orders", _body(care, slot="16"), key="o-2")
    assert answer.status_code == 422
    assert answer.json()["error"]["fields"][0]["field"] == "item"
    assert Order.objects.count() == 1


def test_approve_check_in_and_rate(client, care, clock):
    order = order_place(actor=care["actors"]["daughter"], data=order_input(care))
    client.force_login(care["users"]["other_community_worker"])
    assert post(client, f"/orders/{order.number}/approve", {}).status_code == 404
    client.force_login(care["users"]["community_worker"])
    assert post(client, f"/orders/{order.number}/approve", {}).json()["state"] == "approved"
    client.force_login(care["users"]["dispatcher"])
    carer = care["members"]["carer"].pk
    assert post(client, f"/orders/{order.number}/accept", {"carer": carer}).json()["state"] == "accepted"
    visit = Visit.objects.get()
    at_time(clock, 14, 0)
    client.force_login(care["users"]["other_carer"])
    assert post(client, f"/visits/{visit.public_id}/check-in", {"lat": HOME[0], "lng": HOME[1]}).status_code == 404
    client.force_login(care["users"]["carer"])
    assert [v["id"] for v in client.get(f"{API}/visits/today").json()] == [str(visit.public_id)]
    assert post(client, f"/visits/{visit.public_id}/check-in", {"lat": HOME[0], "lng": HOME[1]}).status_code == 200
    assert post(client, f"/visits/{visit.public_id}/check-out", {"record": "打扫"}).json()["state"] == "done"
    client.force_login(care["users"]["daughter"])
    assert post(client, f"/visits/{visit.public_id}/rating", {"rating": 5}).json()["rating"] == 5


def test_the_list_runs_a_pinned_number_of_queries(client, care, clock, django_assert_num_queries):
    for slot in ("12", "14", "16"):
        order_place(actor=care["actors"]["daughter"], data=order_input(care, slot=slot))
    client.force_login(care["users"]["community_worker"])
    client.get(f"{API}/orders")
    with django_assert_num_queries(5):
        answer = client.get(f"{API}/orders")
    assert len(answer.json()["items"]) == 3
