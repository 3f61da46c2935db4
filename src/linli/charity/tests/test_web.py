"""Pages: the staff pages by role and scope (missing and forbidden the same 404), the need form
refusing a full ID number next to its field, matching and delivery through the forms, the public
giving page and a fund's public ledger without personal data, pinned query counts."""

from decimal import Decimal

import pytest
from django.urls import reverse

from linli.charity.domain import NeedState
from linli.charity.models import CharityNeed, CharityOffer, FundEntry, Match
from linli.charity.services import PaymentInput, need_post, payment_record
from linli.charity.tests.conftest import SHUIYUANDI, TODAY, need_input
from linli.testing import log_in

STAFF_PAGES = ("home", "offers", "deliveries", "funds", "figures", "need-new", "offer-new")


def _as(client, name):
    if name != "anonymous":
        log_in(client, name)
    return client


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("community_worker", 200),
        ("street_officer", 200),
        ("civil_affairs_officer", 200),
        ("resident", 404),
        ("district_admin", 404),
        ("grid_worker", 404),
    ],
)
def test_staff_pages_by_role(client, people, name, status):
    _as(client, name)
    for page in STAFF_PAGES:
        expected = 302 if (name, page) == ("resident", "home") else status  # a donor: to their offers
        assert client.get(reverse(f"portal:charity:{page}")).status_code == expected, page


def test_anonymous_goes_to_the_staff_log_in(client, people):
    response = client.get(reverse("portal:charity:home"))
    assert response.status_code == 302 and "/staff/login/" in response["Location"]


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("community_worker", 200),  # in the area
        ("street_officer", 200),  # the street above
        ("civil_affairs_officer", 200),  # the district above
        ("other_community_worker", 404),  # the sibling community
        ("resident", 404),
        ("organiser", 404),
    ],
)
def test_need_and_fund_pages_by_scope(client, need, fund, name, status):
    _as(client, name)
    assert client.get(reverse("portal:charity:need", args=[need.public_id])).status_code == status
    assert client.get(reverse("portal:charity:fund", args=[fund.public_id])).status_code == status


def test_the_note_shows_only_to_staff_of_the_area(client, need):
    log_in(client, "community_worker")
    page = client.get(reverse("portal:charity:need", args=[need.public_id])).content.decode()
    assert "13812345678" in page and "王女士，独居老人" in page


def test_need_form_refuses_a_full_id_next_to_the_field(client, people, clock):
    log_in(client, "community_worker")
    data = {
        "kind": "goods",
        "category": "clothing",
        "title": "冬衣两件",
        "quantity": "2",
        "unit": "件",
        "beneficiary": "李奶奶，独居",
        "description": "身份证210102195003071234",
        "community": SHUIYUANDI,
    }
    response = client.post(reverse("portal:charity:need-new"), data)
    assert response.status_code == 200
    assert "公开内容不能含身份证号" in response.content.decode()
    assert CharityNeed.objects.count() == 0
    data["description"] = "冬天没有厚衣服"
    response = client.post(reverse("portal:charity:need-new"), data)
    need = CharityNeed.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("portal:charity:need", args=[need.public_id])


def test_match_and_deliver_through_the_pages(client, need, resident_offer, clock):
    log_in(client, "community_worker")
    page = client.get(reverse("portal:charity:need", args=[need.public_id])).content.decode()
    assert "闲置轮椅" in page and "同社区" in page
    too_many = client.post(
        reverse("portal:charity:need-match", args=[need.public_id]),
        {"offer": resident_offer.public_id, "quantity": 2},
    )
    assert too_many.status_code == 422 and "超出需求尚缺的数量" in too_many.content.decode()
    assert Match.objects.count() == 0
    client.post(
        reverse("portal:charity:need-match", args=[need.public_id]), {"offer": resident_offer.public_id, "quantity": 1}
    )
    match = Match.objects.get()
    client.post(reverse("portal:charity:match-step", args=[match.public_id, "deliver"]), {"note": "已送到家"})
    need.refresh_from_db()
    assert need.state == NeedState.DELIVERED
    client.post(reverse("portal:charity:need-step", args=[need.public_id, "acknowledge"]), {"note": ""})
    need.refresh_from_db()
    assert need.state == NeedState.ACKNOWLEDGED


def test_a_resident_helps_from_the_public_page(client, need, people, clock):
    page = client.get(reverse("portal:giving:home")).content.decode()
    assert "轮椅一台" in page and "13812345678" not in page and "住3号楼" not in page
    help_url = reverse("portal:giving:help", args=[need.public_id])
    assert client.get(help_url)["Location"].startswith(reverse("portal:login"))
    log_in(client, "resident")
    response = client.post(
        help_url,
        {"kind": "goods", "category": "mobility", "title": "家里有一台轮椅", "quantity": 1, "unit": "台"}
        | {"anonymous": "on", "reach": "community"},
    )
    assert response.status_code == 302
    offer = CharityOffer.objects.get()
    assert offer.for_need_id == need.pk and offer.anonymous
    mine = client.get(reverse("portal:giving:my")).content.decode()
    assert "家里有一台轮椅" in mine


