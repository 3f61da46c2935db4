"""Modifications' rules with no database: the quote, quantities, the goal's split, the path."""

from decimal import Decimal

from linli.care.domain.modifications import (
    AUDIT_ACTIONS,
    TRANSITIONS,
    ModState,
    QuoteLine,
    actions_from,
    parse_quantity,
    path_reached,
    photo_problem,
    quote,
    split_goal,
    standard_items,
)


def test_the_quote_subsidises_basic_items_up_to_the_cap_and_optional_ones_are_own_cost():
    lines = [
        QuoteLine("grab_bar", Decimal(2), Decimal("180"), True),
        QuoteLine("night_light", Decimal(3), Decimal("60"), True),
        QuoteLine("care_bed", Decimal(1), Decimal("2800"), False),
    ]
    result = quote(lines, Decimal("3000"))
    assert (result.total, result.basic_total, result.subsidy, result.own_share) == (
        Decimal("3340.00"),
        Decimal("540.00"),
        Decimal("540.00"),
        Decimal("2800.00"),
    )


def test_basic_items_over_the_cap_are_paid_by_the_household():
    lines = [QuoteLine("ramp", Decimal(6), Decimal("600"), True)]
    result = quote(lines, Decimal("3000"))
    assert (result.total, result.subsidy, result.own_share) == (
        Decimal("3600.00"),
        Decimal("3000.00"),
        Decimal("600.00"),
    )


def test_quantities_are_positive_tenths_up_to_a_hundred():
    assert parse_quantity("2") == Decimal(2)
    assert parse_quantity(" 3.5 ") == Decimal("3.5")
    assert [parse_quantity(t) for t in ("0", "-1", "abc", "", "101", "1.25", "NaN", "Infinity")] == [None] * 8


def test_the_goal_is_split_in_proportion_and_sums_exactly():
    shares = split_goal(11000, {"210102": 3, "210103": 3, "210104": 1})
    assert shares == {"210102": 4714, "210103": 4714, "210104": 1572}
    assert sum(shares.values()) == 11000
    assert split_goal(10, {"a": 0, "b": 0, "c": 0}) == {"a": 4, "b": 3, "c": 3}
    assert split_goal(10, {}) == {}


def test_the_transition_table_and_the_familys_path():
    assert actions_from(ModState.APPLIED) == ["assess", "refuse", "withdraw"]
    assert actions_from(ModState.ACCEPTED) == ["pay"]
    assert actions_from(ModState.PAID) == []
    assert TRANSITIONS["pay"].permission == "care.pay"
    assert path_reached(ModState.CONFIRMED) == {"applied", "assessed", "confirmed"}
    assert path_reached(ModState.REFUSED) == set()


def test_every_audit_action_is_named_in_both_languages():
    assert all(name.startswith("care.mod_") and msg.zh and msg.en for name, msg in AUDIT_ACTIONS.items())
    assert {f"care.mod_{a}" for a in TRANSITIONS} <= set(AUDIT_ACTIONS)


def test_photos_are_judged_by_content():
    assert photo_problem("a.png", b"\x89PNG\r\n\x1a\n....") is None
    assert photo_problem("a.jpg", b"GIF89a").en == "'a.jpg' is not a JPG or PNG image"
    assert photo_problem("e.png", b"").en == "Photo 'e.png' is empty"


def test_the_example_items_file_has_every_group_and_the_cap():
    valid_from, cap, items = standard_items()
    assert valid_from.year == 2023
    assert cap == Decimal("3000.00")
    assert {i["group"] for i in items} == {"toilet", "room", "passage", "safety", "aids"}
    assert len({i["code"] for i in items}) == len(items) == 18
    assert all(i["name"] and i["name_en"] and i["unit_price"] > 0 for i in items)
