"""The rules without a database: the ranking of offers (hand-checked cases), where an offer
reaches, the state table, the public-text check and money."""

import datetime as dt
from decimal import Decimal

import pytest

from linli.charity.domain import (
    TRANSITIONS,
    NeedFacts,
    NeedState,
    OfferFacts,
    actions_from,
    money_parse,
    needs_decision,
    personal_number_problem,
    place_rank,
    proposals,
    reaches,
    state_after_allocation,
    state_after_delivery,
    yuan,
)

TODAY = dt.date(2026, 12, 7)
NEED = NeedFacts(kind="goods", category="clothing", path="210102001002", remaining=10)


def offer(key, path="210102001002", reach="community", remaining=10, kind="goods", category="clothing", **extra):
    return OfferFacts(key, kind, category, path, reach, remaining, **extra)


def test_place_rank_by_common_prefix():
    assert place_rank("210102001002", "210102001002") == 0
    assert place_rank("210102001002", "210102001003") == 1  # sibling community, same street
    assert place_rank("210102001002", "210102001") == 1  # based at the street
    assert place_rank("210102001002", "210102002001") == 2  # same district
    assert place_rank("210102001002", "210103001001") == 3  # same city
    assert place_rank("210102001002", "2101") == 3  # based at the city
    assert place_rank("210102001002", "210203001001") is None  # another city


def test_reach_limits_where_an_offer_goes():
    assert reaches("210102001003", "community", "210102001003")
    assert not reaches("210102001003", "community", "210102001002")
    assert reaches("210102001003", "street", "210102001002")
    assert not reaches("210102001003", "street", "210102002001")
    assert reaches("210103001001", "city", "210102001002")


def test_ranking_hand_checked():
    offers = [
        offer("city-big", path="210103001001", reach="city", remaining=50),
        offer("street-small", path="210102001003", reach="street", remaining=4),
        offer("street-big", path="210102001003", reach="street", remaining=12),
        offer("home-small", remaining=3),
        offer("home-other-category", category="food", remaining=10),
        offer("other-kind", kind="other", remaining=10),
        offer("money", kind="money", remaining=1000),  # another kind: never proposed
        offer("sibling-only", path="210102001003", reach="community"),  # does not reach
        offer("expired", available_until=TODAY - dt.timedelta(days=1)),
        offer("empty", remaining=0),
    ]
    ranked = proposals(NEED, offers, TODAY)
    assert [p.key for p in ranked] == [
        "home-small",  # same community beats a bigger offer further away
        "street-big",  # same street; covers all before a part
        "street-small",
        "city-big",
        "home-other-category",  # same kind but another category after the same category
        "other-kind",  # kind "other" last
    ]
    assert [p.quantity for p in ranked] == [3, 10, 4, 10, 10, 10]
    assert [p.covers_all for p in ranked][:3] == [False, True, False]
    assert [p.place_rank for p in ranked] == [0, 1, 1, 3, 0, 0]


def test_an_offer_made_for_this_need_comes_first():
    offers = [offer("near"), offer("for-me", path="210103001001", reach="city", for_this_need=True)]
    assert [p.key for p in proposals(NEED, offers, TODAY)] == ["for-me", "near"]


def test_nothing_is_proposed_for_a_need_already_covered():
    assert proposals(NeedFacts("goods", "", "210102001002", 0), [offer("a")], TODAY) == []


def test_the_state_table():
    assert set(actions_from(NeedState.OPEN)) == {"match", "close"}
    assert set(actions_from(NeedState.MATCHED)) == {"unmatch", "deliver", "close"}
    assert actions_from(NeedState.DELIVERED) == ["acknowledge", "close"]
    assert actions_from(NeedState.ACKNOWLEDGED) == []
    assert actions_from(NeedState.CLOSED) == []
    assert TRANSITIONS["close"].needs_reason and not TRANSITIONS["acknowledge"].needs_reason


def test_states_follow_the_quantities():
    assert state_after_allocation(NeedState.OPEN, 10, 9) == NeedState.OPEN
    assert state_after_allocation(NeedState.OPEN, 10, 10) == NeedState.MATCHED
    assert state_after_allocation(NeedState.MATCHED, 10, 7) == NeedState.OPEN
    assert state_after_delivery(NeedState.MATCHED, 10, 6) == NeedState.MATCHED
    assert state_after_delivery(NeedState.MATCHED, 10, 10) == NeedState.DELIVERED


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("王女士，独居老人", None),
        ("身份证210102195003071234", "id"),
        ("证件 21010219500307123X 已核实", "id"),
        ("联系电话13812345678", "phone"),
        ("电话 138-1234-5678", "phone"),
        ("座机024-87654321", "phone"),
        ("需要 2 台，12 月 20 日前", None),
    ],
)
def test_public_text_refuses_full_numbers(text, refused):
    problem = personal_number_problem(text)
    if refused is None:
        assert problem is None
    else:
        assert ("身份证号" if refused == "id" else "电话号码") in problem.zh


def test_money():
    assert money_parse("5,000") == Decimal("5000.00")
    assert money_parse("0.5") == Decimal("0.50")
    assert money_parse("1.234") is None  # three places
    assert money_parse("0") is None and money_parse("-3") is None and money_parse("abc") is None
    assert money_parse("NaN") is None
    assert yuan(Decimal("12345.6")) == "¥12,345.60"
    assert needs_decision(Decimal("5000.01"), Decimal("5000.00"))
    assert not needs_decision(Decimal("5000.00"), Decimal("5000.00"))
