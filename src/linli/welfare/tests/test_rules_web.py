"""The rules pages: who sees them and the menu link, example values marked, a dated change added
by the city's officer (refused for others with nothing saved), a parameter's history, the trial
calculator (nothing saved) and the table's pinned query count."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linli.accounts.domain import Role
from linli.core.models import AuditEntry
from linli.testing import log_in, make_user
from linli.welfare.models import ParameterChange

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)
HOME = "/staff/welfare/rules/"
TRIAL = "/staff/welfare/rules/trial/"


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def city_officer(tree):
    return make_user("city_civil_affairs", Role.CIVIL_AFFAIRS_OFFICER, tree["210100000000"])


CHANGE = {
    "name": "dibao.standard.urban",
    "value": "900",
    "valid_from": "2027-01-01",
    "reason": "市政府调整城市低保标准",
    "document": "沈民发〔2026〕99号（演示）",
}


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("resident", 404),
        ("grid_worker", 404),
        ("district_admin", 404),
        ("community_worker", 200),
        ("street_officer", 200),
        ("civil_affairs_officer", 200),
    ],
)
def test_who_opens_the_rules(client, people, clock, who, status) -> None:
    log_in(client, who)
    assert client.get(HOME).status_code == status
    assert client.get(TRIAL).status_code == status
    home = client.get("/staff/").content.decode()
    assert (HOME in home) is (status == 200)


def test_anonymous_is_sent_to_log_in(client, tree, clock) -> None:
    response = client.get(HOME)
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_table_marks_example_values(client, people, clock) -> None:
    log_in(client, "community_worker")
    page = client.get(HOME).content.decode()
    assert "城市低保标准" in page and "¥820.00" in page
    assert "示例值" in page or "Example value" in page
    assert "rules-change" not in page  # no form for a reader


def test_the_city_officer_adds_a_change(client, city_officer, clock) -> None:
    log_in(client, "city_civil_affairs")
    assert "rules-change" in client.get(HOME).content.decode()
    response = client.post(HOME, CHANGE)
    assert response.status_code == 302 and "on=2027-01-01" in response["Location"]
    row = ParameterChange.objects.get()
    assert row.value == Decimal("900") and row.recorded_by_name == "city_civil_affairs"
    assert AuditEntry.objects.filter(action="welfare.rules.change_recorded").count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "¥900.00" in page and "沈民发〔2026〕99号（演示）" in page
    history = client.get("/staff/welfare/rules/p/dibao.standard.urban/").content.decode()
    assert "2027-01-01" in history and "2024-01-01" in history and "2020-01-01" in history


def test_a_past_date_asks_for_confirmation(client, city_officer, clock) -> None:
    log_in(client, "city_civil_affairs")
    page = client.post(HOME, CHANGE | {"valid_from": "2026-07-01"}).content.decode()
    assert "已作出的认定不会重算" in page
    assert ParameterChange.objects.count() == 0
    assert client.post(HOME, CHANGE | {"valid_from": "2026-07-01", "confirm_past": "on"}).status_code == 302
    assert ParameterChange.objects.get().valid_from == dt.date(2026, 7, 1)


def test_a_refusal_names_the_field(client, city_officer, clock) -> None:
    log_in(client, "city_civil_affairs")
    page = client.post(HOME, CHANGE | {"value": "-3", "reason": ""}).content.decode()
    assert "数值不能为负数" in page and "请填写调整原因" in page
    assert ParameterChange.objects.count() == 0


def test_a_district_officer_cannot_post_a_change(client, people, clock) -> None:
    log_in(client, "civil_affairs_officer")
    assert client.post(HOME, CHANGE).status_code == 404
    assert client.post("/staff/welfare/rules/p/dibao.standard.urban/", CHANGE).status_code == 404
    assert ParameterChange.objects.count() == 0
    assert not AuditEntry.objects.filter(action="welfare.rules.change_recorded").exists()


def test_unknown_parameter_is_a_404(client, people, clock) -> None:
    log_in(client, "community_worker")
    assert client.get("/staff/welfare/rules/p/no.such/").status_code == 404


TRIAL_FORM = {
    "on": "2026-07-15",
    "area": "urban",
    "m1_age": "46",
    "m1_wage": "1000",
    "m2_age": "76",
    "m3_age": "11",
    "medical_costs": "200",
    "homes": "1",
}


def test_the_trial_calculator_shows_class_amount_and_trace(client, people, clock) -> None:
    log_in(client, "community_worker")
    before = (ParameterChange.objects.count(), AuditEntry.objects.count())
    page = client.post(TRIAL, TRIAL_FORM).content.decode()
    assert 'id="trial-class">最低生活保障<' in page
    assert 'id="trial-amount">¥1,924.00<' in page
    assert "¥1,760.00（¥820.00 × 3 − ¥700.00）" in page
    assert (ParameterChange.objects.count(), AuditEntry.objects.count()) == before


def test_the_trial_calculator_names_a_bad_field(client, people, clock) -> None:
    log_in(client, "community_worker")
    page = client.post(TRIAL, TRIAL_FORM | {"m1_wage": "-5"}).content.decode()
    assert "金额不能为负数" in page and "trial-result" not in page
    page = client.post(TRIAL, TRIAL_FORM | {"m1_age": "", "m2_age": "", "m3_age": ""}).content.decode()
    assert "请填写 1 至 10 名家庭成员" in page
    page = client.post(TRIAL, TRIAL_FORM | {"on": "2019-01-01"}).content.decode()
    assert "该日期没有适用的参数" in page


def test_the_table_query_count_is_pinned(client, city_officer, clock) -> None:
    log_in(client, "city_civil_affairs")
    client.post(HOME, CHANGE)
    client.get(HOME)
    with CaptureQueriesContext(connection) as few:
        client.get(HOME)
    for n in range(3):
        client.post(HOME, CHANGE | {"value": str(901 + n), "valid_from": f"2027-0{n + 2}-01"})
    with CaptureQueriesContext(connection) as reloading:  # the changes are read again once
        client.get(HOME)
    assert len(reloading) == len(few) + 1
    with CaptureQueriesContext(connection) as more:
        client.get(HOME)
    assert len(more) == len(few)
    assert len(few) <= 14, [q["sql"] for q in few.captured_queries]


def test_the_pages_in_english(client, people, clock) -> None:
    log_in(client, "community_worker")
    page = client.get(HOME, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Assistance rules and amounts" in page and "Urban dibao standard" in page
    assert "Example value" in page and "城市低保标准" not in page
    trial = client.post(TRIAL, TRIAL_FORM, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="trial-class">Minimum living allowance<' in trial
    assert "Gap: (standard − per-capita income) × members" in trial
    assert "¥1,760.00 (¥820.00 × 3 − ¥700.00)" in trial
    assert "差额" not in trial
