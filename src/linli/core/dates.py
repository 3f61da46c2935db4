"""Calendar arithmetic the standard library leaves out."""

from __future__ import annotations

from datetime import date


def years_before(day: date, years: int) -> date:
    """The same day `years` years earlier; 29 February falls back to the 28th in a common year
    (`date.replace` would raise and turn a form into a 500 one day in four years)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)
