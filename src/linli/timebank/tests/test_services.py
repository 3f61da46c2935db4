"""Exchanges and donations through the services, with volunteers from the volunteers app: the
hold at request, the spend at delivery, the release at cancellation, refusals that name the
balance and leave nothing half-saved."""

import uuid

import pytest

from linli.core.errors import DomainError
from linli.core.models import AuditEntry
from linli.timebank.domain import EntryKind, ExchangeState, HolderKind, pool_holder
from linli.timebank.models import Donation, Exchange, ExchangeStep, TimeBankAccount, TimeBankEntry
from linli.timebank.selectors import chain_problems, exchange_note, ledger
from linli.timebank.services import (
    DonationInput,
    ExchangeInput,
    StepInput,
    donation_make,
    exchange_act,
    exchange_request,
)
from linli.timebank.tests.conftest import SHUIYUANDI, give_hours, register


def account(holder) -> TimeBankAccount:
    return TimeBankAccount.objects.get(holder=holder)


def test_approved_hours_reach_the_bank_through_the_signal(bank):
    mine = account(bank.me)
    assert (mine.balance, mine.held, mine.path) == (300, 0, SHUIYUANDI)
    assert list(ledger(mine).values_list("kind", "minutes", "balance_after")) == [
        (EntryKind.EARNED, 60, 300),
        (EntryKind.EARNED, 240, 240),
    ]


def test_an_exchange_holds_then_spends_and_the_provider_earns(bank, actors):
    resident, worker = actors["resident"], actors["community_worker"]
    exchange = exchange_request(
        actor=resident,
        data=ExchangeInput(service="home_cleaning", units=2, beneficiary="parent", note="周二下午，父亲家"),
    )
    assert (exchange.minutes, exchange.state, exchange.path) == (240, ExchangeState.REQUESTED, SHUIYUANDI)
    assert exchange_note(exchange) == "周二下午，父亲家"
    assert "父亲" not in exchange.note_sealed  # sealed at rest
    assert (account(bank.me).balance, account(bank.me).held) == (300, 240)

    exchange_act(actor=worker, public_id=exchange.public_id, data=StepInput("arrange", provider=bank.provider))
    exchange_act(actor=worker, public_id=exchange.public_id, data=StepInput("deliver"))
    mine = account(bank.me)
    assert (mine.balance, mine.held) == (60, 0)
    spent = ledger(mine).first()
    assert (spent.kind, spent.minutes, spent.balance_after) == (EntryKind.SPENT, -240, 60)

    exchange = exchange_act(actor=worker, public_id=exchange.public_id, data=StepInput("confirm"))
    assert exchange.state == ExchangeState.CONFIRMED
    assert exchange.provider_name.startswith("王")
    assert account(bank.provider).balance == 240
    assert list(ExchangeStep.objects.filter(exchange=exchange).values_list("action", flat=True)) == [
        "request",
        "arrange",
        "deliver",
        "confirm",
    ]
    assert chain_problems(mine) == [] and chain_problems(account(bank.provider)) == []


def test_spending_more_than_the_balance_is_refused_naming_it(bank, actors):
    with pytest.raises(DomainError) as refused:
        exchange_request(actor=actors["resident"], data=ExchangeInput(service="escort_clinic", units=2))
    assert refused.value.code == "insufficient_balance"
    assert refused.value.fields[0].field == "units"
    assert "可用 5 小时" in refused.value.fields[0].message.zh and "需要 6 小时" in refused.value.fields[0].message.zh
    assert refused.value.details["available"] == 300
    assert not Exchange.objects.exists()
    assert account(bank.me).held == 0


