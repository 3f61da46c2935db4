"""Concurrent spends on one account (PostgreSQL: real row locks, one connection per thread): the
balance never goes below zero, exactly as many spends land as the balance allows, and every
entry's balance_after follows from the one before."""

import uuid
from dataclasses import dataclass

import pytest

from linli.testing import run_at_once
from linli.timebank.models import Exchange, TimeBankAccount, TimeBankEntry
from linli.timebank.selectors import chain_problems
from linli.timebank.services import (
    DonationInput,
    ExchangeInput,
    donation_make,
    exchange_request,
    hours_credit,
    services_ensure,
)

HOME = "210102001002"


@dataclass(frozen=True)
class Brief:
    public_id: uuid.UUID
    registered_path: str = HOME
    display_name: str = "李秀英"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_spends_never_overdraw(actors, monkeypatch):
    me = Brief(uuid.uuid4())
    # an earlier transactional test's flush empties the table the migration filled
    services_ensure()
    monkeypatch.setattr("linli.timebank.services.volunteer_of_user", lambda user_id: me)
    hours_credit(hours_id=uuid.uuid4(), volunteer_id=me.public_id, minutes=300, served_path=HOME)
    resident = actors["resident"]

    # ten donations of 45 minutes to the pool at once: six fit in 300 minutes
    outcomes = run_at_once(
        10,
        lambda i: donation_make(
            actor=resident, data=DonationInput(minutes=45, reason="助老", to_pool=True, confirmed=True)
        ),
    )
    assert sorted(outcomes).count("ok") == 6
    assert outcomes.count("insufficient_balance") == 4
    account = TimeBankAccount.objects.get(holder=me.public_id)
    assert (account.balance, account.held) == (30, 0)

    # the 30 left: eight requests of 30 minutes (meal delivery) held at once, one fits
    outcomes = run_at_once(8, lambda i: exchange_request(actor=resident, data=ExchangeInput(service="meal_delivery")))
    assert outcomes.count("ok") == 1
    account.refresh_from_db()
    assert (account.balance, account.held, account.available) == (30, 30, 0)
    assert Exchange.objects.filter(account=account).count() == 1

    assert chain_problems(account) == []
    balances = list(
        TimeBankEntry.objects.filter(account=account).order_by("id").values_list("balance_after", flat=True)
    )
    assert balances == [300, 255, 210, 165, 120, 75, 30]
    assert min(balances) >= 0
