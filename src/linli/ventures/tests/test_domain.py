"""The review's arithmetic and the call's workflow, hand-checked, with no database."""

from datetime import date
from decimal import Decimal

import pytest

from linli.ventures.domain import (
    TRANSITIONS,
    BudgetLine,
    CallState,
    Criterion,
    Grade,
    budget_problems,
    criteria_problem,
    deadline_passed,
    grade_for,
    mean_total,
    ranking,
    score_problem,
    transitions_from,
    weighted_total,
)

CRITERIA = [Criterion("0", "需求分析", 30, 10), Criterion("1", "项目设计", 40, 20), Criterion("2", "预算", 30, 5)]


def test_weights_must_sum_to_100():
    assert criteria_problem(CRITERIA) is None
    problem = criteria_problem([Criterion("0", "a", 30, 10), Criterion("1", "b", 60, 10)])
    assert problem is not None and "90" in problem.zh and "90" in problem.en
    assert criteria_problem([]) is not None
    assert "满分" in criteria_problem([Criterion("0", "a", 100, 0)]).zh
    assert "权重" in criteria_problem([Criterion("0", "a", 0, 10), Criterion("1", "b", 100, 10)]).zh


def test_weighted_total_hand_checked():
    # 8/10×30 + 15/20×40 + 4/5×30 = 24 + 30 + 24
    assert weighted_total(CRITERIA, {"0": 8, "1": 15, "2": 4}) == Decimal("78.00")
    assert weighted_total(CRITERIA, {"0": 10, "1": 20, "2": 5}) == Decimal("100.00")
    assert weighted_total(CRITERIA, {"0": 0, "1": 0, "2": 0}) == Decimal("0.00")
    # 5/10×30 + 10/20×40 + 3/5×30 = 15 + 20 + 18
    assert weighted_total(CRITERIA, {"0": 5, "1": 10, "2": 3}) == Decimal("53.00")
    thirds = [Criterion("0", "a", 33, 3), Criterion("1", "b", 33, 3), Criterion("2", "c", 34, 3)]
    # 11 + 11 + 11.333… = 33.33
    assert weighted_total(thirds, {"0": 1, "1": 1, "2": 1}) == Decimal("33.33")


def test_mean_and_ranking():
    assert mean_total([Decimal("78"), Decimal("100")]) == Decimal("89.00")
    assert mean_total([Decimal("100"), Decimal("78"), Decimal("53")]) == Decimal("77.00")
    assert mean_total([Decimal("78"), Decimal("53.01")]) == Decimal("65.51")  # 65.505 half up
    assert mean_total([]) is None
    rows = ranking({"a": Decimal("70"), "b": Decimal("89"), "c": Decimal("70"), "d": None, "e": Decimal("60")})
    assert rows == [
        (1, "b", Decimal("89")),
        (2, "a", Decimal("70")),
        (2, "c", Decimal("70")),
        (4, "e", Decimal("60")),
        (0, "d", None),
    ]


@pytest.mark.parametrize("score", [-1, 11, 3.5, "7", None, True])
def test_score_out_of_range_names_the_criterion(score):
    problem = score_problem(CRITERIA[0], score)
    assert problem is not None and "需求分析" in problem.zh and "0 到 10" in problem.zh


def test_score_in_range():
    assert score_problem(CRITERIA[0], 0) is None
    assert score_problem(CRITERIA[0], 10) is None


def test_budget_over_the_cap_names_the_line():
    lines = [
        BudgetLine("交通", Decimal("20000")),
        BudgetLine("物料", Decimal("9000")),
        BudgetLine("场地", Decimal("2000")),
    ]
    problems = budget_problems(lines, Decimal("30000"))
    assert len(problems) == 1
    index, message = problems[0]
    assert index == 2 and "第 3 行" in message.zh and "场地" in message.zh and "31000" in message.zh
    assert budget_problems(lines[:2], Decimal("30000")) == []
    assert budget_problems([BudgetLine("", Decimal("1"))], Decimal("10"))[0][0] == 0
    assert "两位小数" in budget_problems([BudgetLine("x", Decimal("1.005"))], Decimal("10"))[0][1].zh
    assert budget_problems([], Decimal("10"))


def test_transitions_table():
    assert {t.action for t in transitions_from(CallState.DRAFT)} == {"open", "cancel"}
    assert {t.action for t in transitions_from(CallState.OPEN)} == {"review", "cancel"}
    assert [t.action for t in transitions_from(CallState.REVIEWING)] == ["decide"]
    assert [t.action for t in transitions_from(CallState.DECIDED)] == ["close"]
    assert transitions_from(CallState.CLOSED) == []
    assert TRANSITIONS["cancel"].needs_reason and not TRANSITIONS["open"].needs_reason
    # every state but the first is reachable and closed is reached from everywhere it may be
    targets = {t.target for t in TRANSITIONS.values()}
    assert targets == set(CallState.values) - {CallState.DRAFT}


def test_deadline_counts_calendar_days():
    deadline = date(2026, 12, 12)  # a Saturday: still the deadline, not the next working day
    assert not deadline_passed(deadline, date(2026, 12, 12))
    assert deadline_passed(deadline, date(2026, 12, 13))


def test_grades():
    assert [grade_for(s) for s in (100, 90, 89, 80, 79, 60, 59, 0)] == [
        Grade.EXCELLENT,
        Grade.EXCELLENT,
        Grade.GOOD,
        Grade.GOOD,
        Grade.PASS,
        Grade.PASS,
        Grade.FAIL,
        Grade.FAIL,
    ]
