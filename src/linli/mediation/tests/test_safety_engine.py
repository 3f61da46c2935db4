"""The four-zero engine on hand-checked cases (no database)."""

import datetime as dt
from decimal import Decimal

from linli.mediation.domain.four_zero import (
    MonthCounts,
    definition_parse,
    four_zero_definition,
    four_zero_evaluate,
    is_safety_category,
    month_end,
    month_parse,
    months_back,
    shelter_per_resident,
)

DEF = four_zero_definition()


def counts(**changes) -> MonthCounts:
    values = {"petitions": 0, "accidents": 0, "cases": 0, "drills": 1, "shelter_m2": None, "residents": 0}
    return MonthCounts(**(values | changes))


def test_the_shipped_definitions_are_read():
    assert (DEF.petitions.zh, DEF.accidents.zh, DEF.cases.zh, DEF.readiness.zh) == (
        "零上访",
        "零事故",
        "零案件",
        "应急有备",
    )
    assert (DEF.petitions.max, DEF.accidents.max, DEF.cases.max) == (0, 0, 0)
    assert DEF.safety_categories == ("E0401", "E0403", "E0405")
    assert (DEF.drills_min, DEF.shelter_m2_min) == (1, Decimal("1.5"))


def test_all_zero_with_a_drill_is_four_zero():
    marks = four_zero_evaluate(counts(), DEF)
    assert (marks.petitions, marks.accidents, marks.cases, marks.readiness) == ("met", "met", "met", "met")
    assert marks.four_zero is True
    assert marks.missed == []
    assert marks.readiness_drills_only is True


def test_one_petition_misses_that_zero_only():
    marks = four_zero_evaluate(counts(petitions=1), DEF)
    assert (marks.petitions, marks.accidents, marks.cases, marks.readiness) == ("missed", "met", "met", "met")
    assert marks.four_zero is False
    assert marks.missed == ["petitions"]


def test_no_officer_is_no_records_not_green():
    marks = four_zero_evaluate(counts(cases=None), DEF)
    assert marks.cases == "no_data"
    assert marks.four_zero is False
    assert marks.missed == []


def test_no_drill_this_year_misses_readiness():
    marks = four_zero_evaluate(counts(drills=0), DEF)
    assert marks.readiness == "missed"
    assert marks.missed == ["readiness"]


def test_shelter_below_the_minimum_misses_readiness_despite_drills():
    # 1,400 m² for 1,000 residents = 1.4 m² each < 1.5
    marks = four_zero_evaluate(counts(drills=2, shelter_m2=Decimal("1400"), residents=1000), DEF)
    assert marks.shelter_m2_per_resident == Decimal("1.400")
    assert marks.readiness == "missed"
    assert marks.readiness_drills_only is False


def test_shelter_at_the_minimum_is_enough():
    marks = four_zero_evaluate(counts(drills=1, shelter_m2=Decimal("1500"), residents=1000), DEF)
    assert marks.shelter_m2_per_resident == Decimal("1.500")
    assert marks.readiness == "met"
    assert marks.four_zero is True


def test_unknown_area_or_no_residents_rests_on_drills():
    assert shelter_per_resident(None, 100) is None
    assert shelter_per_resident(Decimal("500"), 0) is None
    assert shelter_per_resident(Decimal("1000"), 3) == Decimal("333.333")
    assert four_zero_evaluate(counts(shelter_m2=Decimal("10"), residents=0), DEF).readiness_drills_only is True


def test_a_looser_definition_allows_one_accident():
    data = {
        "petitions": {"zh": "a", "en": "a", "counts": "x"},
        "accidents": {"zh": "b", "en": "b", "counts": "x", "max": 1, "safety_categories": ["E04"]},
        "cases": {"zh": "c", "en": "c", "counts": "x"},
        "readiness": {"zh": "d", "en": "d", "counts": "x", "drills_min": 2, "shelter_m2_min": 1},
    }
    loose = definition_parse(data)
    assert four_zero_evaluate(counts(accidents=1, drills=2), loose).four_zero is True
    assert four_zero_evaluate(counts(accidents=2, drills=2), loose).missed == ["accidents"]
    assert four_zero_evaluate(counts(drills=1), loose).missed == ["readiness"]
    assert is_safety_category("E0409", loose) is True
    assert is_safety_category("E0409", DEF) is False
    assert is_safety_category("E0403", DEF) is True


def test_months():
    assert month_parse("2026-02") == dt.date(2026, 2, 1)
    assert month_parse("2026-13") is None
    assert month_parse("Feb") is None
    assert month_end(dt.date(2028, 2, 1)) == dt.date(2028, 2, 29)
    assert months_back(dt.date(2026, 2, 1), 3) == [dt.date(2025, 12, 1), dt.date(2026, 1, 1), dt.date(2026, 2, 1)]
