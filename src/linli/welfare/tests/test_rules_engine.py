"""The rules engine (no database): a hand-computed determination per class, pinned to the fen and
the trace; the rural standard of 2023 as one dated value; the city's changes; ParameterMissing.

Shipped example values used below (2026): urban and rural standard ¥820.00, wage disregard ¥100.00
per member with wages, edge factor 1.5, tekun basic factor 1.3, care ¥80/¥300/¥900, add-ons 10% of
the standard from 70 and under 18, 20% for levels 1–2 and serious illness, minimum ¥30.00."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from linli.welfare.domain.classes import AssistanceClass
from linli.welfare.rules.engine import (
    Change,
    ParameterMissing,
    determine,
    determine_many,
    parameter_table,
    parameter_value,
    rules_version,
    trace_from_json,
)
from linli.welfare.rules.facts import Household, Income, Member

ON = date(2026, 7, 15)
D = Decimal


def person(born: date, *incomes: tuple[str, str], **facts) -> Member:
    return Member(
        ref=f"p{born.isoformat()}", birth_date=born, incomes=tuple(Income(s, D(v)) for s, v in incomes), **facts
    )


def dibao_family() -> Household:
    return Household(
        area="urban",
        members=(
            person(date(1980, 5, 1), ("wage", "1000"), employed=True),
            person(date(1950, 1, 1)),
            person(date(2015, 1, 1)),
        ),
        medical_costs=D("200"),
    )


def lines(result) -> dict[str, str]:
    return {line.variable: line.value for line in result.trace}


def test_dibao_hand_computed() -> None:
    # wage 1,000 − 100 disregard = 900; − medical 200 = 700; 820 × 3 − 700 = 1,760; + 82 (aged 76) + 82 (aged 11)
    result = determine(dibao_family(), ON)
    assert result.assistance_class == AssistanceClass.DIBAO == "dibao"
    assert result.monthly_amount == D("1924.00")
    assert result.per_capita_income == D("233.33")
    assert result.per_capita_income_before_deductions == D("300.00")
    assert result.standard == D("820.00")
    assert result.members == 3
    shown = lines(result)
    assert shown["dibao_standard"] == "¥820.00"
    assert shown["household_counted_income"] == "¥700.00"
    assert shown["medical_deduction"] == "¥200.00"
    assert shown["per_capita_income"] == "¥233.33（¥700.00 ÷ 3）"
    assert shown["dibao_gap"] == "¥1,760.00（¥820.00 × 3 − ¥700.00）"
    assert shown["dibao_amount"] == "¥1,924.00"
    assert shown["assistance_class"] == "最低生活保障"
    assert [line.value for line in result.trace if line.variable == "dibao_addon"] == ["¥82.00", "¥82.00"]
    first = next(line for line in result.trace if line.variable == "counted_income")
    assert first.label_zh == "成员1（46周岁，有劳动能力）计入月收入"
    assert first.value == "¥900.00（工资性收入 ¥1,000.00）"
    assert first.value_en == "¥900.00 (wages ¥1,000.00)"
    assert first.parameters[0][0] == "income.wage_disregard"
    assert first.parameters[0][3] == "¥100.00"
    standard_line = result.trace[0]
    assert standard_line.parameters == (("dibao.standard.urban", "城市低保标准", "Urban dibao standard", "¥820.00"),)


def test_tekun_hand_computed() -> None:
    # 1.3 × 820 = 1,066 + care (partly dependent) 300 = 1,366; the pension of 200 is below the standard
    household = Household(area="urban", members=(person(date(1950, 3, 1), ("transfer", "200"), care_need="partial"),))
    result = determine(household, ON)
    assert result.assistance_class == "tekun"
    assert result.monthly_amount == D("1366.00")
    assert lines(result)["tekun_member_amount"] == "¥1,366.00"
    assert lines(result)["tekun_eligible"] == "是"


def test_tekun_refused_with_an_able_supporter_falls_to_dibao() -> None:
    household = Household(
        area="urban", members=(person(date(1950, 3, 1), ("transfer", "200")),), has_able_supporter=True
    )
    result = determine(household, ON)
    assert result.assistance_class == "dibao"
    assert result.monthly_amount == D("702.00")  # 820 − 200 + 82 (aged 76)
    assert lines(result)["tekun_eligible"] == "否"


def test_edge_hand_computed() -> None:
    # (1,100 − 100) + (900 − 100) = 1,800; 900 per person: not below 820, below 1.5 × 820 = 1,230
    household = Household(
        area="urban",
        members=(person(date(1986, 1, 1), ("wage", "1100")), person(date(1987, 1, 1), ("wage", "900"))),
    )
    result = determine(household, ON)
    assert result.assistance_class == "edge"
    assert result.monthly_amount == D("0.00")
    assert result.per_capita_income == D("900.00")
    assert lines(result)["dibao_eligible"] == "否"
    assert lines(result)["edge_eligible"] == "是"


def test_rigid_hand_computed() -> None:
    # 1,300 + 1,300 = 2,600 (1,300 each: above the edge line 1,230); − medical 500 = 2,100 (1,050 each)
    members = (person(date(1986, 1, 1), ("wage", "1400")), person(date(1987, 1, 1), ("wage", "1400")))
    with_costs = determine(Household(area="urban", members=members, medical_costs=D("500")), ON)
    assert with_costs.assistance_class == "rigid"
    assert with_costs.monthly_amount == D("0.00")
    assert with_costs.per_capita_income == D("1050.00")
    assert lines(with_costs)["rigid_eligible"] == "是"
    without = determine(Household(area="urban", members=members), ON)
    assert without.assistance_class == "none"
    assert lines(without)["assistance_class"] == "不符合救助条件"
    assert lines(without)["edge_eligible"] == "否"


def test_property_refuses_and_the_trace_says_why() -> None:
    household = Household(area="urban", members=dibao_family().members, deposits=D("60000"))
    result = determine(household, ON)
    assert result.assistance_class == "none"
    assert lines(result)["deposits_ok"] == "否"
    deposit_line = next(line for line in result.trace if line.variable == "deposits_ok")
    assert deposit_line.label_zh == "存款 ¥60,000.00 不超过限额 ¥59,040.00"  # 24 × 820 × 3


def test_minimum_amount() -> None:
    household = Household(area="urban", members=(person(date(1986, 1, 1), ("wage", "900")),))
    result = determine(household, ON)
    assert result.assistance_class == "dibao"
    assert result.monthly_amount == D("30.00")  # the gap is 20.00


def test_rural_standard_reaches_the_urban_one_in_2023() -> None:
    household = Household(area="rural", members=(person(date(1986, 1, 1), ("wage", "750")),))
    before = determine(household, date(2022, 12, 31))
    after = determine(household, date(2023, 1, 1))
    assert before.standard == D("600.00") and before.assistance_class == "edge"
    assert after.standard == D("760.00") and after.assistance_class == "dibao"
    assert after.monthly_amount == D("110.00")
    assert parameter_value("dibao.standard.rural", date(2023, 1, 1)) == parameter_value(
        "dibao.standard.urban", date(2023, 1, 1)
    )


def test_single_person_dibao_is_an_option_off_by_default() -> None:
    household = Household(
        area="urban",
        members=(person(date(1986, 1, 1), ("wage", "1900")), person(date(1981, 1, 1), disability_level="1")),
    )
    assert determine(household, ON).assistance_class == "edge"
    switched_on = [Change("dibao.single_person.enabled", D("1"), date(2026, 1, 1))]
    result = determine(household, ON, switched_on)
    assert result.assistance_class == "dibao"
    assert result.members_covered_alone == 1
    assert result.monthly_amount == D("984.00")  # 820 + 20% of 820 for level 1
    assert lines(result)["single_person_amount"] == "¥984.00"


def test_a_city_change_applies_from_its_date() -> None:
    raised = [Change("dibao.standard.urban", D("900"), date(2026, 7, 1))]
    assert determine(dibao_family(), date(2026, 6, 30), raised).monthly_amount == D("1924.00")
    after = determine(dibao_family(), ON, raised)
    assert after.monthly_amount == D("2180.00")  # 900 × 3 − 700 + 90 + 90
    assert after.parameters_digest != determine(dibao_family(), ON).parameters_digest
    assert parameter_value("dibao.standard.urban", ON, raised) == D("900.00")
    assert parameter_value("dibao.standard.urban", date(2026, 6, 30), raised) == D("820.00")


def test_same_household_same_answer() -> None:
    first, second = determine(dibao_family(), ON), determine(dibao_family(), ON)
    assert first == second
    assert len(first.rules_version) == 64 and first.rules_version == rules_version()
    assert trace_from_json(first.trace_json()) == first.trace


def test_parameter_missing_before_any_value() -> None:
    with pytest.raises(ParameterMissing) as caught:
        determine(dibao_family(), date(2019, 12, 31))
    assert caught.value.on == date(2019, 12, 31)
    assert caught.value.name.split(".")[0] in (
        "dibao",
        "tekun",
        "edge",
        "income",
        "rigid",
        "property",
        "addon",
        "employment",
    )
    with pytest.raises(ParameterMissing):
        parameter_value("dibao.standard.urban", date(2019, 1, 1))
    with pytest.raises(ParameterMissing):
        parameter_value("no.such.parameter", ON)


def test_other_stages_parameters_are_there() -> None:
    expected = {
        "dibao.gradual_exit_months": D("6"),
        "review.interval_months.tekun": D("12"),
        "review.interval_months.dibao": D("12"),
        "review.interval_months.edge": D("6"),
        "review.interval_months.rigid": D("6"),
        "employment.working_age_min": D("16"),
        "employment.working_age_max_male": D("60"),
        "employment.working_age_max_female": D("55"),
        "notice.days": D("7"),
        "refusal.notice_working_days": D("3"),
    }
    for name, value in expected.items():
        assert parameter_value(name, ON) == value, name
    for name in ("temporary.limit_per_event", "temporary.limit_per_year", "temporary.street_first_limit"):
        assert parameter_value(name, ON) > 0
    assert parameter_value("temporary.events_per_year", ON) >= 1


def test_parameter_table_marks_examples_and_city_values() -> None:
    raised = [Change("dibao.standard.urban", D("900"), date(2026, 7, 1))]
    table = {row.name: row for row in parameter_table(ON, raised)}
    assert table["dibao.standard.urban"].set_by_city and not table["dibao.standard.urban"].example
    assert table["dibao.standard.rural"].example and not table["dibao.standard.rural"].set_by_city
    assert table["tekun.basic_factor"].minimum == D("1.3")
    assert table["notice.days"].example is False


def test_bad_facts_are_refused() -> None:
    with pytest.raises(ValueError):
        determine(Household(area="urban", members=()), ON)
    with pytest.raises(ValueError):
        determine(Household(area="urban", members=(person(date(1980, 1, 1), ("wage", "-1")),)), ON)


def test_determine_many_equals_determine() -> None:
    households = [
        dibao_family(),
        Household(area="urban", members=(person(date(1950, 3, 1), ("transfer", "200"), care_need="full"),)),
        Household(area="rural", members=(person(date(1986, 1, 1), ("wage", "750")),)),
    ]
    many = determine_many(households, ON, trace=True)
    assert many == [determine(h, ON) for h in households]
    untraced = determine_many(households, ON)
    assert [r.trace for r in untraced] == [(), (), ()]
    assert [r.monthly_amount for r in untraced] == [D("1924.00"), D("1966.00"), D("170.00")]
