"""The API: needs created once per Idempotency-Key and refused with the field named, read by
scope; offers; matches; funds and the public ledger read without log-in with no personal data;
pinned query counts on the lists."""

import pytest

from linli.charity.models import CharityNeed, CharityOffer, FundEntry, Match
from linli.charity.services import need_post
from linli.charity.tests.conftest import SHUIYUANDI, TODAY, need_input
from linli.testing import log_in

API = "/api/v1/charity"
NEED = {
    "kind": "goods",
    "category": "clothing",
    "title": "冬衣三件",
    "quantity": 3,
    "unit": "件",
    "beneficiary": "赵大爷，独居",
    "description": "需要厚棉衣",
    "community": SHUIYUANDI,
    "note": "电话13812345678",
}


def post(client, path, body, key=""):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(f"{API}{path}", body, content_type="application/json", headers=headers)


def test_need_create_is_idempotent_and_keeps_the_note_out(client, people, clock):
    log_in(client, "community_worker")
    first = post(client, "/needs", NEED, key="n-1")
    again = post(client, "/needs", NEED, key="n-1")
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert CharityNeed.objects.count() == 1
    body = first.json()
    assert body["still_needed"] == 3 and "note" not in body and "13812345678" not in first.content.decode()
    assert client.get(f"{API}/needs/{body['id']}").json()["title"] == "冬衣三件"


def test_need_with_a_full_id_is_a_422_naming_the_field(client, people, clock):
    log_in(client, "community_worker")
    response = post(client, "/needs", NEED | {"beneficiary": "赵大爷 210102195003071234"}, key="n-2")
    assert response.status_code == 422
    assert [f["field"] for f in response.json()["error"]["fields"]] == ["beneficiary"]
    assert CharityNeed.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "status"),
    [("community_worker", 200), ("street_officer", 200), ("other_community_worker", 404), ("resident", 404)],
)
def test_need_read_by_scope(client, need, name, status):
    log_in(client, name)
    assert client.get(f"{API}/needs/{need.public_id}").status_code == status
    listed = client.get(f"{API}/needs").json()
    assert listed["count"] == (1 if status == 200 else 0)


def test_anonymous_cannot_post_or_read_staff_lists(client, need):
    assert post(client, "/needs", NEED).status_code == 401
    assert client.get(f"{API}/needs").status_code == 401


def test_offer_match_deliver(client, need, people, clock):
    log_in(client, "resident")
    offered = post(
        client,
        "/offers",
        {
            "kind": "goods",
            "title": "轮椅",
            "quantity": 1,
            "unit": "台",
            "anonymous": True,
            "for_need": str(need.public_id),
        },
        key="o-1",
    )
    assert offered.status_code == 201 and CharityOffer.objects.count() == 1
    log_in(client, "community_worker")
    proposals = client.get(f"{API}/needs/{need.public_id}/proposals").json()
    assert [p["offer"] for p in proposals] == [offered.json()["id"]] and proposals[0]["donor"] == ""
    over = post(client, "/matches", {"need": str(need.public_id), "offer": offered.json()["id"], "quantity": 2})
    assert over.status_code == 422 and Match.objects.count() == 0
    match = post(client, "/matches", {"need": str(need.public_id), "offer": offered.json()["id"], "quantity": 1})
    assert match.status_code == 201
    delivered = post(client, f"/matches/{match.json()['id']}/deliver", {"note": "已送到"})
    assert delivered.json()["state"] == "delivered"
    log_in(client, "resident")
    mine = client.get(f"{API}/offers/mine").json()
    assert mine[0]["matches"][0]["state"] == "delivered"


def test_public_needs_and_ledger_without_log_in(client, need, fund, actors, clock, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        needs = client.get(f"{API}/public/needs").json()
    assert needs["count"] == 1 and needs["items"][0]["beneficiary"] == "王女士，独居老人"
    assert "13812345678" not in str(needs) and "住3号楼" not in str(needs)
    funds = client.get(f"{API}/funds").json()
    assert [f["name"] for f in funds] == ["水源地社区微基金"]
    with django_assert_max_num_queries(5):
        ledger = client.get(f"{API}/funds/{fund.public_id}/ledger").json()
    assert ledger["balance"] == "8500.00" and ledger["income"] == "8500.00"
    assert [e["donor"] for e in ledger["entries"]] == ["李大爷", ""]
    assert "张某某" not in str(ledger) and "community_worker" not in str(ledger)


def test_payments_over_the_api(client, fund, clock):
    log_in(client, "community_worker")
    body = {"amount": "6000.00", "on": TODAY.isoformat(), "purpose": "加装扶手", "payee": "沈阳安居", "receipt": "F1"}
    refused = post(client, f"/funds/{fund.public_id}/payments", body)
    assert refused.status_code == 422
    assert {f["field"] for f in refused.json()["error"]["fields"]} == {"decision_text", "decision_on", "decision_ref"}
    decided = body | {"decision_text": "同意", "decision_on": TODAY.isoformat(), "decision_ref": "第3次议事会"}
    paid = post(client, f"/funds/{fund.public_id}/payments", decided, key="p-1")
    assert paid.status_code == 201 and paid.json()["balance"] == "2500.00"
    assert post(client, f"/funds/{fund.public_id}/payments", decided, key="p-1").status_code == 201
    assert FundEntry.objects.filter(kind="payment").count() == 1
    log_in(client, "other_community_worker")
    assert post(client, f"/funds/{fund.public_id}/payments", decided).status_code == 404


def test_need_list_query_count_is_pinned(client, actors, clock, django_assert_num_queries):
    for n in range(3):
        need_post(actor=actors["community_worker"], data=need_input(title=f"需求{n}"))
    log_in(client, "community_worker")
    client.get(f"{API}/needs")
    with django_assert_num_queries(6) as few:  # session, user, postings, page, names, count
        client.get(f"{API}/needs")
    for n in range(5):
        need_post(actor=actors["community_worker"], data=need_input(title=f"更多{n}"))
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(f"{API}/needs").json()["count"] == 8


def test_my_funds_by_scope(client, fund):
    log_in(client, "street_officer")
    assert [f["name"] for f in client.get(f"{API}/funds/mine").json()] == ["水源地社区微基金"]
    log_in(client, "other_community_worker")
    assert client.get(f"{API}/funds/mine").json() == []
