"""The rules over JSON: parameters as of a date, a change once per Idempotency-Key (refusals name
the field, nothing saved; a district officer is refused), the trial calculator."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine

from linli.accounts.domain import Role
from linli.testing import log_in, make_user
from linli.welfare.models import ParameterChange

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)
API = "/api/v1/welfare/rules"
CHANGE = {"name": "dibao.standard.urban", "value": "900", "valid_from": "2027-01-01", "reason": "调整标准"}
TRIAL = {
    "on": "2026-07-15",
    "area": "urban",
    "members": [{"age": 46, "incomes": {"wage": "1000"}}, {"age": 76}, {"age": 11}],
    "medical_costs": "200",
}


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def city_officer(tree):
    return make_user("city_civil_affairs", Role.CIVIL_AFFAIRS_OFFICER, tree["210100000000"])


def post(client, path, body, key=""):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(f"{API}{path}", body, content_type="application/json", headers=headers)


def test_parameters_as_of_a_date(client, people, clock) -> None:
    log_in(client, "community_worker")
    rows = {r["name"]: r for r in client.get(f"{API}/parameters?on=2022-12-31").json()}
    assert rows["dibao.standard.rural"]["shown"] == "¥600.00" and rows["dibao.standard.rural"]["example"]
    rows = {r["name"]: r for r in client.get(f"{API}/parameters?on=2023-01-01").json()}
    assert rows["dibao.standard.rural"]["shown"] == "¥760.00"
    assert rows["dibao.standard.rural"]["valid_from"] == "2023-01-01"


def test_parameters_refused_to_a_resident(client, people, clock) -> None:
    log_in(client, "resident")
    assert client.get(f"{API}/parameters").status_code == 403


def test_change_once_per_key(client, city_officer, clock) -> None:
    log_in(client, "city_civil_affairs")
    first = post(client, "/changes", CHANGE, key="c-1")
    again = post(client, "/changes", CHANGE, key="c-1")
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert ParameterChange.objects.count() == 1
    assert first.json()["shown"] == "¥900.00" and first.json()["recorded_by"] == "city_civil_affairs"
    rows = {r["name"]: r for r in client.get(f"{API}/parameters?on=2027-01-01").json()}
    assert rows["dibao.standard.urban"]["set_by_city"] and rows["dibao.standard.urban"]["reason"] == "调整标准"


def test_change_refusals_name_the_field(client, city_officer, clock) -> None:
    log_in(client, "city_civil_affairs")
    response = post(client, "/changes", CHANGE | {"name": "tekun.basic_factor", "value": "1.1"}, key="c-2")
    assert response.status_code == 422
    assert [f["field"] for f in response.json()["error"]["fields"]] == ["value"]
    past = post(client, "/changes", CHANGE | {"valid_from": "2026-01-01"})
    assert [f["field"] for f in past.json()["error"]["fields"]] == ["confirm_past"]
    assert ParameterChange.objects.count() == 0
    assert post(client, "/changes", CHANGE | {"valid_from": "2026-01-01", "confirm_past": True}).status_code == 201


def test_change_refused_to_the_district(client, people, clock) -> None:
    log_in(client, "civil_affairs_officer")
    assert post(client, "/changes", CHANGE).status_code == 403
    assert ParameterChange.objects.count() == 0


def test_trial(client, people, clock) -> None:
    log_in(client, "street_officer")
    body = post(client, "/trial", TRIAL).json()
    assert body["assistance_class"] == "dibao" and body["monthly_amount"] == "1924.00"
    assert body["trace"][0]["parameters"][0][0] == "dibao.standard.urban"
    assert ParameterChange.objects.count() == 0


def test_trial_refusals(client, people, clock) -> None:
    log_in(client, "street_officer")
    bad = post(client, "/trial", TRIAL | {"members": [{"age": 46, "incomes": {"wage": "-1"}}]})
    assert bad.status_code == 422
    assert [f["field"] for f in bad.json()["error"]["fields"]] == ["members.0.incomes.wage"]
    early = post(client, "/trial", TRIAL | {"on": "2019-06-01"})
    assert early.status_code == 422 and early.json()["error"]["fields"][0]["field"] == "on"
    empty = post(client, "/trial", TRIAL | {"members": []})
    assert [f["field"] for f in empty.json()["error"]["fields"]] == ["members"]


def test_trial_refused_to_a_resident(client, people, clock) -> None:
    log_in(client, "resident")
    assert post(client, "/trial", TRIAL).status_code == 403


def test_parameters_query_count_is_pinned(client, city_officer, clock) -> None:
    log_in(client, "city_civil_affairs")
    post(client, "/changes", CHANGE)
    client.get(f"{API}/parameters")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(f"{API}/parameters")
    for n in range(3):
        post(client, "/changes", CHANGE | {"value": str(901 + n), "valid_from": f"2027-0{n + 2}-01"})
    client.get(f"{API}/parameters")  # the changes are read again once
    with CaptureQueriesContext(connection) as more:
        assert len(client.get(f"{API}/parameters").json()) > 50
    assert len(more) == len(few) <= 12


def test_the_trial_refuses_a_number_written_as_text(client, people, clock) -> None:
    log_in(client, "community_worker")
    for member in ({"age": "46"}, {"age": True}, {"age": 46, "employed": "yes"}):
        bad = post(client, "/trial", TRIAL | {"members": [member]})
        assert bad.status_code == 422, member
    assert post(client, "/trial", TRIAL | {"members": [{"age": 46}]}).status_code == 200
