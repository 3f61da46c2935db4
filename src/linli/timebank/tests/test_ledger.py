"""The ledger without the volunteers app: credits from approved hours, corrections, expiry and
the append-only rule."""

import uuid
from datetime import UTC, datetime

import pytest
from django.db import DatabaseError, IntegrityError, transaction

from linli.core.errors import DomainError
from linli.timebank.domain import EntryKind
from linli.timebank.models import TimeBankAccount, TimeBankEntry
from linli.timebank.selectors import chain_problems, ledger
from linli.timebank.services import correction_record, expiry_rule_set, expiry_run, hours_credit

SERVED = "210102001002"


def credit(volunteer, minutes, *, hours_id=None, at=None):
    return hours_credit(
        hours_id=hours_id or uuid.uuid4(),
        volunteer_id=volunteer,
        minutes=minutes,
        served_path=SERVED,
        registered_path=SERVED,
        approved_at=at,
    )


def test_approved_hours_are_credited_once(db):
    volunteer, hours = uuid.uuid4(), uuid.uuid4()
    entry = credit(volunteer, 150, hours_id=hours)
    assert (entry.kind, entry.minutes, entry.balance_after) == (EntryKind.EARNED, 150, 150)
    assert credit(volunteer, 150, hours_id=hours) is None
    account = TimeBankAccount.objects.get(holder=volunteer)
    assert account.balance == 150
    assert ledger(account).count() == 1


def test_one_hours_id_cannot_be_credited_twice_even_to_another_holder(db):
    hours = uuid.uuid4()
    credit(uuid.uuid4(), 60, hours_id=hours)
    assert credit(uuid.uuid4(), 60, hours_id=hours) is None
    assert TimeBankEntry.objects.filter(reference_id=str(hours)).count() == 1


def test_the_database_refuses_a_second_credit_of_one_hours_id(db):
    volunteer, hours = uuid.uuid4(), uuid.uuid4()
    entry = credit(volunteer, 60, hours_id=hours)
    with pytest.raises(IntegrityError), transaction.atomic():
        TimeBankEntry.objects.create(
            account=entry.account,
            kind=EntryKind.EARNED,
            minutes=60,
            balance_after=120,
            reference_type="hours",
            reference_id=str(hours),
            path=SERVED,
            actor_name="x",
            created_at=entry.created_at,
        )


def test_hours_corrected_down_take_back_only_what_is_available(db):
    volunteer = uuid.uuid4()
    credit(volunteer, 100)
    entry = credit(volunteer, -160)
    assert (entry.kind, entry.minutes, entry.balance_after) == (EntryKind.CORRECTION, -100, 0)
    assert "60" in entry.reason  # the part already spent is named
    assert chain_problems(entry.account) == []


def test_the_ledger_is_append_only(db):
    entry = credit(uuid.uuid4(), 30)
    with pytest.raises(DatabaseError), transaction.atomic():
        TimeBankEntry.objects.filter(pk=entry.pk).update(minutes=3000)
    with pytest.raises(DatabaseError), transaction.atomic():
        TimeBankEntry.objects.filter(pk=entry.pk).delete()
    entry.refresh_from_db()
    assert entry.minutes == 30


def test_a_balance_cannot_be_negative_in_the_database(db):
    entry = credit(uuid.uuid4(), 30)
    with pytest.raises(IntegrityError), transaction.atomic():
        TimeBankAccount.objects.filter(pk=entry.account_id).update(balance=-1)


def test_staff_correct_a_balance_in_their_area_with_a_reason(actors):
    volunteer = uuid.uuid4()
    credit(volunteer, 120)
    with pytest.raises(DomainError) as refused:
        correction_record(actor=actors["community_worker"], holder=volunteer, minutes=30, reason=" ")
    assert refused.value.fields[0].field == "reason"
    with pytest.raises(DomainError) as overdrawn:
        correction_record(actor=actors["community_worker"], holder=volunteer, minutes=-121, reason="录入错误")
    assert overdrawn.value.code == "insufficient_balance"
    assert "2 小时" in str(overdrawn.value.fields[0].message.zh)  # the balance is named
    with pytest.raises(DomainError) as elsewhere:
        correction_record(actor=actors["other_community_worker"], holder=volunteer, minutes=-10, reason="录入错误")
    assert elsewhere.value.status == 404
    entry = correction_record(actor=actors["community_worker"], holder=volunteer, minutes=-20, reason="录入错误")
    assert entry.balance_after == 100
    assert TimeBankAccount.objects.get(holder=volunteer).balance == 100
    assert TimeBankEntry.objects.filter(account=entry.account).count() == 2  # nothing half-saved


def test_corrections_need_the_permission(actors):
    volunteer = uuid.uuid4()
    credit(volunteer, 120)
    for name in ("resident", "anonymous", "organiser", "city_admin"):
        with pytest.raises(DomainError):
            correction_record(actor=actors[name], holder=volunteer, minutes=10, reason="x")
    assert TimeBankAccount.objects.get(holder=volunteer).balance == 120


def test_expiry_by_the_citys_rule_is_idempotent(actors, time_machine):
    volunteer = uuid.uuid4()
    time_machine.move_to(datetime(2022, 3, 1, 2, tzinfo=UTC))
    credit(volunteer, 300)
    time_machine.move_to(datetime(2023, 3, 1, 2, tzinfo=UTC))
    credit(volunteer, 60)
    time_machine.move_to(datetime(2024, 6, 1, 2, tzinfo=UTC))
    correction_record(actor=actors["community_worker"], holder=volunteer, minutes=-100, reason="补录更正")
    assert "no rule" in expiry_run()  # the default: hours do not expire
    with pytest.raises(DomainError):
        expiry_rule_set(actor=actors["community_worker"], years=2, verified=False, source="")  # not the city
    from linli.accounts.domain import TIMEBANK_MANAGE
    from linli.core.actor import Actor

    city = Actor(
        user_id=None, username="city", permissions=frozenset({TIMEBANK_MANAGE}), scope_paths=("2101",), citywide=True
    )
    expiry_rule_set(actor=city, years=2, verified=False, source="")
    time_machine.move_to(datetime(2024, 6, 2, 2, tzinfo=UTC))
    assert "200 minutes" in expiry_run()  # 300 from 2022, 100 of them used first
    assert "0 minutes" in expiry_run()
    account = TimeBankAccount.objects.get(holder=volunteer)
    assert account.balance == 60
    assert chain_problems(account) == []
    time_machine.move_to(datetime(2025, 6, 2, 2, tzinfo=UTC))
    assert "60 minutes" in expiry_run()
    assert TimeBankAccount.objects.get(holder=volunteer).balance == 0
