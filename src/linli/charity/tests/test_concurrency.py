"""Payments and matches at the same moment (PostgreSQL: real row locks and connections)."""

from decimal import Decimal

import pytest

from linli.charity.models import FundEntry, Match
from linli.charity.services import PaymentInput, match_confirm, need_post, payment_record
from linli.charity.tests.conftest import TODAY, need_input
from linli.testing import empty_append_only_tables, run_at_once


def _together(work, arguments) -> list:
    """The refusals by the field they name (or their code), sorted."""
    refusal = lambda error: error.fields[0].field if error.fields else error.code  # noqa: E731
    return sorted(run_at_once(len(arguments), lambda i: work(arguments[i]), refusal=refusal))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_payments_never_take_the_balance_below_zero(actors, fund, clock):
    """Four payments of ¥3,000 from ¥8,500 at once: two are paid, two refused, the balance is
    ¥2,500 and the ledger agrees."""
    worker = actors["community_worker"]

    def pay(n):
        data = PaymentInput(amount="3000", on=TODAY, purpose=f"项目{n}", payee="沈阳某商行", receipt=f"FP-{n}")
        payment_record(actor=worker, fund=fund, data=data)

    try:
        assert _together(pay, [1, 2, 3, 4]) == ["amount", "amount", "ok", "ok"]
        fund.refresh_from_db()
        assert fund.balance == Decimal("2500.00")
        last = FundEntry.objects.filter(fund=fund).order_by("-recorded_at", "-pk").first()
        assert last.balance_after == Decimal("2500.00")
        assert sum(e.amount for e in FundEntry.objects.filter(fund=fund)) == Decimal("2500.00")
    finally:
        empty_append_only_tables()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_matches_never_give_an_offer_away_twice(actors, resident_offer, clock):
    """One wheelchair, two needs confirmed against it at once: one match, the other refused."""
    worker = actors["community_worker"]
    needs = [need_post(actor=worker, data=need_input(title=f"轮椅{n}")) for n in (1, 2)]

    def confirm(need):
        match_confirm(actor=worker, need=need, offer_id=resident_offer.public_id, quantity=1)

    try:
        assert _together(confirm, needs) == ["ok", "quantity"]
        resident_offer.refresh_from_db()
        assert resident_offer.allocated == 1 and Match.objects.count() == 1
    finally:
        empty_append_only_tables()
