from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from linli.volunteers.domain import (
    STAR_THRESHOLDS_HOURS,
    distance_m,
    first_overlap,
    next_star_minutes,
    overlaps,
    served_minutes,
    star_level,
)

T0 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def t(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_star_levels_at_the_thresholds():
    assert STAR_THRESHOLDS_HOURS == (100, 300, 600, 1000, 1500)
    assert star_level(0) == 0
    assert star_level(100 * 60 - 1) == 0
    assert star_level(100 * 60) == 1
    assert star_level(299 * 60 + 59) == 1
    assert star_level(300 * 60) == 2
    assert star_level(600 * 60) == 3
    assert star_level(1000 * 60) == 4
    assert star_level(1500 * 60) == 5
    assert star_level(10_000 * 60) == 5
    assert star_level(-30) == 0  # corrections can never make stars negative


def test_next_star():
    assert next_star_minutes(0) == 6000
    assert next_star_minutes(6000) == 12000
    assert next_star_minutes(90_000) is None


def test_served_minutes_hand_checked():
    # in at 8:40 (before the 9:00 start), out at 10:45 (after 10:30 end): 90 minutes counted
    assert served_minutes(t(-20), t(105), t(0), t(90)) == 90
    # in at 9:10, out at 10:00: 50
    assert served_minutes(t(10), t(60), t(0), t(90)) == 50
    # seconds are dropped: 9:00:00 to 9:00:59 is 0 minutes
    assert served_minutes(t(0), t(0) + timedelta(seconds=59), t(0), t(90)) == 0
    # entirely outside the window
    assert served_minutes(t(100), t(120), t(0), t(90)) == 0
    # out before in
    assert served_minutes(t(50), t(40), t(0), t(90)) == 0


def test_overlaps_half_open():
    assert overlaps(t(0), t(60), t(30), t(90))
    assert not overlaps(t(0), t(60), t(60), t(90))  # touching ends
    assert overlaps(t(10), t(20), t(0), t(90))  # contained
    assert first_overlap(t(0), t(60), [(t(70), t(80)), (t(50), t(55))]) == (t(50), t(55))
    assert first_overlap(t(0), t(60), []) is None


def test_distance_hand_checked():
    # one thousandth of a degree of latitude ≈ 111 m
    assert 110 < distance_m(41.748, 123.43, 41.749, 123.43) < 112
    assert distance_m(41.748, 123.43, 41.748, 123.43) == 0


minutes = st.integers(min_value=-600, max_value=2000)


@given(minutes, minutes, minutes, st.integers(min_value=1, max_value=600))
def test_served_minutes_never_exceeds_the_window_or_the_presence(a, b, w0, wlen):
    result = served_minutes(t(a), t(b), t(w0), t(w0 + wlen))
    assert 0 <= result <= wlen
    assert result <= max(b - a, 0)


@given(st.integers(min_value=0, max_value=200_000), st.integers(min_value=0, max_value=200_000))
def test_star_level_monotonic(a, b):
    lo, hi = sorted((a, b))
    assert 0 <= star_level(lo) <= star_level(hi) <= 5


@given(minutes, st.integers(1, 300), minutes, st.integers(1, 300))
def test_overlap_symmetric(a, alen, b, blen):
    assert overlaps(t(a), t(a + alen), t(b), t(b + blen)) == overlaps(t(b), t(b + blen), t(a), t(a + alen))
