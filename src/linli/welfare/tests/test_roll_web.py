"""The roll, review and payroll pages: role × scope, the forms' refusals, pinned query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from linli.core.models import AuditEntry
from linli.testing import log_in
from linli.welfare.domain.roll import PayrollState, RecipientState
from linli.welfare.models import Payroll, Recipient, Review
from linli.welfare.services.roll import payroll_approve, payroll_generate, review_recompute
from linli.welfare.tests.roll_support import OTHER_BUILDING, TODAY, clock, enrol, facts, rules_api  # noqa: F401

pytestmark = pytest.mark.usefixtures("rules_api", "clock")
JANUARY = dt.date(2027, 1, 1)
PAGES = ["roll", "roll-reviews", "payrolls"]


@pytest.fixture
def recipient(actors):
    return enrol(actors, facts(wage="0"), head="张三明")


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("community_worker", 200),
        ("street_officer", 200),
        ("civil_affairs_officer", 200),
        ("resident", 404),
        ("grid_worker", 404),
        ("district_admin", 404),
    ],
)
def test_pages_by_role(client, people, name, status):
    log_in(client, name)
    for page in PAGES:
        assert client.get(reverse(f"portal:welfare:{page}")).status_code == status, page


def test_anonymous_goes_to_the_log_in(client, people):
    response = client.get(reverse("portal:welfare:roll"))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("community_worker", 200),
        ("other_community_worker", 404),
        ("street_officer", 200),
        ("civil_affairs_officer", 200),
        ("resident", 404),
    ],
)
def test_recipient_page_by_scope(client, recipient, name, status):
    log_in(client, name)
    assert client.get(reverse("portal:welfare:roll-recipient", args=[recipient.public_id])).status_code == status


def test_the_county_s_reason_is_shown_in_the_reader_s_language(client, recipient):
    log_in(client, "community_worker")
    url = reverse("portal:welfare:roll-recipient", args=[recipient.public_id])
    chinese = client.get(url).content.decode()
    assert "县级民政部门审批确认" in chinese and "Approved by the county" not in chinese
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Approved by the county" in english and "县级民政部门审批确认" not in english


def test_the_roll_list_masks_the_head_and_shows_amounts(client, recipient):
    log_in(client, "community_worker")
    page = client.get(reverse("portal:welfare:roll")).content.decode()
    assert "张*明" in page and "张三明" not in page
    assert f"¥{recipient.monthly_amount:,.2f}" in page


def test_the_worker_updates_facts_and_confirms_gradual_exit(client, recipient):
    log_in(client, "community_worker")
    url = reverse("portal:welfare:roll-facts", args=[recipient.public_id])
    refused = client.post(url, {"wage_1": "2000", "wage_2": "0", "reason": ""})
    assert refused.status_code == 422 and "请填写变更理由" in refused.content.decode()
    assert not Review.objects.exists()
    client.post(url, {"wage_1": "2000", "wage_2": "0", "reason": "长子就业"})
    review = Review.objects.get(recipient=recipient)
    assert review.outcome == "phase_out"
    page = client.get(reverse("portal:welfare:roll-recipient", args=[recipient.public_id])).content.decode()
    assert "渐退" in page
    confirm = reverse("portal:welfare:roll-review-confirm", args=[review.public_id])
    assert client.post(confirm, {"reason": ""}).status_code == 422
    client.post(confirm, {"reason": "收入超过低保标准"})
    recipient.refresh_from_db()
    assert recipient.state == RecipientState.PHASING_OUT
    assert AuditEntry.objects.filter(action="welfare.roll_facts_read").exists()


def test_the_other_community_cannot_post_to_the_household(client, recipient):
    log_in(client, "other_community_worker")
    url = reverse("portal:welfare:roll-facts", args=[recipient.public_id])
    assert client.post(url, {"wage_1": "9000", "reason": "x"}).status_code == 404
    assert Recipient.objects.get(pk=recipient.pk).facts_sealed == recipient.facts_sealed


def test_stop_asks_for_a_confirmation(client, recipient):
    log_in(client, "civil_affairs_officer")
    url = reverse("portal:welfare:roll-stop", args=[recipient.public_id])
    response = client.post(url, {"reason": "迁出本市"})
    assert response.status_code == 422 and "请勾选确认" in response.content.decode()
    assert Recipient.objects.get(pk=recipient.pk).state == RecipientState.ACTIVE
    client.post(url, {"reason": "迁出本市", "confirm": "1"})
    assert Recipient.objects.get(pk=recipient.pk).state == RecipientState.STOPPED
    log_in(client, "community_worker")
    assert client.post(url, {"reason": "x", "confirm": "1"}).status_code == 404  # not a worker's step


def test_payroll_pages_generate_approve_and_download(client, recipient, actors):
    log_in(client, "civil_affairs_officer")
    response = client.post(reverse("portal:welfare:payroll-generate"), {"district": "210102", "month": "2027-01"})
    payroll = Payroll.objects.get()
    assert response.status_code == 302 and payroll.households == 1
    url = reverse("portal:welfare:payroll", args=[payroll.public_id])
    page = client.get(url).content.decode()
    assert f"¥{payroll.total:,.2f}" in page
    approve = reverse("portal:welfare:payroll-approve", args=[payroll.public_id])
    assert client.post(approve, {}).status_code == 422
    assert Payroll.objects.get().state == PayrollState.DRAFT
    client.post(approve, {"confirm": "1"})
    assert Payroll.objects.get().state == PayrollState.APPROVED
    download = client.get(reverse("portal:welfare:payroll-export", args=[payroll.public_id]) + "?format=xlsx")
    assert download.status_code == 200 and download.content[:2] == b"PK"
    full = client.post(
        reverse("portal:welfare:payroll-export", args=[payroll.public_id]), {"format": "csv", "reason": ""}
    )
    assert full.status_code == 422
    log_in(client, "community_worker")
    assert client.post(approve, {"confirm": "1"}).status_code == 404


def _queries(client, url, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(60) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_list_pages_query_counts_are_pinned(client, actors, django_assert_max_num_queries):
    """The roll, the reviews and a payroll read a fixed number of queries whatever their rows."""
    officer = actors["civil_affairs_officer"]
    for n in range(2):
        enrol(actors, facts(wage="0"), head=f"张{n}明")
    review_recompute(actor=officer, scope="210102", on=TODAY)
    payroll = payroll_generate(actor=officer, district_path="210102", month=JANUARY)
    log_in(client, "civil_affairs_officer")
    urls = [
        reverse("portal:welfare:roll"),
        reverse("portal:welfare:roll-reviews"),
        reverse("portal:welfare:payrolls"),
        reverse("portal:welfare:payroll", args=[payroll.public_id]),
    ]
    client.get(urls[0])
    few = [_queries(client, url, django_assert_max_num_queries) for url in urls]
    for n in range(6):
        enrol(actors, facts(wage="0", members=3), head=f"李{n}红", path=OTHER_BUILDING)
    review_recompute(actor=officer, scope="210102", on=TODAY)
    payroll = payroll_generate(actor=officer, district_path="210102", month=JANUARY)
    many = [_queries(client, url, django_assert_max_num_queries) for url in urls]
    assert many == few
    assert few == [9, 10, 5, 10], few  # roll, reviews, payrolls, one payroll
    payroll_approve(actor=officer, payroll=payroll, confirm=True)


def test_the_workbench_counts_reviews_and_payrolls(actors):
    from linli.welfare.selectors.roll import roll_today

    recipient = enrol(actors, facts(wage="0"))
    Recipient.objects.filter(pk=recipient.pk).update(next_review_on=TODAY - dt.timedelta(days=40))
    payroll_generate(actor=actors["civil_affairs_officer"], district_path="210102", month=JANUARY)
    section = roll_today(actors["civil_affairs_officer"], TODAY)
    counts = {c.key: c.count for c in section.counts}
    assert counts == {
        "welfare.reviews_overdue": 1,
        "welfare.reviews_due": 0,
        "welfare.reviews_proposed": 0,
        "welfare.payrolls_draft": 1,
    }
    worker = {c.key: c.count for c in roll_today(actors["community_worker"], TODAY).counts}
    assert worker == {"welfare.reviews_overdue": 1, "welfare.reviews_due": 0, "welfare.reviews_proposed": 0}
    assert roll_today(actors["other_community_worker"], TODAY).counts[0].count == 0
    assert roll_today(actors["resident"], TODAY) is None


def test_the_printed_change_notice(client, recipient):
    log_in(client, "civil_affairs_officer")
    client.post(reverse("portal:welfare:roll-stop", args=[recipient.public_id]), {"reason": "迁出本市", "confirm": "1"})
    change = recipient.changes.get(kind="stop")
    page = client.get(reverse("portal:welfare:roll-notice", args=[recipient.public_id, change.public_id]))
    text = page.content.decode()
    assert page.status_code == 200 and change.notice_number in text and "迁出本市" in text
    assert "社会救助变更告知书" in text and f"¥{recipient.monthly_amount:,.2f}" in text
    assert "<style" not in text and "onclick" not in text  # the CSP allows neither
    log_in(client, "other_community_worker")
    assert (
        client.get(reverse("portal:welfare:roll-notice", args=[recipient.public_id, change.public_id])).status_code
        == 404
    )
