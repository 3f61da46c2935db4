"""Rules with no database: the unified social credit code (GB 32100-2015, standards.md §4.2),
scoring against a sheet and grades, station coverage."""

from decimal import Decimal

import pytest

from linli.partners.domain import (
    DEFAULT_SHEET,
    coverage_rate,
    credit_check_char,
    credit_code_problem,
    criteria_from_data,
    grade_for,
    org_code_check_char,
    score_problems,
    sheet_problems,
    weighted_total,
)

# the two codes standards.md §4.2 verified by hand
VERIFIED = ["91350100M000100Y43", "91110000600037341L"]


def test_the_verified_examples_pass():
    for code in VERIFIED:
        assert credit_code_problem(code) is None


def test_check_character_worked_by_hand():
    # 9·1 + 1·3 + 1·9 + 1·27 + 6·20 + 3·8 + 7·24 + 3·10 + 4·30 + 1·28 = 538; 538 mod 31 = 11;
    # 31 − 11 = 20, and the 21st character of 0-9A-H J-N P-R T U W-Y is L
    assert credit_check_char("91110000600037341") == "L"
    assert credit_check_char("91350100M000100Y4") == "3"


def test_embedded_organisation_code_check_gb_11714():
    # 6·3 + 0·7 + 0·9 + 0·10 + 3·5 + 7·8 + 3·4 + 4·2 = 109; 11 − 109 mod 11 = 1
    assert org_code_check_char("60003734") == "1"


@pytest.mark.parametrize(
    ("code", "says"),
    [
        ("", "请填写"),
        ("91350100M000100Y4", "18位"),
        ("91350100M000100Y433", "18位"),
        ("91350100M000100Y44", "校验位"),  # one typo in the check character
        ("91350100M000100Y34", "校验位"),  # two characters swapped
        ("91350100M0001OOY43", "“O”"),  # letter O is never used
        ("91350100M000100I43", "“I”"),
        ("913501OOM000100Y43", "“O”"),
        ("B1350100M000100Y43", "登记管理部门"),  # B is not a registering department
        ("91A50100M000100Y43", "行政区划"),
        ("91350100m000100y43", "“m”"),  # lower case is normalised by the caller, refused here
    ],
)
def test_bad_codes_are_refused_with_the_reason(code, says):
    problem = credit_code_problem(code)
    assert problem is not None
    assert says in problem.zh
    assert problem.en


def test_any_registering_department_and_category_is_accepted():
    # 居委会 codes (prefix unverified, §4.2) and 2016's widened departments: no whitelist of pairs
    for first2 in ("54", "N2", "Y1", "A1", "71"):
        body = first2 + "210102" + "600037341"
        assert credit_code_problem(body + credit_check_char(body)) is None


def test_default_sheet_weights_and_grades():
    criteria = criteria_from_data(DEFAULT_SHEET["criteria"])
    assert sum(c.max_points for c in criteria) == 100
    assert sheet_problems(DEFAULT_SHEET["criteria"], DEFAULT_SHEET["thresholds"]) == []
    scores = {"basics": Decimal(18), "governance": Decimal(23), "performance": Decimal(33), "reputation": Decimal(19)}
    assert weighted_total(criteria, scores) == Decimal("93.0")
    thresholds = DEFAULT_SHEET["thresholds"]
    assert [grade_for(Decimal(t), thresholds) for t in ("90", "89.9", "80", "70", "60", "50", "49.9")] == [
        "5A",
        "4A",
        "4A",
        "3A",
        "2A",
        "1A",
        "",
    ]


def test_weights_change_the_total():
    criteria = criteria_from_data(
        [
            {"key": "a", "name": "甲", "max_points": 10, "weight": 3},
            {"key": "b", "name": "乙", "max_points": 10, "weight": 1},
        ]
    )
    # (3·10 + 1·0) / (3·10 + 1·10) · 100 = 75
    assert weighted_total(criteria, {"a": Decimal(10), "b": Decimal(0)}) == Decimal("75.0")


def test_score_problems_name_the_criterion():
    criteria = criteria_from_data(DEFAULT_SHEET["criteria"])
    problems = dict(score_problems(criteria, {"basics": Decimal(21), "governance": Decimal(-1), "nope": Decimal(1)}))
    assert "基础条件" in problems["basics"].zh and "0到20" in problems["basics"].zh
    assert "内部治理" in problems["governance"].zh
    assert problems["performance"].zh == "请为“工作绩效”打分"
    assert "nope" in problems
    assert (
        score_problems(
            criteria,
            {
                "basics": Decimal(20),
                "governance": Decimal(0),
                "performance": Decimal(35),
                "reputation": Decimal("19.5"),
            },
        )
        == []
    )


def test_sheet_problems():
    assert sheet_problems([], [["5A", 90]])
    assert sheet_problems([{"key": "a", "name": "甲", "max_points": 0}], [["5A", 90]])
    assert sheet_problems([{"key": "a", "name": "甲", "max_points": 5}] * 2, [["5A", 90]])
    assert sheet_problems([{"key": "a", "name": "甲", "max_points": 5}], [["5A", 90], ["5A", 80]])


def test_coverage_rate():
    assert coverage_rate(0, 0) is None
    assert coverage_rate(2, 3) == Decimal("66.7")
    assert coverage_rate(190, 190) == Decimal("100.0")
