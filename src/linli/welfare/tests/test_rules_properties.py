"""Properties of the rules over random households (hypothesis): more income never raises the
grade (tekun > dibao > edge > rigid > none) nor the dibao amount; a rigid expenditure never lowers
the grade; `determine_many` gives what `determine` gives, household by household."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linli.welfare.rules.engine import Change, determine, determine_many
from linli.welfare.rules.facts import INCOME_SOURCES, Household, Income, Member

ON = date(2026, 7, 15)
RANK = {"tekun": 4, "dibao": 3, "edge": 2, "rigid": 1, "none": 0}
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

money = st.integers(min_value=0, max_value=300_000).map(lambda fen: Decimal(fen).scaleb(-2))
small_money = st.integers(min_value=0, max_value=150_000).map(lambda fen: Decimal(fen).scaleb(-2))


@st.composite
def members(draw) -> Member:
    incomes = draw(
        st.lists(st.tuples(st.sampled_from(INCOME_SOURCES), small_money), max_size=3).map(
            lambda pairs: tuple(Income(source, amount) for source, amount in pairs)
        )
    )
    return Member(
        ref=f"m{draw(st.integers(0, 10**6))}",
        birth_date=draw(st.dates(min_value=date(1925, 1, 1), max_value=date(2026, 7, 1))),
        disability_level=draw(st.sampled_from(["", "", "", "1", "2", "3", "4"])),
        serious_illness=draw(st.booleans()),
        able_to_work=draw(st.booleans()),
        employed=draw(st.booleans()),
        incomes=incomes,
        care_need=draw(st.sampled_from(["", "partial", "full"])),
        sex=draw(st.sampled_from(["", "male", "female"])),
    )


@st.composite
def households(draw) -> Household:
    return Household(
        area=draw(st.sampled_from(["urban", "rural"])),
        members=tuple(draw(st.lists(members(), min_size=1, max_size=5))),
        deposits=draw(st.sampled_from([Decimal(0), Decimal(5000), Decimal(80000)])),
        vehicles=draw(st.sampled_from([0, 0, 1])),
        vehicle_value=draw(st.sampled_from([Decimal(0), Decimal(15000), Decimal(50000)])),
        homes=draw(st.sampled_from([0, 1, 1, 2])),
        medical_costs=draw(st.sampled_from([Decimal(0), Decimal("300.50"), Decimal(4000)])),
        education_costs=draw(st.sampled_from([Decimal(0), Decimal(200)])),
        disability_costs=draw(st.sampled_from([Decimal(0), Decimal(150)])),
        has_able_supporter=draw(st.booleans()),
    )


def with_more_income(household: Household, index: int, source: str, extra: Decimal) -> Household:
    chosen = household.members[index % len(household.members)]
    richer = replace(chosen, incomes=(*chosen.incomes, Income(source, extra)))
    members_ = tuple(richer if m is chosen else m for m in household.members)
    return replace(household, members=members_)


@SETTINGS
@given(households(), st.integers(0, 4), st.sampled_from(INCOME_SOURCES), money)
def test_more_income_never_raises_the_grade_nor_the_dibao_amount(household, index, source, extra) -> None:
    before = determine(household, ON)
    after = determine(with_more_income(household, index, source, extra), ON)
    assert RANK[after.assistance_class] <= RANK[before.assistance_class]
    if before.assistance_class == after.assistance_class == "dibao":
        assert after.monthly_amount <= before.monthly_amount
    assert after.per_capita_income >= before.per_capita_income


@SETTINGS
@given(households(), st.sampled_from(["medical_costs", "education_costs", "disability_costs"]), money)
def test_a_rigid_expenditure_never_lowers_the_grade(household, kind, extra) -> None:
    before = determine(household, ON)
    after = determine(replace(household, **{kind: getattr(household, kind) + extra}), ON)
    assert RANK[after.assistance_class] >= RANK[before.assistance_class]
    assert after.per_capita_income <= before.per_capita_income


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(households(), min_size=1, max_size=25))
def test_determine_many_equals_determine(sample) -> None:
    together = determine_many(sample, ON, trace=True)
    assert together == [determine(household, ON) for household in sample]
    untraced = determine_many(sample, ON)
    assert [(r.assistance_class, r.monthly_amount) for r in untraced] == [
        (r.assistance_class, r.monthly_amount) for r in together
    ]


def test_the_grades_are_all_reached() -> None:
    """The random households above are not all of one class (else the properties prove little)."""
    from hypothesis import find

    for grade in RANK:
        found = find(households(), lambda h, grade=grade: determine(h, ON).assistance_class == grade)
        assert determine(found, ON).assistance_class == grade


SINGLE_PERSON_ON = [Change("dibao.single_person.enabled", Decimal(1), date(2026, 1, 1))]


@SETTINGS
@given(households(), st.integers(0, 4), st.sampled_from(INCOME_SOURCES), money)
def test_with_single_person_dibao_more_income_never_raises_the_amount(household, index, source, extra) -> None:
    before = determine(household, ON, SINGLE_PERSON_ON)
    after = determine(with_more_income(household, index, source, extra), ON, SINGLE_PERSON_ON)
    assert RANK[after.assistance_class] <= RANK[before.assistance_class]
    if before.assistance_class == after.assistance_class == "dibao":
        assert after.monthly_amount <= before.monthly_amount