def test_the_public_ledger_shows_no_personal_data(client, fund, actors, clock):
    payment_record(
        actor=actors["community_worker"],
        fund=fund,
        data=PaymentInput(amount="1200", on=TODAY, purpose="楼道照明", payee="沈阳明亮电器行", receipt="FP-001"),
    )
    page = client.get(reverse("portal:giving:fund", args=[fund.public_id])).content.decode()
    assert "李大爷" in page  # named as he allowed
    assert "张某某" not in page and "匿名" in page  # the anonymous donor
    assert "community_worker" not in page  # who recorded it stays internal
    assert "楼道照明" in page and "FP-001" in page and "7,300.00" in page
    staff = _as(client, "community_worker").get(reverse("portal:charity:fund", args=[fund.public_id]))
    assert "张某某" in staff.content.decode()  # kept for the record


def test_fund_page_refuses_a_payment_above_the_balance(client, fund, clock):
    log_in(client, "community_worker")
    response = client.post(
        reverse("portal:charity:fund", args=[fund.public_id]),
        {
            "form": "payment",
            "amount": "9000",
            "on": TODAY.isoformat(),
            "purpose": "健身器材",
            "payee": "沈阳体育用品",
            "receipt": "FP-9",
            "decision_text": "同意",
            "decision_on": TODAY.isoformat(),
            "decision_ref": "议事会",
        },
    )
    assert response.status_code == 422 and "超过基金余额" in response.content.decode()
    assert FundEntry.objects.filter(kind="payment").count() == 0
    fund.refresh_from_db()
    assert fund.balance == Decimal("8500.00")


def test_ledger_export(client, fund):
    log_in(client, "community_worker")
    response = client.get(reverse("portal:charity:fund", args=[fund.public_id]) + "?format=xlsx")
    assert response.status_code == 200 and response.content[:2] == b"PK"


def _queries(client, url, django_assert_max_num_queries, limit=100) -> int:
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_list_pages_query_counts_are_pinned(client, actors, fund, clock, django_assert_max_num_queries):
    """The needs queue, offers, funds and the public page read a fixed number of queries whatever
    the number of rows (3 needs or 13)."""
    worker = actors["community_worker"]
    for n in range(3):
        need_post(actor=worker, data=need_input(title=f"需求{n}"))
    log_in(client, "community_worker")
    urls = [
        reverse("portal:charity:home"),
        reverse("portal:charity:offers"),
        reverse("portal:charity:funds"),
        reverse("portal:giving:home"),
        reverse("portal:giving:fund", args=[fund.public_id]),
    ]
    client.get(urls[0])  # warm the session and memos
    few = [_queries(client, url, django_assert_max_num_queries) for url in urls]
    for n in range(10):
        need_post(actor=worker, data=need_input(title=f"更多{n}"))
    many = [_queries(client, url, django_assert_max_num_queries) for url in urls]
    assert many == few
    assert few[0] <= 12


def test_a_donor_withdraws_with_a_reason(client, resident_offer, people, clock):
    log_in(client, "other_community_worker")
    url = reverse("portal:giving:withdraw", args=[resident_offer.public_id])
    assert client.post(url, {"reason": "不需要了"}).status_code == 404  # not theirs, not their area
    log_in(client, "resident")
    client.post(url, {"reason": ""})
    resident_offer.refresh_from_db()
    assert resident_offer.state == "open"
    client.post(url, {"reason": "轮椅已送给亲戚"})
    resident_offer.refresh_from_db()
    assert resident_offer.state == "withdrawn"


def test_a_walk_in_donors_phone_is_shown_with_a_reason(client, actors, clock):
    from linli.charity.services import offer_post
    from linli.charity.tests.conftest import offer_input
    from linli.core.models import AuditEntry

    offer = offer_post(
        actor=actors["community_worker"], data=offer_input(donor_name="赵先生", donor_contact="13912345678")
    )
    log_in(client, "community_worker")
    listed = client.get(reverse("portal:charity:offers")).content.decode()
    assert "赵先生" in listed and "13912345678" not in listed
    url = reverse("portal:charity:offer-contact", args=[offer.public_id])
    assert "13912345678" not in client.post(url, {"reason": ""}, follow=True).content.decode()
    shown = client.post(url, {"reason": "联系取件时间"}).content.decode()
    assert "13912345678" in shown
    assert AuditEntry.objects.filter(action="charity.offer_contact_read", reason="联系取件时间").count() == 1
    log_in(client, "other_community_worker")
    assert client.post(url, {"reason": "看看"}).status_code == 404
