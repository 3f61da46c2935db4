# ruff: noqa: F811 (pytest fixtures imported from orders_support)
"""Orders services: the journey (order → approve → accept → check in → out → verify → rate) and
each refusal with its reason; a denied write changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from linli.care.domain.orders import OrderState, VisitState
from linli.care.models import ElderCard, FamilyLink, Order, OrderStep, RatingAnswer, Visit, VisitPhoto
from linli.care.services.orders import (
    CheckIn,
    PhotoUpload,
    card_issue,
    family_link_by_card,
    order_accept,
    order_approve,
    order_decline,
    order_place,
    order_refuse,
    rating_answer,
    visit_check_in,
    visit_check_out,
    visit_rate,
    visit_verify,
    visits_mark_missed,
    visits_verify_batch,
)
from linli.care.tests.orders_support import (  # noqa: F401 (fixtures)
    HOME,
    MOTHER_ID,
    PNG,
    SHUIYUANDI,
    TODAY,
    accepted_order,
    at_home,
    at_time,
    care,
    clock,
    order_input,
)
from linli.core.errors import DomainError

pytestmark = pytest.mark.django_db


def _fields(error: DomainError) -> dict[str, str]:
    return {f.field: f.message.en for f in error.fields}


def test_the_journey_from_order_to_rating(care, clock):
    actors = care["actors"]
    order = order_place(actor=actors["daughter"], data=order_input(care))
    assert (order.state, order.government_pays, order.resident_pays) == (OrderState.PLACED, 40, 10)
    assert order.needs_sealed and "左腿" not in order.needs_sealed
    order = order_approve(actor=actors["community_worker"], order=order)
    assert order.state == OrderState.APPROVED
    order = order_accept(actor=actors["dispatcher"], order=order, carer_id=care["members"]["carer"].pk)
    visit = order.visits.get()
    assert (visit.state, visit.carer, visit.government_pays) == (VisitState.SCHEDULED, care["members"]["carer"], 40)
    at_time(clock, 14, 5)
    visit = visit_check_in(actor=actors["carer"], visit_id=visit.pk, data=at_home())
    assert (visit.state, visit.check_in_method, visit.check_in_distance_m, visit.late) == (
        VisitState.CHECKED_IN,
        "position",
        56,
        False,
    )
    at_time(clock, 15, 30)
    visit = visit_check_out(actor=actors["carer"], visit_id=visit.pk, record="打扫卧室和厨房")
    assert visit.state == VisitState.DONE
    assert Order.objects.get(pk=order.pk).state == OrderState.COMPLETED
    visit = visit_verify(actor=actors["community_worker"], visit_id=visit.pk)
    assert visit.state == VisitState.VERIFIED
    visit = visit_rate(actor=actors["daughter"], visit_id=visit.pk, rating=5, comment="很好")
    assert visit.rating == 5
    assert list(OrderStep.objects.filter(order=order).values_list("action", flat=True)) == [
        "place",
        "approve",
        "accept",
        "assign",
        "check_in",
        "check_out",
    ]


def test_an_order_beyond_the_cap_is_refused_with_the_reason(care, clock):
    actors = care["actors"]
    order_place(actor=actors["daughter"], data=order_input(care, quantity=4))
    with pytest.raises(DomainError) as refused:
        order_place(actor=actors["daughter"], data=order_input(care, slot="16"))
    assert _fields(refused.value) == {"item": "Beyond the monthly cap of 4 (already ordered this month: 4)"}
    assert Order.objects.count() == 1


def test_own_cost_beyond_the_cap_needs_confirming_then_goes_straight_to_approved(care, clock):
    actors = care["actors"]
    with pytest.raises(DomainError) as refused:
        order_place(actor=actors["daughter"], data=order_input(care, item="bath"))
    assert _fields(refused.value) == {"own_cost_ok": "1 unit(s) at your own cost (80.00 yuan): confirm"}
    order = order_place(actor=actors["daughter"], data=order_input(care, item="bath", own_cost_ok=True))
    assert (order.state, order.resident_pays, order.government_pays) == (OrderState.APPROVED, 80, 0)


def test_ordering_refuses_a_past_slot_someone_not_cared_for_and_a_provider_elsewhere(care, clock):
    actors = care["actors"]
    with pytest.raises(DomainError) as refused:
        order_place(actor=actors["daughter"], data=order_input(care, slot="08"))
    assert _fields(refused.value) == {"slot": "That slot has begun; choose a later one"}
    with pytest.raises(DomainError) as refused:
        order_place(actor=actors["resident"], data=order_input(care))
    assert _fields(refused.value) == {"person": "Choose who the service is for"}
    data = order_input(care, day=TODAY + dt.timedelta(days=31))
    with pytest.raises(DomainError) as refused:
        order_place(actor=actors["daughter"], data=data)
    assert _fields(refused.value)["slot"] == "Order at most 30 days ahead"
    data = order_input(care)
    data.provider = str(care["other_provider"].public_id)
    with pytest.raises(DomainError) as refused:
        order_place(actor=actors["daughter"], data=data)
    assert _fields(refused.value) == {"provider": "That provider does not serve the elder's community"}
    assert Order.objects.count() == 0


def test_a_worker_orders_by_proxy_in_their_scope_only(care, clock):
    actors = care["actors"]
    order = order_place(actor=actors["community_worker"], data=order_input(care), by_proxy=True)
    assert order.by_proxy and order.steps.first().action == "place_proxy"
    with pytest.raises(DomainError):
        order_place(actor=actors["other_community_worker"], data=order_input(care), by_proxy=True)
    assert Order.objects.count() == 1


def test_approval_is_the_communitys_and_refusal_needs_a_reason(care, clock):
    actors = care["actors"]
    order = order_place(actor=actors["daughter"], data=order_input(care))
    with pytest.raises(DomainError) as refused:
        order_approve(actor=actors["other_community_worker"], order=order)
    assert refused.value.status == 404
    with pytest.raises(DomainError) as refused:
        order_refuse(actor=actors["community_worker"], order=order, reason=" ")
    assert _fields(refused.value) == {"reason": "Give the reason"}
    assert Order.objects.get(pk=order.pk).state == OrderState.PLACED
    order = order_refuse(actor=actors["community_worker"], order=order, reason="本月已安排志愿者")
    assert (order.state, order.refuse_reason) == (OrderState.REFUSED, "本月已安排志愿者")
    with pytest.raises(DomainError) as refused:
        order_approve(actor=actors["community_worker"], order=order)
    assert refused.value.code == "conflict"


def test_a_declined_order_returns_to_the_community_without_a_provider(care, clock):
    actors = care["actors"]
    order = order_approve(
        actor=actors["community_worker"], order=order_place(actor=actors["daughter"], data=order_input(care))
    )
    order = order_decline(actor=actors["dispatcher"], order=order, reason="人手不足")
    assert (order.state, order.provider) == (OrderState.APPROVED, None)
    with pytest.raises(DomainError):
        order_accept(actor=actors["dispatcher"], order=order, carer_id=care["members"]["carer"].pk)


def test_check_in_far_from_the_home_is_refused_with_the_distance(care, clock):
    order = accepted_order(care)
    visit = order.visits.get()
    at_time(clock, 14, 0)
    with pytest.raises(DomainError) as refused:
        visit_check_in(actor=care["actors"]["carer"], visit_id=visit.pk, data=CheckIn(lat=HOME[0] + 0.01, lng=HOME[1]))
    assert _fields(refused.value) == {"lat": "You are about 1112 m from the home, beyond the 200 m check-in radius"}
    assert Visit.objects.get(pk=visit.pk).state == VisitState.SCHEDULED


def test_check_in_outside_the_slot_is_refused_and_late_is_flagged(care, clock):
    order = accepted_order(care)
    visit = order.visits.get()
    carer = care["actors"]["carer"]
    at_time(clock, 13, 29)
    with pytest.raises(DomainError) as refused:
        visit_check_in(actor=carer, visit_id=visit.pk, data=at_home())
    assert _fields(refused.value) == {"slot": "Too early: check in at most 30 minutes before the slot"}
    at_time(clock, 14, 16)
    assert visit_check_in(actor=carer, visit_id=visit.pk, data=at_home()).late is True


def test_check_in_by_card_code_and_another_carer_gets_404(care, clock):
    code = card_issue(actor=care["actors"]["community_worker"], person_ref=str(care["mother"].public_id))
    order = accepted_order(care)
    visit = order.visits.get()
    at_time(clock, 14, 0)
    with pytest.raises(DomainError) as refused:
        visit_check_in(actor=care["actors"]["other_carer"], visit_id=visit.pk, data=CheckIn(card_code=code))
    assert refused.value.status == 404
    with pytest.raises(DomainError) as refused:
        visit_check_in(actor=care["actors"]["carer"], visit_id=visit.pk, data=CheckIn(card_code="000000"))
    assert _fields(refused.value) == {"card_code": "The card code is wrong"}
    visit = visit_check_in(actor=care["actors"]["carer"], visit_id=visit.pk, data=CheckIn(card_code=code))
    assert (visit.check_in_method, visit.check_in_distance_m) == ("card", None)


def test_check_out_needs_the_record_and_the_items_photos(care, clock, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    order = accepted_order(care, item="bath", own_cost_ok=True)
    visit = order.visits.get()
    carer = care["actors"]["carer"]
    at_time(clock, 14, 0)
    visit_check_in(actor=carer, visit_id=visit.pk, data=at_home())
    with pytest.raises(DomainError) as refused:
        visit_check_out(actor=carer, visit_id=visit.pk, record="", photos=[PhotoUpload("a.txt", b"hello")])
    assert _fields(refused.value) == {
        "photos": "'a.txt' is not a JPG, PNG or WebP image",
        "record": "Say what was done",
    }
    assert VisitPhoto.objects.count() == 0
    visit = visit_check_out(actor=carer, visit_id=visit.pk, record="协助洗浴", photos=[PhotoUpload("p.png", PNG)])
    assert (visit.state, visit.photo_count) == (VisitState.DONE, 1)
    assert len(list((tmp_path / "care-photos").iterdir())) == 1


def test_verification_names_what_is_missing_and_batch_verifies_the_rest(care, clock):
    actors = care["actors"]
    first = accepted_order(care).visits.get()
    second = accepted_order(care, slot="16").visits.get()
    at_time(clock, 14, 0)
    visit_check_in(actor=actors["carer"], visit_id=first.pk, data=at_home())
    visit_check_out(actor=actors["carer"], visit_id=first.pk, record="打扫")
    with pytest.raises(DomainError) as refused:
        visit_verify(actor=actors["community_worker"], visit_id=second.pk)
    assert _fields(refused.value) == {"visit": "The visit is not done"}
    done, refused_list = visits_verify_batch(actor=actors["community_worker"], visit_ids=[first.pk, second.pk])
    assert (done, [(pk, msg.en) for pk, msg in refused_list]) == (1, [(second.pk, "The visit is not done")])
    with pytest.raises(DomainError) as refused:
        visit_verify(actor=actors["other_community_worker"], visit_id=first.pk)
    assert refused.value.status == 404


def test_a_bad_rating_needs_a_comment_and_the_community_answers_it(care, clock):
    actors = care["actors"]
    visit = accepted_order(care).visits.get()
    at_time(clock, 14, 0)
    visit_check_in(actor=actors["carer"], visit_id=visit.pk, data=at_home())
    visit_check_out(actor=actors["carer"], visit_id=visit.pk, record="打扫")
    with pytest.raises(DomainError) as refused:
        visit_rate(actor=actors["resident"], visit_id=visit.pk, rating=1)
    assert refused.value.status == 404
    with pytest.raises(DomainError) as refused:
        visit_rate(actor=actors["daughter"], visit_id=visit.pk, rating=2)
    assert _fields(refused.value) == {"comment": "Say what was wrong"}
    visit_rate(actor=actors["daughter"], visit_id=visit.pk, rating=2, comment="迟到了")
    with pytest.raises(DomainError) as refused:
        visit_rate(actor=actors["daughter"], visit_id=visit.pk, rating=5)
    assert refused.value.code == "conflict"
    answer = rating_answer(actor=actors["community_worker"], visit_id=visit.pk, text="已约谈服务商")
    assert RatingAnswer.objects.get().text == answer.text == "已约谈服务商"


def test_visits_not_checked_in_an_hour_after_the_slot_are_missed(care, clock):
    visit = accepted_order(care).visits.get()
    at_time(clock, 16, 59)
    assert visits_mark_missed() == "missed 0"
    at_time(clock, 17, 1)
    assert visits_mark_missed() == "missed 1"
    assert Visit.objects.get(pk=visit.pk).state == VisitState.MISSED
    assert visits_mark_missed() == "missed 0"


def test_a_daughter_links_her_mother_with_the_card_and_wrong_codes_are_limited(care, clock):
    actors = care["actors"]
    FamilyLink.objects.all().delete()
    code = card_issue(actor=actors["community_worker"], person_ref=str(care["mother"].public_id))
    assert len(code) == 6 and ElderCard.objects.get().code_digest != code
    for _ in range(5):
        with pytest.raises(DomainError) as refused:
            family_link_by_card(actor=actors["daughter"], id_number=MOTHER_ID, code="111111", relation="女儿")
        assert _fields(refused.value) == {"code": "The ID number or the card code is wrong"}
    with pytest.raises(DomainError) as refused:
        family_link_by_card(actor=actors["daughter"], id_number=MOTHER_ID, code=code, relation="女儿")
    assert refused.value.status == 429
    assert FamilyLink.objects.count() == 0
    clock.shift(dt.timedelta(minutes=16))
    link = family_link_by_card(actor=actors["daughter"], id_number=MOTHER_ID, code=code, relation="女儿")
    assert (link.how, link.path[:12]) == ("card", SHUIYUANDI)


def test_a_new_card_ends_the_old(care, clock):
    worker = care["actors"]["community_worker"]
    card_issue(actor=worker, person_ref=str(care["mother"].public_id))
    card_issue(actor=worker, person_ref=str(care["mother"].public_id))
    assert ElderCard.objects.filter(ended_at__isnull=True).count() == 1
    assert ElderCard.objects.count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_orders_for_the_last_unit_under_the_cap_take_it_once(care, clock):
    from linli.testing import run_at_once

    daughter = care["actors"]["daughter"]
    order_place(actor=daughter, data=order_input(care, quantity=3))
    slots = ("12", "16")
    outcomes = run_at_once(2, lambda i: order_place(actor=daughter, data=order_input(care, slot=slots[i])))
    assert sorted(outcomes) == ["ok", "validation_failed"]
    assert Order.objects.count() == 2
