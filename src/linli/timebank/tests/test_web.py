"""Resident and staff pages of the time bank: what each role sees, refusals shown next to the
field, the role × scope matrix (a denied path changes nothing) and pinned query counts."""

import pytest
from django.test import Client

from linli.testing import log_in
from linli.timebank.domain import ExchangeState
from linli.timebank.models import Exchange, TimeBankAccount, TimeBankEntry
from linli.timebank.services import ExchangeInput, exchange_request

HOME = "/my/time-bank/"
STAFF = "/staff/time-bank/"


def as_user(name: str) -> Client:
    client = Client()
    if name != "anonymous":
        log_in(client, name)
    return client


def test_a_resident_not_yet_volunteering_is_sent_to_register(people):
    response = as_user("resident").get(HOME)
    assert response.status_code == 200
    assert 'id="not-volunteer"' in response.text and 'href="/volunteer/"' in response.text


def test_anonymous_is_sent_to_log_in(db):
    response = Client().get(HOME)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_resident_sees_balance_stars_hours_and_ledger(bank, django_assert_max_num_queries):
    client = as_user("resident")
    with django_assert_max_num_queries(16):
        response = client.get(HOME)
    assert response.status_code == 200
    text = response.text
    assert 'id="tb-balance"><span class="nowrap">5 小时</span></dd>' in text
    assert 'id="tb-hours"><span class="nowrap">5 小时</span></dd>' in text
    assert "tb-ledger" in text and "+4 小时" in text


def test_the_resident_requests_an_exchange_and_an_overspend_is_refused(bank):
    client = as_user("resident")
    refused = client.post(HOME + "exchange/", {"service": "escort_clinic", "units": 2, "beneficiary": "parent"})
    assert refused.status_code == 400
    assert "时间余额不足" in refused.text and "可用 5 小时" in refused.text
    assert not Exchange.objects.exists()
    sent = client.post(
        HOME + "exchange/", {"service": "home_cleaning", "units": 1, "beneficiary": "parent", "note": "周二"}
    )
    assert sent.status_code == 302
    exchange = Exchange.objects.get()
    assert (exchange.minutes, exchange.state) == (120, ExchangeState.REQUESTED)
    page = client.get(HOME).text
    assert "居家保洁" in page and "其中 2 小时已为申请中的兑换预留" in page
    assert 'id="tb-available"><span class="nowrap">3 小时</span></dd>' in page


def test_the_resident_cancels_with_a_reason(bank, actors):
    exchange = exchange_request(actor=actors["resident"], data=ExchangeInput(service="meal_delivery"))
    client = as_user("resident")
    url = f"{HOME}exchanges/{exchange.public_id}/cancel/"
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "不需要了"}).status_code == 302
    exchange.refresh_from_db()
    assert exchange.state == ExchangeState.CANCELLED
    assert as_user("community_worker").get(url).status_code == 404  # not theirs to cancel here


def test_a_donation_needs_the_confirmation(bank):
    client = as_user("resident")
    data = {"to": "pool", "minutes": 30, "reason": "给社区"}
    refused = client.post(HOME + "donate/", data)
    assert refused.status_code == 400 and "不能撤回" in refused.text
    assert TimeBankAccount.objects.get(holder=bank.me).balance == 300
    assert client.post(HOME + "donate/", data | {"confirmed": "on"}).status_code == 302
    assert TimeBankAccount.objects.get(holder=bank.me).balance == 270


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("anonymous", 302),
        ("resident", 404),
        ("organiser", 404),
        ("other_community_worker", 200),
        ("community_worker", 200),
        ("street_officer", 404),  # no time-bank permission
        ("civil_affairs_officer", 200),
    ],
)
def test_staff_home_by_role(people, name, status):
    assert as_user(name).get(STAFF).status_code == status


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("anonymous", 302),
        ("resident", 404),
        ("organiser", 404),
        ("other_community_worker", 404),  # a sibling community
        ("community_worker", 200),
        ("civil_affairs_officer", 200),  # the district above
    ],
)
def test_an_exchange_and_an_account_by_role_and_scope(bank, actors, name, status):
    exchange = exchange_request(actor=actors["resident"], data=ExchangeInput(service="meal_delivery"))
    client = as_user(name)
    assert client.get(f"{STAFF}exchanges/{exchange.public_id}/").status_code == status
    assert client.get(f"{STAFF}accounts/{bank.me}/").status_code == status
    arranged = client.post(
        f"{STAFF}exchanges/{exchange.public_id}/", {"action": "arrange", "provider": str(bank.provider)}
    )
    exchange.refresh_from_db()
    if status == 200:
        assert arranged.status_code == 302 and exchange.state == ExchangeState.ARRANGED
    else:
        assert arranged.status_code in (302, 404) and exchange.state == ExchangeState.REQUESTED
        assert exchange.provider is None


