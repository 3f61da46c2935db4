# ruff: noqa: F811 (pytest fixtures imported from orders_support)
"""The people around an order: the dispatcher keeps the provider's carers (adds one, ends one with
the reason and hands the visits not yet started to another carer); the community worker links a
family member's account to an elder at the window and ends a link with the reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from linli.accounts.models import Posting
from linli.care.domain.orders import VisitState
from linli.care.models import FamilyLink, Order, ProviderMember, Visit
from linli.care.services.orders import family_link_at_window, family_link_end, member_end
from linli.care.tests.orders_support import (  # noqa: F401 (fixtures)
    accepted_order,
    care,
    clock,
)
from linli.core.errors import DomainError
from linli.core.models import AuditEntry

pytestmark = pytest.mark.django_db
TEAM = "/provider/team/"


def test_the_dispatcher_adds_a_carer_who_gets_a_posting_and_a_one_time_password(client, care):
    client.force_login(care["users"]["dispatcher"])
    page = client.get(TEAM)
    assert page.status_code == 200 and "王护理" in page.content.decode()
    answer = client.post(TEAM, {"action": "member", "name": "孙护理", "username": "carer_sun", "kind": "carer"})
    body = answer.content.decode()
    assert answer.status_code == 200 and "carer_sun" in body and "big-tag" in body  # the password, once
    member = ProviderMember.objects.get(user__username="carer_sun")
    assert member.kind == "carer" and member.provider == care["provider"] and member.active
    assert Posting.objects.filter(user=member.user, role="carer", ended_at__isnull=True).exists()


def test_a_dispatcher_may_not_create_another_dispatcher_from_their_page(client, care):
    client.force_login(care["users"]["dispatcher"])
    answer = client.post(TEAM, {"action": "member", "name": "钱调度", "username": "disp2", "kind": "dispatcher"})
    assert answer.status_code == 404
    assert not ProviderMember.objects.filter(user__username="disp2").exists()


def test_ending_a_carer_with_open_visits_asks_who_takes_them_over_and_keeps_everything(client, care, clock):
    order = accepted_order(care)
    carer = care["members"]["carer"]
    client.force_login(care["users"]["dispatcher"])
    answer = client.post(TEAM, {"action": "end", "member": carer.pk, "reason": "离职"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert answer.status_code == 422 and "1 次未开始的服务" in answer.content.decode()
    carer.refresh_from_db()
    assert carer.active and Visit.objects.get(order=order).carer_id == carer.pk


def test_ending_a_carer_hands_the_visits_over_ends_the_posting_and_is_audited(client, care, clock):
    order = accepted_order(care)
    carer, other = care["members"]["carer"], care["members"]["other_carer"]
    client.force_login(care["users"]["dispatcher"])
    answer = client.post(TEAM, {"action": "end", "member": carer.pk, "reason": "离职", "successor": other.pk})
    assert answer.status_code == 302
    carer.refresh_from_db()
    assert not carer.active
    visit = Visit.objects.get(order=order)
    assert visit.state == VisitState.SCHEDULED and visit.carer_id == other.pk
    assert Order.objects.get(pk=order.pk).carer_id == other.pk
    assert not Posting.objects.filter(user=carer.user, role="carer", ended_at__isnull=True).exists()
    entry = AuditEntry.objects.get(action="care.member_end")
    assert entry.reason == "离职" and entry.details["moved"] == 1
    # the ended carer no longer opens the visit
    client.force_login(care["users"]["carer"])
    assert client.get(f"/provider/visits/{visit.public_id}/").status_code == 404


def test_ending_needs_a_reason_and_a_dispatcher_cannot_end_themself(care):
    dispatcher = care["actors"]["dispatcher"]
    with pytest.raises(DomainError) as refused:
        member_end(actor=dispatcher, member=care["members"]["other_carer"], reason=" ")
    assert refused.value.fields[0].field == "reason"
    with pytest.raises(DomainError) as refused:
        member_end(actor=dispatcher, member=care["members"]["dispatcher"], reason="x")
    assert refused.value.status == 404  # a dispatcher manages carers only


def test_another_providers_dispatcher_cannot_end_our_carer(care, tree):
    from linli.accounts.domain import Role
    from linli.accounts.selectors import actor_for_user
    from linli.testing import make_user

    stranger = make_user("stranger", Role.CARE_PROVIDER, tree["210102001000"])
    ProviderMember.objects.create(
        provider=care["other_provider"], user=stranger, kind="dispatcher", name="外", since=dt.date(2026, 1, 1)
    )
    with pytest.raises(DomainError) as refused:
        member_end(actor=actor_for_user(stranger), member=care["members"]["other_carer"], reason="x")
    assert refused.value.status == 404
    assert ProviderMember.objects.get(pk=care["members"]["other_carer"].pk).active


# ---------------------------------------------------------------- family links at the window


def test_the_worker_links_a_family_account_at_the_window_and_the_page_shows_it(client, care):
    client.force_login(care["users"]["community_worker"])
    mother = care["mother"]
    url = reverse("portal:care:orders-family", args=[mother.public_id])
    answer = client.post(url, {"action": "link", "username": "resident", "relation": "儿子"})
    assert answer.status_code == 302
    link = FamilyLink.objects.get(user=care["users"]["resident"], ended_at__isnull=True)
    assert link.how == "window" and link.relation == "儿子" and link.person_ref == mother.public_id
    body = client.get(url).content.decode()
    assert "儿子" in body and "女儿" in body  # both family accounts


def test_linking_names_the_field_for_an_unknown_or_staff_account(client, care):
    worker = care["actors"]["community_worker"]
    for username in ("nobody", "carer"):
        with pytest.raises(DomainError) as refused:
            family_link_at_window(actor=worker, username=username, person_ref=care["mother"].public_id, relation="女儿")
        assert [f.field for f in refused.value.fields] == ["username"]
    client.force_login(care["users"]["community_worker"])
    url = reverse("portal:care:orders-family", args=[care["mother"].public_id])
    answer = client.post(url, {"action": "link", "username": "", "relation": ""}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = answer.content.decode()
    assert answer.status_code == 422 and "请核对登录名" in body and "请填写与老人的关系" in body


def test_ending_a_link_needs_the_reason_and_the_family_no_longer_orders(client, care):
    link = FamilyLink.objects.get(user=care["users"]["daughter"])
    worker = care["actors"]["community_worker"]
    with pytest.raises(DomainError):
        family_link_end(actor=worker, link_id=link.public_id, reason="")
    client.force_login(care["users"]["community_worker"])
    url = reverse("portal:care:orders-family", args=[care["mother"].public_id])
    assert client.post(url, {"action": "end", "link": link.public_id, "reason": "家属要求"}).status_code == 302
    link.refresh_from_db()
    assert link.ended_at is not None
    assert AuditEntry.objects.get(action="care.family_link_end").reason == "家属要求"
    client.force_login(care["users"]["daughter"])
    assert "刘桂兰" not in client.get(reverse("portal:care-resident:orders-new")).content.decode()


def test_a_worker_of_another_community_cannot_see_or_end_the_links(client, care):
    link = FamilyLink.objects.get(user=care["users"]["daughter"])
    client.force_login(care["users"]["other_community_worker"])
    url = reverse("portal:care:orders-family", args=[care["mother"].public_id])
    assert client.get(url).status_code == 404
    with pytest.raises(DomainError) as refused:
        family_link_end(actor=care["actors"]["other_community_worker"], link_id=link.public_id, reason="x")
    assert refused.value.status == 404
