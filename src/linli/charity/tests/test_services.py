"""Writes: posting needs (public text refused with the field named, the note sealed), offers of
each donor kind, matching with a quantity split and over-allocation refused, delivery and
acknowledgement, the fund ledger (payment above the balance, a large payment without its
decision, corrections) — and nothing half-saved when refused."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import DatabaseError, transaction

from linli.charity.domain import DonorType, MatchState, NeedState
from linli.charity.models import CharityNeed, CharityOffer, FundEntry, Match, MicroFund, NeedStep, PaymentRequest
from linli.charity.selectors import need_proposals
from linli.charity.services import (
    CorrectionInput,
    PaymentInput,
    RequestInput,
    correction_record,
    match_cancel,
    match_confirm,
    match_deliver,
    need_act,
    need_note,
    need_post,
    offer_post,
    payment_record,
    payment_request,
)
from linli.charity.tests.conftest import HUNHEWAN, SHUIYUANDI, TODAY, need_input, offer_input
from linli.core.errors import DomainError
from linli.core.models import AuditEntry


def fields(error: DomainError) -> set[str]:
    return {f.field for f in error.fields}


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (CharityNeed, NeedStep, CharityOffer, Match, FundEntry, PaymentRequest))


# ---------------------------------------------------------------- needs


def test_post_a_need_seals_the_note_and_records_a_step(actors, clock):
    need = need_post(actor=actors["community_worker"], data=need_input())
    assert need.community_path == SHUIYUANDI and need.state == NeedState.OPEN
    assert "13812345678" not in need.note_sealed and need.note_sealed.startswith("v1.")
    assert need_note(actor=actors["community_worker"], need=need) == "住3号楼2单元，电话13812345678"
    assert need_note(actor=actors["other_community_worker"], need=need) == ""
    assert [s.action for s in need.steps.all()] == ["post"]
    assert AuditEntry.objects.filter(action="charity.need_note_read").count() == 1


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("description", "王某 身份证210102195003071234 需要轮椅", "身份证号"),
        ("beneficiary", "王女士 13812345678", "电话号码"),
        ("title", "轮椅 210102195003071234", "身份证号"),
    ],
)
def test_a_full_id_or_phone_in_public_text_is_refused_naming_the_field(actors, clock, field, value, words):
    before = counts()
    with pytest.raises(DomainError) as caught:
        need_post(actor=actors["community_worker"], data=need_input(**{field: value}))
    assert fields(caught.value) == {field}
    assert words in caught.value.fields[0].message.zh
    assert counts() == before


def test_need_refusals_name_every_field(actors, clock):
    with pytest.raises(DomainError) as caught:
        need_post(
            actor=actors["community_worker"],
            data=need_input(
                kind="gold", title="", quantity=0, unit="", beneficiary="", needed_by=TODAY - dt.timedelta(1)
            ),
        )
    assert fields(caught.value) == {"kind", "title", "quantity", "unit", "beneficiary", "needed_by"}


def test_need_outside_the_area_or_without_permission(actors, clock):
    with pytest.raises(DomainError) as caught:
        need_post(actor=actors["other_community_worker"], data=need_input(community=SHUIYUANDI))
    assert fields(caught.value) == {"community"}
    for name in ("resident", "organiser", "anonymous"):
        with pytest.raises(DomainError) as caught:
            need_post(actor=actors[name], data=need_input(community=SHUIYUANDI))
        assert caught.value.status == 403
    assert CharityNeed.objects.count() == 0


def test_street_officer_posts_for_a_community_of_the_street(actors, clock):
    with pytest.raises(DomainError):
        need_post(actor=actors["street_officer"], data=need_input())  # which community?
    need = need_post(actor=actors["street_officer"], data=need_input(community=HUNHEWAN))
    assert need.community_path == HUNHEWAN


# ---------------------------------------------------------------- offers


def test_offers_of_each_donor(actors, org, need, clock):
    mine = offer_post(actor=actors["resident"], data=offer_input(anonymous=True))
    assert (mine.donor_type, mine.path, mine.anonymous) == (DonorType.RESIDENT, SHUIYUANDI, True)
    assert mine.donor_name == "resident"  # kept for the record
    theirs = offer_post(actor=actors["organiser"], data=offer_input(org=org.public_id, reach="street"))
    assert (theirs.donor_type, theirs.donor_name) == (DonorType.ORGANISATION, "水源地互助会")
    assert theirs.org_id == org.public_id
    walk_in = offer_post(
        actor=actors["community_worker"], data=offer_input(donor_name="赵先生", donor_contact="13912345678")
    )
    assert walk_in.donor_type == DonorType.WALK_IN and "13912345678" not in walk_in.donor_contact_sealed
    helping = offer_post(actor=actors["resident"], data=offer_input(for_need=need.public_id))
    assert helping.for_need_id == need.pk


def test_an_organiser_cannot_give_for_another_organisation(actors, org, people, clock):
    from linli.partners.models import SocialOrg

    other = SocialOrg.objects.create(
        name="浑河湾助老队", kind="relief", status="filed", responsible_name="李", unit_path=HUNHEWAN
    )
    with pytest.raises(DomainError) as caught:
        offer_post(actor=actors["organiser"], data=offer_input(org=other.public_id))
    assert fields(caught.value) == {"org"}
    with pytest.raises(DomainError) as caught:
        offer_post(actor=actors["resident"], data=offer_input(org=org.public_id))
    assert fields(caught.value) == {"org"}
    assert CharityOffer.objects.count() == 0


def test_offer_text_refuses_a_phone(actors, clock):
    with pytest.raises(DomainError) as caught:
        offer_post(actor=actors["resident"], data=offer_input(description="联系我 13812345678"))
    assert fields(caught.value) == {"description"}
    assert CharityOffer.objects.count() == 0


# ---------------------------------------------------------------- matching


def test_proposals_then_a_split_match_delivery_and_acknowledgement(actors, coats, clock):
    worker = actors["community_worker"]
    a = offer_post(actor=actors["resident"], data=offer_input(category="clothing", title="棉服", quantity=6, unit="件"))
    b = offer_post(
        actor=worker,
        data=offer_input(category="clothing", title="羽绒服", quantity=8, unit="件", donor_name="爱心商户"),
    )
    ranked = need_proposals(need=coats)
    assert [(r.offer.pk, r.proposal.quantity) for r in ranked] == [(b.pk, 8), (a.pk, 6)]
    first = match_confirm(actor=worker, need=coats, offer_id=a.public_id, quantity=6)
    coats.refresh_from_db()
    assert (coats.state, coats.allocated) == (NeedState.OPEN, 6)
    second = match_confirm(actor=worker, need=coats, offer_id=b.public_id, quantity=4)
    coats.refresh_from_db()
    b.refresh_from_db()
    assert (coats.state, coats.allocated, b.allocated, b.remaining) == (NeedState.MATCHED, 10, 4, 4)
    match_deliver(actor=worker, match=first, note="已上门送到")
    coats.refresh_from_db()
    assert coats.state == NeedState.MATCHED
    match_deliver(actor=worker, match=second)
    coats.refresh_from_db()
    assert coats.state == NeedState.DELIVERED
    need_act(actor=worker, need=coats, action="acknowledge", note="王阿姨说谢谢")
    coats.refresh_from_db()
    assert coats.state == NeedState.ACKNOWLEDGED
    assert set(Match.objects.values_list("state", flat=True)) == {MatchState.ACKNOWLEDGED}
    assert [s.action for s in coats.steps.all()] == [
        "post",
        "match_confirmed",
        "match",
        "match_delivered",
        "deliver",
        "acknowledge",
    ]


def test_over_allocation_is_refused_and_nothing_changes(actors, coats, clock):
    worker = actors["community_worker"]
    offer = offer_post(actor=actors["resident"], data=offer_input(category="clothing", quantity=5, unit="件"))
    before = counts()
    with pytest.raises(DomainError) as caught:
        match_confirm(actor=worker, need=coats, offer_id=offer.public_id, quantity=6)  # the offer has 5
    assert fields(caught.value) == {"quantity"} and "剩 5" in caught.value.fields[0].message.zh
    big = offer_post(actor=actors["resident"], data=offer_input(category="clothing", quantity=50, unit="件"))
    before = counts()
    with pytest.raises(DomainError) as caught:
        match_confirm(actor=worker, need=coats, offer_id=big.public_id, quantity=11)  # the need lacks 10
    assert "还差 10" in caught.value.fields[0].message.zh
    assert counts() == before
    coats.refresh_from_db()
    big.refresh_from_db()
    assert coats.allocated == 0 and big.allocated == 0


def test_a_cancelled_match_gives_the_quantity_back(actors, need, resident_offer, clock):
    worker = actors["community_worker"]
    match = match_confirm(actor=worker, need=need, offer_id=resident_offer.public_id, quantity=1)
    need.refresh_from_db()
    assert need.state == NeedState.MATCHED
    with pytest.raises(DomainError):
        match_cancel(actor=worker, match=match, reason="")
    match_cancel(actor=worker, match=match, reason="捐赠人临时有事")
    need.refresh_from_db()
    resident_offer.refresh_from_db()
    assert (need.state, need.allocated, resident_offer.allocated) == (NeedState.OPEN, 0, 0)


def test_matching_outside_the_area_is_not_found(actors, need, resident_offer, clock):
    for name in ("other_community_worker", "resident", "organiser"):
        with pytest.raises(DomainError) as caught:
            match_confirm(actor=actors[name], need=need, offer_id=resident_offer.public_id, quantity=1)
        assert caught.value.status in (403, 404)
    assert Match.objects.count() == 0


def test_close_needs_a_reason_and_no_pending_match(actors, need, resident_offer, clock):
    worker = actors["community_worker"]
    with pytest.raises(DomainError) as caught:
        need_act(actor=worker, need=need, action="close")
    assert fields(caught.value) == {"note"}
    match_confirm(actor=worker, need=need, offer_id=resident_offer.public_id, quantity=1)
    with pytest.raises(DomainError) as caught:
        need_act(actor=worker, need=need, action="close", note="已由民政救助解决")
    assert caught.value.code == "conflict"
    need.refresh_from_db()
    assert need.state == NeedState.MATCHED
    with pytest.raises(DomainError) as caught:
        need_act(actor=worker, need=need, action="acknowledge")
    assert caught.value.code == "conflict"


# ---------------------------------------------------------------- micro-funds


def pay(**extra) -> PaymentInput:
    values = {"amount": "1200.00", "on": TODAY, "purpose": "楼道照明", "payee": "沈阳明亮电器行", "receipt": "FP-001"}
    return PaymentInput(**(values | extra))


def test_payment_moves_the_balance(actors, fund, clock):
    entry = payment_record(actor=actors["community_worker"], fund=fund, data=pay())
    fund.refresh_from_db()
    assert fund.balance == Decimal("7300.00") == entry.balance_after
    assert entry.amount == Decimal("-1200.00")


def test_payment_above_the_balance_is_refused(actors, fund, clock):
    before = counts()
    with pytest.raises(DomainError) as caught:
        payment_record(
            actor=actors["community_worker"],
            fund=fund,
            data=pay(amount="8500.01", decision_text="居民议事会同意", decision_on=TODAY, decision_ref="议事会2026-12"),
        )
    assert fields(caught.value) == {"amount"} and "超过基金余额" in caught.value.fields[0].message.zh
    assert counts() == before
    fund.refresh_from_db()
    assert fund.balance == Decimal("8500.00")


def test_large_payment_needs_the_decision(actors, fund, clock):
    before = counts()
    with pytest.raises(DomainError) as caught:
        payment_record(actor=actors["community_worker"], fund=fund, data=pay(amount="5000.01"))
    assert fields(caught.value) == {"decision_text", "decision_on", "decision_ref"}
    assert counts() == before
    entry = payment_record(
        actor=actors["community_worker"],
        fund=fund,
        data=pay(amount="5000.01", decision_text="同意加装扶手", decision_on=TODAY, decision_ref="第12次议事会"),
    )
    assert entry.decision_ref == "第12次议事会"


def test_a_waiting_request_is_paid_with_its_decision(actors, fund, clock):
    worker = actors["community_worker"]
    request = payment_request(
        actor=worker, fund=fund, data=RequestInput(purpose="加装扶手", payee="沈阳安居", amount="6000")
    )
    payment_record(
        actor=worker,
        fund=fund,
        data=pay(
            amount="6000", decision_text="同意", decision_on=TODAY, decision_ref="议事会", request=request.public_id
        ),
    )
    request.refresh_from_db()
    assert request.state == "paid" and request.entry is not None
    with pytest.raises(DomainError):
        payment_record(
            actor=worker,
            fund=fund,
            data=pay(amount="10", request=request.public_id),
        )


def test_corrections_are_new_entries(actors, fund, clock):
    worker = actors["community_worker"]
    first = FundEntry.objects.filter(fund=fund).first()
    correction = correction_record(
        actor=worker, fund=fund, data=CorrectionInput(corrects=first.public_id, amount="-800", reason="多记了800元")
    )
    fund.refresh_from_db()
    assert fund.balance == Decimal("7700.00") and correction.corrects_id == first.pk
    with pytest.raises(DomainError) as caught:
        correction_record(
            actor=worker, fund=fund, data=CorrectionInput(corrects=first.public_id, amount="-9000", reason="x")
        )
    assert fields(caught.value) == {"amount"}


def test_the_ledger_cannot_be_edited(actors, fund, clock):
    entry = FundEntry.objects.filter(fund=fund).first()
    with pytest.raises(DatabaseError), transaction.atomic():
        FundEntry.objects.filter(pk=entry.pk).update(amount=Decimal("1"))
    with pytest.raises(DatabaseError), transaction.atomic():
        MicroFund.objects.filter(pk=fund.pk).update(balance=Decimal("-1"))


def test_fund_outside_the_area_is_not_found(actors, fund, clock):
    before = counts()
    for name in ("other_community_worker", "resident", "organiser", "anonymous"):
        with pytest.raises(DomainError):
            payment_record(actor=actors[name], fund=fund, data=pay())
    assert counts() == before


def test_donation_refuses_a_phone_in_the_donor_name(actors, fund, clock):
    from linli.charity.services import DonationInput, donation_record

    before = counts()
    with pytest.raises(DomainError) as caught:
        donation_record(
            actor=actors["community_worker"],
            fund=fund,
            data=DonationInput(amount="100", on=TODAY, receipt="R1", donor_name="刘 13812345678"),
        )
    assert fields(caught.value) == {"donor_name"}
    assert counts() == before


def test_every_audit_action_written_has_a_name(actors, fund, need, resident_offer, clock):
    from linli.charity.domain import AUDIT_ACTIONS

    worker = actors["community_worker"]
    need_note(actor=worker, need=need)
    match = match_confirm(actor=worker, need=need, offer_id=resident_offer.public_id, quantity=1)
    match_cancel(actor=worker, match=match, reason="改期")
    payment_record(actor=worker, fund=fund, data=pay())
    written = set(AuditEntry.objects.filter(action__startswith="charity.").values_list("action", flat=True))
    assert len(written) >= 7 and written <= set(AUDIT_ACTIONS)
