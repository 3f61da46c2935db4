"""The time bank's JSON API: my balance and ledger, a holder's balance for staff in scope,
exchanges with an Idempotency-Key and their steps, donations; pinned query counts."""

import pytest
from django.test import Client

from linli.testing import log_in
from linli.timebank.models import Donation, Exchange, TimeBankAccount

API = "/api/v1/time-bank"


def as_user(name: str) -> Client:
    client = Client()
    if name != "anonymous":
        log_in(client, name)
    return client


def test_my_balance_with_hours_and_stars(bank):
    body = as_user("resident").get(f"{API}/me").json()
    assert body["holder"] == str(bank.me)
    assert (body["balance_minutes"], body["available_minutes"], body["total_service_minutes"], body["star_level"]) == (
        300,
        300,
        300,
        0,
    )


def test_not_a_volunteer_and_anonymous(people):
    assert as_user("resident").get(f"{API}/me").status_code == 404
    assert Client().get(f"{API}/me").status_code in (401, 403)
    assert as_user("community_worker").get(f"{API}/me").status_code == 403


def test_my_ledger_is_paged_newest_first(bank, django_assert_max_num_queries):
    client = as_user("resident")
    with django_assert_max_num_queries(12):
        body = client.get(f"{API}/me/ledger").json()
    assert [(e["kind"], e["minutes"], e["balance_after"]) for e in body["items"]] == [
        ("earned", 60, 300),
        ("earned", 240, 240),
    ]


def test_an_exchange_is_created_once_per_idempotency_key(bank):
    client = as_user("resident")
    body = {"service": "home_cleaning", "units": 1, "beneficiary": "parent", "note": "周二下午"}
    first = client.post(f"{API}/exchanges", body, content_type="application/json", headers={"Idempotency-Key": "x-1"})
    again = client.post(f"{API}/exchanges", body, content_type="application/json", headers={"Idempotency-Key": "x-1"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and again["Idempotent-Replayed"] == "true"
    assert Exchange.objects.count() == 1
    assert TimeBankAccount.objects.get(holder=bank.me).held == 120


def test_an_overspend_is_refused_naming_the_balance(bank):
    response = as_user("resident").post(
        f"{API}/exchanges", {"service": "escort_clinic", "units": 2}, content_type="application/json"
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "insufficient_balance"
    assert error["fields"][0]["field"] == "units" and "可用 5 小时" in error["fields"][0]["message"]
    assert error["details"]["available"] == 300
    assert not Exchange.objects.exists()


@pytest.mark.parametrize(
    ("name", "status"),
    [("community_worker", 200), ("civil_affairs_officer", 200), ("other_community_worker", 404), ("resident", 404)],
)
def test_a_holders_balance_by_scope(bank, name, status):
    response = as_user(name).get(f"{API}/holders/{bank.me}")
    assert response.status_code == status
    if status == 200:
        assert response.json()["balance_minutes"] == 300


def test_steps_and_lists(bank, django_assert_num_queries):
    resident, worker = as_user("resident"), as_user("community_worker")
    public_id = resident.post(f"{API}/exchanges", {"service": "meal_delivery"}, content_type="application/json").json()[
        "id"
    ]
    denied = resident.post(
        f"{API}/exchanges/{public_id}/actions",
        {"action": "arrange", "provider": str(bank.provider)},
        content_type="application/json",
    )
    assert denied.status_code == 404
    arranged = worker.post(
        f"{API}/exchanges/{public_id}/actions",
        {"action": "arrange", "provider": str(bank.provider)},
        content_type="application/json",
    )
    assert arranged.status_code == 200 and arranged.json()["state"] == "arranged"
    wrong = worker.post(f"{API}/exchanges/{public_id}/actions", {"action": "confirm"}, content_type="application/json")
    assert wrong.status_code == 409
    worker.get(f"{API}/exchanges")
    with django_assert_num_queries(5):
        listed = worker.get(f"{API}/exchanges?state=open").json()
    assert [x["id"] for x in listed["items"]] == [public_id]
    assert resident.get(f"{API}/exchanges?mine=true").json()["count"] == 1
    assert as_user("other_community_worker").get(f"{API}/exchanges").json()["count"] == 0


def test_a_donation_needs_confirmation_and_is_idempotent(bank):
    client = as_user("resident")
    body = {"minutes": 30, "reason": "给社区", "to_pool": True}
    refused = client.post(f"{API}/donations", body, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["error"]["fields"][0]["field"] == "confirmed"
    body["confirmed"] = True
    for _ in range(2):
        assert (
            client.post(
                f"{API}/donations", body, content_type="application/json", headers={"Idempotency-Key": "d-1"}
            ).status_code
            == 201
        )
    assert Donation.objects.count() == 1
    assert TimeBankAccount.objects.get(holder=bank.me).balance == 270


def test_services_are_listed(people):
    codes = [s["code"] for s in as_user("resident").get(f"{API}/services").json()]
    assert codes[:3] == ["home_cleaning", "meal_delivery", "escort_clinic"]
