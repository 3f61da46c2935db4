"""Entitlements' rules without the database: conditions (any met → best share), the cap, own
cost; the list item's checks; the assessment form's score, level and missing answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from linli.care.domain.entitlements import (
    Condition,
    ItemTerms,
    PersonFacts,
    add_months,
    assessment_form,
    assessment_score,
    best_share,
    entitlement_decide,
    item_values_check,
    level_for_score,
    shipped_list,
    valid_until,
)
from linli.care.tests.entitlements_support import answers_for

KINDS = frozenset({"tekun", "dibao", "elderly_alone"})
TERMS = ItemTerms(
    code="ZJ01",
    unit_price=Decimal("60.00"),
    monthly_cap=4,
    conditions=(
        Condition(100, min_age=60, care_kinds=frozenset({"tekun", "dibao"})),
        Condition(50, min_age=80),
        Condition(70, min_age=60, min_level=2),
        Condition(60, min_age=60, disability_levels=frozenset({"1", "2"})),
    ),
    own_cost_allowed=True,
)


def test_the_best_share_of_the_conditions_met_applies():
    assert best_share(TERMS, PersonFacts(age=59, care_kinds=frozenset({"tekun"}))) is None
    assert best_share(TERMS, PersonFacts(age=65)) is None
    assert best_share(TERMS, PersonFacts(age=82)) == 50
    assert best_share(TERMS, PersonFacts(age=82, level=2)) == 70
    assert best_share(TERMS, PersonFacts(age=82, level=1)) == 50
    assert best_share(TERMS, PersonFacts(age=70, disability="2")) == 60
    assert best_share(TERMS, PersonFacts(age=70, disability="3")) is None
    assert best_share(TERMS, PersonFacts(age=85, care_kinds=frozenset({"dibao"}), level=4)) == 100


def test_within_the_cap_the_share_beyond_it_own_cost():
    answer = entitlement_decide(TERMS, PersonFacts(age=82, level=2), used=3, quantity=2)
    assert answer.allowed
    assert (answer.subsidised_units, answer.own_cost_units) == (1, 1)
    assert answer.government_pays == Decimal("42.00")
    assert answer.resident_pays == Decimal("78.00")


def test_beyond_the_cap_without_own_cost_is_refused_with_the_reason():
    terms = ItemTerms(code="TF01", unit_price=Decimal("30.00"), monthly_cap=4, conditions=(Condition(100, min_age=80),))
    answer = entitlement_decide(terms, PersonFacts(age=85), used=4)
    assert not answer.allowed
    assert answer.reason.zh == "超出每月上限 4 次（本月已下单 4 次）"
    refused = entitlement_decide(terms, PersonFacts(age=70), used=0)
    assert not refused.allowed
    assert refused.reason.en == "The person does not qualify for this item"


def test_not_entitled_may_buy_at_own_cost_where_allowed():
    answer = entitlement_decide(TERMS, PersonFacts(age=65), used=0, quantity=1)
    assert answer.allowed
    assert (answer.subsidy_share, answer.own_cost_units, answer.resident_pays) == (0, 1, Decimal("60.00"))


def test_the_shipped_list_is_marked_an_example_and_every_item_checks():
    data = shipped_list()
    assert data["note"] == "示例清单"
    assert data["effective_from"] == dt.date(2023, 1, 1)
    assert 15 <= len(data["items"]) <= 20
    for raw in data["items"]:
        problems, values = item_values_check(raw, care_kinds=KINDS | {"empty_nest"})
        assert problems == [], raw["code"]
        assert values.code == raw["code"]
    assert {"meals", "daily_care", "health", "visits", "companionship", "smart_care", "mutual_aid", "culture"} == {
        i["category"] for i in data["items"]
    }
    assert [i["code"] for i in data["items"] if i.get("for_beds")] == ["CW01"]


def test_an_item_names_every_bad_field():
    raw = {
        "code": "zc-1",
        "name": "",
        "name_en": "Meals",
        "category": "nope",
        "unit": "次",
        "unit_en": "visit",
        "unit_price": "-1",
        "duration_minutes": "abc",
        "monthly_cap": "200",
        "conditions": [
            {"subsidy_share": "120", "min_age": "60"},
            {"subsidy_share": "50"},
            {"subsidy_share": "50", "care_kinds": ["ghost"], "min_level": "9"},
        ],
    }
    problems, values = item_values_check(raw, care_kinds=KINDS)
    assert values is None
    assert [p.field for p in problems] == [
        "code",
        "name",
        "category",
        "unit_price",
        "duration_minutes",
        "monthly_cap",
        "conditions.1.subsidy_share",
        "conditions.2.min_age",
        "conditions.3.care_kinds",
        "conditions.3.min_level",
    ]
    assert problems[-4].message.zh == "第 1 条：补贴比例应为 0–100 的整数"


def test_an_item_with_no_condition_must_be_open_at_own_cost():
    raw = {
        "code": "X1",
        "name": "测试",
        "name_en": "Test",
        "category": "meals",
        "unit": "次",
        "unit_en": "visit",
        "unit_price": "5",
    }
    problems, _values = item_values_check(raw, care_kinds=KINDS)
    assert [p.field for p in problems] == ["conditions"]
    problems, values = item_values_check(raw | {"own_cost_allowed": True}, care_kinds=KINDS)
    assert problems == [] and values.unit_price == Decimal("5")


def test_the_form_totals_90_in_four_indicators():
    form = assessment_form()
    assert form.top == 90
    assert [i.name for i in form.indicators] == ["自理能力", "基础运动能力", "精神状态", "感知觉与社会参与"]
    assert [i.top for i in form.indicators] == [32, 16, 24, 18]
    assert form.valid_months == 12


def test_levels_follow_the_bands():
    form = assessment_form()
    bands = {90: 0, 89: 1, 66: 1, 65: 2, 46: 2, 45: 3, 30: 3, 29: 4, 0: 4}
    assert {score: level_for_score(form, score) for score in bands} == bands


def test_score_from_answers_and_every_missing_answer_named():
    form = assessment_form()
    problems, result = assessment_score(form, answers_for(57))
    assert problems == []
    assert (result.score, result.level) == (57, 2)
    assert sum(result.by_indicator.values()) == 57
    partial = answers_for(90)
    del partial["bathing"]
    del partial["stairs"]
    partial["memory"] = 7
    problems, result = assessment_score(form, partial)
    assert result is None
    assert [(p.field, p.message.zh) for p in problems] == [
        ("bathing", "请回答“洗澡”"),
        ("stairs", "请回答“上下楼梯”"),
        ("memory", "“记忆”的答案无效"),
    ]


def test_valid_for_twelve_months_less_a_day():
    form = assessment_form()
    assert valid_until(form, dt.date(2026, 3, 15)) == dt.date(2027, 3, 14)
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
