from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.timebank.domain import (
    ExchangeAction,
    ExchangeState,
    expiring_minutes,
    expiry_cutoff,
    minutes_text,
    pool_holder,
    transition_for,
    years_valid,
)


@pytest.mark.parametrize(
    ("minutes", "zh", "en"),
    [(0, "0 分钟", "0 min"), (45, "45 分钟", "45 min"), (60, "1 小时", "1 h"), (150, "2 小时 30 分钟", "2 h 30 min")],
)
def test_minutes_text_is_exact_to_the_minute(minutes, zh, en):
    assert minutes_text(minutes) == zh
    assert minutes_text(minutes, "en") == en


def test_negative_minutes_keep_the_sign():
    assert minutes_text(-90) == "-1 小时 30 分钟"


def test_transitions_follow_the_table():
    assert transition_for(ExchangeAction.ARRANGE, ExchangeState.REQUESTED).target == ExchangeState.ARRANGED
    assert transition_for(ExchangeAction.DELIVER, ExchangeState.REQUESTED) is None
    assert transition_for(ExchangeAction.CANCEL, ExchangeState.DELIVERED) is None  # spent: no way back
    assert transition_for(ExchangeAction.CANCEL, ExchangeState.ARRANGED).needs_reason


def test_pool_holder_is_fixed_per_community():
    assert pool_holder("210102001002") == pool_holder("210102001002")
    assert pool_holder("210102001002") != pool_holder("210102001003")


def test_expiry_cutoff_on_29_february():
    assert expiry_cutoff(datetime(2028, 2, 29, 12), 1) == datetime(2027, 2, 28, 12)


def test_expiry_is_first_in_first_out():
    # 600 earned long ago, 200 spent since: 400 of the old minutes are unspent and expire
    assert expiring_minutes(credits_before_cutoff=600, debits_total=200, available=900) == 400
    # held minutes are kept for the exchange they were held for
    assert expiring_minutes(credits_before_cutoff=600, debits_total=200, available=100) == 100
    # the old minutes were all spent
    assert expiring_minutes(credits_before_cutoff=600, debits_total=700, available=300) == 0


@given(st.integers(0, 10_000), st.integers(0, 10_000), st.integers(0, 10_000))
def test_expiry_run_twice_expires_nothing_more(credits, debits, available):
    first = expiring_minutes(credits_before_cutoff=credits, debits_total=debits, available=available)
    assert 0 <= first <= available
    again = expiring_minutes(credits_before_cutoff=credits, debits_total=debits + first, available=available - first)
    assert again == 0


def test_years_valid():
    assert years_valid(None) and years_valid(3)
    assert not years_valid(0) and not years_valid(51)
