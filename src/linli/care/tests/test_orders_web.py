# ruff: noqa: F811 (pytest fixtures imported from orders_support)
"""Orders pages as each role: the resident orders and rates on the phone pages, the community
approves and verifies, the dispatcher accepts, the carer checks in and out; every other role and
scope gets the same 404; list pages run a pinned number of queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from linli.care.domain.orders import OrderState, VisitState
from linli.care.models import Order, Visit
from linli.care.services.orders import order_place, visit_check_in, visit_check_out
from linli.care.tests.orders_support import (  # noqa: F401 (fixtures)
    HOME,
    PNG,
    TODAY,
    accepted_order,
    at_home,
    at_time,
    care,
    clock,
    order_input,
)

pytestmark = pytest.mark.django_db


def _as(client, care, name):
    client.force_login(care["users"][name])
    return client


def test_the_daughter_orders_for_her_mother_on_the_phone_pages(client, care, clock):
    _as(client, care, "daughter")
    page = client.get(reverse("portal:care-resident:orders-new"))
    assert page.status_code == 200 and "刘桂兰" in page.content.decode()
    mother = str(care["mother"].public_id)
    page = client.get(reverse("portal:care-resident:orders-new") + f"?person={mother}&item=JJ01")
    body = page.content.decode()
    assert "40.00" in body and "10.00" in body  # the government pays 40, she pays 10
    answer = client.post(
        reverse("portal:care-resident:orders-new"),
        {
            "person": mother,
            "item": "JJ01",
            "provider": str(care["provider"].public_id),
            "day": TODAY.isoformat(),
            "slot": "14",
            "quantity": "1",
            "needs": "腿脚不便",
        },
    )
    order = Order.objects.get()
    assert answer.status_code == 302 and answer.url == f"/my/care/orders/{order.number}/"
    assert order.state == OrderState.PLACED and order.by_proxy is False


def test_an_order_beyond_the_cap_is_refused_on_the_page_with_the_reason(client, care, clock):
    order_place(actor=care["actors"]["daughter"], data=order_input(care, quantity=4))
    _as(client, care, "daughter")
    answer = client.post(
        reverse("portal:care-resident:orders-new"),
        {"person": str(care["mother"].public_id), "item": "JJ01", "day": TODAY.isoformat(), "slot": "16"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert answer.status_code == 422
    assert "超出每月上限 4 次（本月已下单 4 次）" in answer.content.decode()
    assert Order.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("resident", 404),
        ("other_community_worker", 404),
        ("community_worker", 200),
        ("street_officer", 200),
        ("district_admin", 404),
        ("civil_affairs_officer", 200),
        ("carer", 404),
    ],
)
def test_the_staff_order_page_by_role_and_scope(client, care, clock, who, status):
    order = order_place(actor=care["actors"]["daughter"], data=order_input(care))
    if who != "anonymous":
        _as(client, care, who)
    assert client.get(reverse("portal:care:orders-detail", args=[order.number])).status_code == status


def test_the_community_approves_and_refuses_with_a_reason(client, care, clock):
    first = order_place(actor=care["actors"]["daughter"], data=order_input(care))
    second = order_place(actor=care["actors"]["daughter"], data=order_input(care, slot="16"))
    _as(client, care, "community_worker")
    assert client.post(reverse("portal:care:orders-act", args=[first.number, "approve"])).status_code == 302
    answer = client.post(reverse("portal:care:orders-act", args=[second.number, "refuse"]), {"reason": ""})
    assert answer.status_code == 422
    assert Order.objects.get(pk=second.pk).state == OrderState.PLACED
    client.post(reverse("portal:care:orders-act", args=[second.number, "refuse"]), {"reason": "重复下单"})
    assert dict(Order.objects.values_list("pk", "state")) == {first.pk: "approved", second.pk: "refused"}


def test_the_dispatcher_accepts_and_the_carer_checks_in_and_out(client, care, clock, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    actors = care["actors"]
    order = order_place(actor=actors["daughter"], data=order_input(care))
    from linli.care.services.orders import order_approve

    order_approve(actor=actors["community_worker"], order=order)
    _as(client, care, "dispatcher")
    assert order.number in client.get(reverse("portal:care-provider:orders-queue")).content.decode()
    answer = client.post(
        reverse("portal:care-provider:orders-detail", args=[order.number]),
        {"action": "accept", "carer": care["members"]["carer"].pk},
    )
    assert answer.status_code == 302
    visit = Visit.objects.get()
    at_time(clock, 14, 5)
    _as(client, care, "carer")
    page = client.get(reverse("portal:care-provider:orders-today"))
    assert "刘桂兰" in page.content.decode()
    url = reverse("portal:care-provider:orders-visit", args=[visit.public_id])
    body = client.get(url).content.decode()
    assert "左腿不便，需扶" in body and care["mother"].id_number_masked not in body
    far = client.post(
        url, {"action": "check_in", "lat": HOME[0] + 0.01, "lng": HOME[1]}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert far.status_code == 422 and "超出 200 米签到范围" in far.content.decode()
    assert client.post(url, {"action": "check_in", "lat": HOME[0], "lng": HOME[1]}).status_code == 302
    from django.core.files.uploadedfile import SimpleUploadedFile

    photo = SimpleUploadedFile("p.png", PNG, content_type="image/png")
    assert client.post(url, {"action": "check_out", "record": "打扫", "photos": photo}).status_code == 302
    visit.refresh_from_db()
    assert (visit.state, visit.photo_count) == (VisitState.DONE, 1)


def test_a_carer_opening_a_visit_not_theirs_gets_404(client, care, clock):
    visit = accepted_order(care).visits.get()
    for who in ("other_carer", "daughter", "community_worker"):
        _as(client, care, who)
        assert client.get(reverse("portal:care-provider:orders-visit", args=[visit.public_id])).status_code == 404


def test_verification_and_rating_pages(client, care, clock):
    actors = care["actors"]
    visit = accepted_order(care).visits.get()
    at_time(clock, 14, 0)
    visit_check_in(actor=actors["carer"], visit_id=visit.pk, data=at_home())
    visit_check_out(actor=actors["carer"], visit_id=visit.pk, record="打扫")
    _as(client, care, "community_worker")
    assert client.post(reverse("portal:care:orders-verify"), {"visit": [str(visit.public_id)]}).status_code == 302
    assert Visit.objects.get().state == VisitState.VERIFIED
    _as(client, care, "daughter")
    order = visit.order
    url = reverse("portal:care-resident:orders-rate", args=[order.number, visit.public_id])
    client.post(url, {"rating": "1", "comment": "态度不好"})
    assert Visit.objects.get().rating == 1
    _as(client, care, "community_worker")
    assert "态度不好" in client.get(reverse("portal:care:orders-ratings")).content.decode()
    client.post(reverse("portal:care:orders-ratings"), {"visit": str(visit.public_id), "text": "已回访"})
    assert Visit.objects.get().answer.text == "已回访"


def test_the_queue_runs_a_pinned_number_of_queries(client, care, clock, django_assert_num_queries):
    for slot in ("12", "14", "16"):
        order_place(actor=care["actors"]["daughter"], data=order_input(care, slot=slot))
    _as(client, care, "community_worker")
    client.get(reverse("portal:care:orders-queue"))
    with django_assert_num_queries(8):
        page = client.get(reverse("portal:care:orders-queue"))
    assert page.content.decode().count("/staff/care/orders/YL") == 3


def test_providers_page_registers_with_a_checked_credit_code(client, care, clock):
    _as(client, care, "street_officer")
    answer = client.post(
        reverse("portal:care:orders-providers"),
        {
            "name": "新居家",
            "kind": "company",
            "path": "210102001",
            "uscc": "91210102MA0XXXXXX1",
            "checkin_radius_m": "200",
        },
    )
    assert answer.status_code == 422
    from linli.care.models import Provider

    assert not Provider.objects.filter(name="新居家").exists()
    answer = client.post(
        reverse("portal:care:orders-providers"),
        {"name": "新居家", "kind": "company", "path": "210102001", "checkin_radius_m": "200"},
    )
    assert answer.status_code == 302 and Provider.objects.get(name="新居家").path == "210102001"
    # the street's place is offered under its path, with its name
    assert 'value="210102001">浑河湾街道' in client.get(reverse("portal:care:orders-providers")).content.decode()


def _resident_routes() -> list[str]:
    """Every resident care page (/my/care/…) with example arguments."""
    from linli.care.web.resident_urls import urlpatterns

    uuid1 = "00000000-0000-0000-0000-000000000001"
    examples = {"number": "C000000001", "public_id": uuid1, "visit_id": uuid1, "photo_id": uuid1}
    paths = []
    for pattern in urlpatterns:
        route = str(pattern.pattern)
        for name, value in examples.items():
            for converter in ("", "uuid:", "int:", "str:"):
                route = route.replace(f"<{converter}{name}>", str(value))
        assert "<" not in route, f"add an example for {route}"
        paths.append("/my/care/" + route)
    return paths


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_staff_account_on_any_resident_care_page_is_taken_home_not_shown_an_error(client, care, method):
    """One answer on every resident page for an account without care.order (here the carer):
    their own home page."""
    _as(client, care, "carer")
    routes = _resident_routes()
    assert len(routes) >= 10
    for route in routes:
        answer = getattr(client, method)(route)
        assert answer.status_code == 302 and answer.url == reverse("portal:home"), (route, answer.status_code)