def test_staff_arrange_deliver_and_confirm_on_the_page(bank, actors):
    exchange = exchange_request(actor=actors["resident"], data=ExchangeInput(service="home_cleaning"))
    client = as_user("community_worker")
    url = f"{STAFF}exchanges/{exchange.public_id}/"
    bad = client.post(url, {"action": "arrange", "provider": "not-a-number"})
    assert bad.status_code == 400 and "不是有效的志愿者编号" in bad.text
    for step in ({"action": "arrange", "provider": str(bank.provider)}, {"action": "deliver"}, {"action": "confirm"}):
        assert client.post(url, step).status_code == 302
    exchange.refresh_from_db()
    assert exchange.state == ExchangeState.CONFIRMED
    assert TimeBankAccount.objects.get(holder=bank.provider).balance == 120


def test_staff_correct_a_balance_on_the_account_page(bank):
    client = as_user("community_worker")
    url = f"{STAFF}accounts/{bank.me}/"
    refused = client.post(url, {"minutes": -301, "reason": "录入错误"})
    assert refused.status_code == 400 and "时间余额不足" in refused.text
    assert client.post(url, {"minutes": -30, "reason": "录入错误"}).status_code == 302
    assert TimeBankAccount.objects.get(holder=bank.me).balance == 270
    assert TimeBankEntry.objects.filter(account__holder=bank.me).count() == 3


def test_lists_run_in_a_fixed_number_of_queries(bank, actors, django_assert_num_queries):
    for _ in range(3):
        exchange_request(actor=actors["resident"], data=ExchangeInput(service="meal_delivery"))
    client = as_user("community_worker")
    client.get(f"{STAFF}exchanges/")  # warm the session and memoised rows
    client.get(f"{STAFF}accounts/")
    with django_assert_num_queries(7):
        assert client.get(f"{STAFF}exchanges/").status_code == 200
    with django_assert_num_queries(7):
        assert client.get(f"{STAFF}accounts/").status_code == 200


def test_the_catalogue_and_the_rule_are_the_citys(people):
    worker = as_user("community_worker")
    before = worker.get(f"{STAFF}services/")
    assert before.status_code == 200 and "居家保洁" in before.text and "只有市级" not in before.text
    worker.post(
        f"{STAFF}services/",
        {
            "code": "home_cleaning",
            "name_zh": "保洁",
            "name_en": "x",
            "unit_zh": "次",
            "unit_en": "v",
            "minutes_per_unit": 1,
        },
    )
    city = as_user("city_admin")
    assert (
        city.post(
            f"{STAFF}services/",
            {
                "code": "home_cleaning",
                "name_zh": "居家保洁",
                "name_en": "Home cleaning",
                "unit_zh": "次",
                "unit_en": "visit",
                "minutes_per_unit": 90,
                "is_active": "on",
            },
        ).status_code
        == 302
    )
    assert "1 小时 30 分钟" in city.get(f"{STAFF}services/").text
    assert city.post(f"{STAFF}expiry/", {"years": 3, "verified": "on", "source": ""}).status_code == 400
    assert city.post(f"{STAFF}expiry/", {"years": 3}).status_code == 302
    assert "3" in worker.get(f"{STAFF}expiry/").text


def test_figures_show_the_chart_and_the_table(bank):
    response = as_user("community_worker").get(f"{STAFF}figures/")
    assert response.status_code == 200
    assert 'id="tb-months"' in response.text and "tb-figures" in response.text and "5 小时" in response.text


def test_staff_spend_a_pool_for_a_neighbour_in_need(bank, actors):
    from linli.timebank.domain import pool_holder
    from linli.timebank.services import DonationInput, donation_make

    donation_make(
        actor=actors["resident"], data=DonationInput(minutes=120, reason="给社区", to_pool=True, confirmed=True)
    )
    pool = pool_holder("210102001002")
    client = as_user("community_worker")
    url = f"{STAFF}accounts/{pool}/"
    page = client.get(url)
    assert (
        page.status_code == 200
        and "用社区时间池为有需要的邻居兑换服务" in page.text
        and 'value="self"' not in page.text
    )
    refused = client.post(
        url, {"form": "exchange", "x-service": "escort_clinic", "x-units": 1, "x-beneficiary": "neighbour"}
    )
    assert refused.status_code == 400 and "时间余额不足" in refused.text
    made = client.post(
        url, {"form": "exchange", "x-service": "home_cleaning", "x-units": 1, "x-beneficiary": "neighbour"}
    )
    assert made.status_code == 302
    exchange = Exchange.objects.get()
    assert exchange.account.kind == "pool" and exchange.requested_by is None
    assert (
        as_user("other_community_worker")
        .post(url, {"form": "exchange", "x-service": "meal_delivery", "x-units": 1, "x-beneficiary": "neighbour"})
        .status_code
        == 404
    )
    assert Exchange.objects.count() == 1
