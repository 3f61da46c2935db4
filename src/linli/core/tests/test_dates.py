from datetime import date

import pytest

from linli.core.dates import years_before


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (date(2026, 12, 8), 1, date(2025, 12, 8)),
        (date(2026, 12, 8), 18, date(2008, 12, 8)),
        (date(2028, 2, 29), 1, date(2027, 2, 28)),  # a common year has no 29 February
        (date(2028, 2, 29), 4, date(2024, 2, 29)),  # a leap year keeps it
    ],
)
def test_years_before_keeps_the_day_and_falls_back_from_29_february(day, years, expected):
    assert years_before(day, years) == expected