def test_held_minutes_cannot_be_spent_twice(bank, actors):
    resident = actors["resident"]
    exchange_request(actor=resident, data=ExchangeInput(service="escort_clinic"))  # 180 held
    with pytest.raises(DomainError) as refused:
        exchange_request(actor=resident, data=ExchangeInput(service="home_cleaning"))  # 120 of the 120 left: fits
        exchange_request(actor=resident, data=ExchangeInput(service="meal_delivery"))  # nothing left
    assert "已为申请中的兑换预留" in refused.value.fields[0].message.zh
    with pytest.raises(DomainError):
        donation_make(actor=resident, data=DonationInput(minutes=1, reason="x", to_pool=True, confirmed=True))
    assert (account(bank.me).balance, account(bank.me).held) == (300, 300)


def test_cancelling_releases_the_hold_and_needs_a_reason(bank, actors):
    resident = actors["resident"]
    exchange = exchange_request(actor=resident, data=ExchangeInput(service="escort_clinic"))
    with pytest.raises(DomainError) as refused:
        exchange_act(actor=resident, public_id=exchange.public_id, data=StepInput("cancel"))
    assert refused.value.fields[0].field == "reason"
    assert account(bank.me).held == 180
    exchange_act(actor=resident, public_id=exchange.public_id, data=StepInput("cancel", reason="父亲住院了"))
    assert (account(bank.me).balance, account(bank.me).held) == (300, 0)
    assert TimeBankEntry.objects.filter(account__holder=bank.me).count() == 2  # a hold is not an entry


def test_a_delivered_exchange_cannot_be_cancelled(bank, actors):
    worker = actors["community_worker"]
    exchange = exchange_request(actor=actors["resident"], data=ExchangeInput(service="meal_delivery"))
    exchange_act(actor=worker, public_id=exchange.public_id, data=StepInput("arrange", provider=bank.provider))
    exchange_act(actor=worker, public_id=exchange.public_id, data=StepInput("deliver"))
    with pytest.raises(DomainError) as refused:
        exchange_act(actor=worker, public_id=exchange.public_id, data=StepInput("cancel", reason="x"))
    assert refused.value.status == 409
    assert account(bank.me).balance == 270


def test_the_requester_cannot_take_staff_steps(bank, actors):
    exchange = exchange_request(actor=actors["resident"], data=ExchangeInput(service="meal_delivery"))
    with pytest.raises(DomainError):
        exchange_act(
            actor=actors["resident"], public_id=exchange.public_id, data=StepInput("arrange", provider=bank.provider)
        )
    for name in ("other_community_worker", "organiser", "anonymous", "city_admin"):
        with pytest.raises(DomainError) as refused:
            exchange_act(
                actor=actors[name], public_id=exchange.public_id, data=StepInput("arrange", provider=bank.provider)
            )
        assert refused.value.status == 404
    exchange.refresh_from_db()
    assert exchange.state == ExchangeState.REQUESTED and exchange.provider is None


def test_arranging_needs_a_provider_in_the_area_other_than_the_requester(bank, actors):
    worker = actors["community_worker"]
    exchange = exchange_request(actor=actors["resident"], data=ExchangeInput(service="meal_delivery"))
    for provider in (None, bank.me, bank.other_community, uuid.uuid4()):
        with pytest.raises(DomainError) as refused:
            exchange_act(actor=worker, public_id=exchange.public_id, data=StepInput("arrange", provider=provider))
        assert refused.value.fields[0].field == "provider"
    exchange.refresh_from_db()
    assert exchange.state == ExchangeState.REQUESTED


def test_a_resident_who_is_not_a_volunteer_is_told_so(actors):
    with pytest.raises(DomainError) as refused:
        exchange_request(actor=actors["resident"], data=ExchangeInput(service="meal_delivery"))
    assert refused.value.code == "not_a_volunteer"
    assert not TimeBankAccount.objects.exists()


def test_request_problems_are_named(bank, actors):
    with pytest.raises(DomainError) as refused:
        exchange_request(actor=actors["resident"], data=ExchangeInput(service="nope", units=0, beneficiary="x"))
    assert {f.field for f in refused.value.fields} == {"service", "units", "beneficiary"}


def test_a_donation_to_another_volunteer(bank, actors):
    resident = actors["resident"]
    with pytest.raises(DomainError) as unconfirmed:
        donation_make(actor=resident, data=DonationInput(minutes=90, reason="帮助王阿姨", recipient=bank.provider))
    assert unconfirmed.value.fields[0].field == "confirmed"
    for minutes in (0, -5, None):
        with pytest.raises(DomainError):
            donation_make(
                actor=resident, data=DonationInput(minutes=minutes, reason="x", recipient=bank.provider, confirmed=True)
            )
    with pytest.raises(DomainError) as self_gift:
        donation_make(actor=resident, data=DonationInput(minutes=5, reason="x", recipient=bank.me, confirmed=True))
    assert self_gift.value.fields[0].field == "recipient"
    assert not Donation.objects.exists()

    donation = donation_make(
        actor=resident, data=DonationInput(minutes=90, reason="帮助王阿姨", recipient=bank.provider, confirmed=True)
    )
    assert account(bank.me).balance == 210 and account(bank.provider).balance == 90
    kinds = set(TimeBankEntry.objects.filter(reference_id=str(donation.public_id)).values_list("kind", "minutes"))
    assert kinds == {(EntryKind.DONATED_OUT, -90), (EntryKind.DONATED_IN, 90)}
    assert AuditEntry.objects.filter(action="timebank.donation", reason="帮助王阿姨").count() == 1


def test_a_donation_to_the_community_pool(bank, actors):
    with pytest.raises(DomainError) as refused:
        donation_make(
            actor=actors["resident"], data=DonationInput(minutes=301, reason="捐给社区", to_pool=True, confirmed=True)
        )
    assert refused.value.code == "insufficient_balance"
    assert not TimeBankAccount.objects.filter(kind=HolderKind.POOL, balance__gt=0).exists()
    donation_make(
        actor=actors["resident"], data=DonationInput(minutes=300, reason="捐给社区", to_pool=True, confirmed=True)
    )
    pool = account(pool_holder(SHUIYUANDI))
    assert (pool.kind, pool.path, pool.balance) == (HolderKind.POOL, SHUIYUANDI, 300)
    assert account(bank.me).balance == 0


def test_hours_served_in_another_community_are_booked_where_served(bank, actors):
    volunteer = register(actors["community_worker"], 14, "周玉梅", for_self=False)
    give_hours(actors["other_community_worker"], volunteer, 30, path="210102001003")
    mine = account(volunteer.public_id)
    assert mine.path == SHUIYUANDI  # the account belongs where the volunteer registered
    assert ledger(mine).first().path == "210102001003"  # the minutes count where they were served


def test_staff_ask_on_behalf_of_a_volunteer_of_their_area(bank, actors):
    from linli.timebank.services import hours_credit

    hours_credit(hours_id=uuid.uuid4(), volunteer_id=bank.provider, minutes=120, served_path=SHUIYUANDI)
    data = ExchangeInput(service="meal_delivery", holder=bank.provider)
    for name in ("other_community_worker", "resident"):
        with pytest.raises(DomainError):
            exchange_request(actor=actors[name], data=data)
    exchange = exchange_request(actor=actors["community_worker"], data=data)
    assert exchange.requested_by is None and account(bank.provider).held == 30
    assert ExchangeStep.objects.get(exchange=exchange).reason.startswith("代办")


def test_a_volunteers_hours_stars_and_balance_in_few_queries(bank, people, django_assert_max_num_queries):
    from linli.core.memo import forget_all
    from linli.timebank.selectors import summary_for_user

    forget_all()
    with django_assert_max_num_queries(4):
        summary = summary_for_user(people["resident"].pk)
    assert (summary.holder, summary.total_minutes, summary.star_level, summary.balance) == (bank.me, 300, 0, 300)
    assert summary_for_user(people["community_worker"].pk) is None
