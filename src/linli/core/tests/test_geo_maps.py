"""Map geometry with no database: view boxes and zooms from query parameters, Douglas–Peucker
simplification, the convex hull the demo's outlines are drawn with."""

import math

import numpy as np
import pytest

from linli.core.errors import DomainError
from linli.core.geo import (
    METRES_PER_DEGREE,
    Box,
    box_parse,
    convex_hull,
    grow,
    metres_per_pixel,
    point_parse,
    simplify,
    zoom_parse,
)

LAT = 41.8
EAST = 1 / (METRES_PER_DEGREE * math.cos(math.radians(LAT)))  # one metre east, in degrees
NORTH = 1 / METRES_PER_DEGREE  # one metre north


def test_a_box_is_south_west_north_east():
    assert box_parse("41.7,123.3,41.9,123.5") == Box(41.7, 123.3, 41.9, 123.5)
    assert box_parse(" 41.7, 123.3 ,41.9,123.5").centre_lat() == pytest.approx(41.8)


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        ("", "四个数", "four numbers"),
        ("41.7,123.3,41.9", "四个数", "four numbers"),
        ("41.7,abc,41.9,123.5", "非数字", "not a number"),
        ("41.7,nan,41.9,123.5", "非数字", "not a number"),
        ("41.9,123.3,41.7,123.5", "南应小于北", "south must be below north"),
        ("41.7,123.5,41.9,123.3", "南应小于北", "west below east"),
        ("-95,123.3,41.9,123.5", "范围内", "±90/±180"),
        ("20,100,41.9,123.5", "范围太大", "too large"),
    ],
)
def test_a_bad_box_is_a_400_naming_the_parameter_in_both_languages(text, zh, en):
    with pytest.raises(DomainError) as caught:
        box_parse(text)
    error = caught.value
    assert error.status == 400 and [f.field for f in error.fields] == ["bbox"]
    assert "bbox" in error.message.zh and zh in error.message.zh
    assert "bbox" in error.message.en and en in error.message.en


@pytest.mark.parametrize("text", ["", "x", "1.5", "-1", "21", None])
def test_a_bad_zoom_is_a_400_naming_it(text):
    with pytest.raises(DomainError) as caught:
        zoom_parse(text)
    assert caught.value.status == 400 and caught.value.fields[0].field == "zoom"
    assert "0–20" in caught.value.message.zh and "0 to 20" in caught.value.message.en


def test_zoom_and_point_parse():
    assert zoom_parse("0") == 0 and zoom_parse(" 20 ") == 20
    assert point_parse("41.8", "123.4") == (41.8, 123.4)
    with pytest.raises(DomainError) as caught:
        point_parse("41.8", "east")
    assert caught.value.fields[0].field == "lng" and "lng" in caught.value.message.en
    with pytest.raises(DomainError) as caught:
        point_parse("91", "123")
    assert caught.value.fields[0].field == "lat"


def test_a_pixel_halves_with_each_zoom_and_shrinks_towards_the_poles():
    assert metres_per_pixel(0, 0) == pytest.approx(156_543.034)
    assert metres_per_pixel(16, LAT) == pytest.approx(metres_per_pixel(15, LAT) / 2)
    assert metres_per_pixel(16, 60) == pytest.approx(metres_per_pixel(16, 0) / 2)


def line(*metres):
    """(lat, lng) points from (east, north) offsets in metres."""
    return np.array([(LAT + n * NORTH, 123.4 + e * EAST) for e, n in metres])


def test_douglas_peucker_keeps_ends_and_points_beyond_the_tolerance():
    # a straight street with small wobbles (≤ 2 m) and one corner 30 m out
    street = line((0, 0), (10, 1), (20, -2), (30, 0), (40, 30), (50, 0), (60, 1), (70, 0))
    kept = simplify(street, 5)
    assert kept.tolist() == street[[0, 3, 4, 5, 7]].tolist()
    # a tolerance larger than the corner: only the ends remain
    assert simplify(street, 40).tolist() == street[[0, 7]].tolist()
    # tolerance 0 or two points: unchanged
    assert simplify(street, 0).tolist() == street.tolist()
    assert simplify(street[:2], 100).tolist() == street[:2].tolist()


def test_a_simplified_ring_stays_closed():
    ring = line((0, 0), (50, 1), (100, 0), (100, 100), (0, 100), (0, 0))
    kept = simplify(ring, 5)
    assert kept[0].tolist() == kept[-1].tolist()
    assert len(kept) == 5  # the 1 m bump on the south side goes, the four corners stay


def test_convex_hull_encloses_the_points_counter_clockwise():
    points = line((0, 0), (100, 0), (100, 100), (0, 100), (50, 50), (20, 70))
    hull = convex_hull(points)
    assert len(hull) == 5 and hull[0].tolist() == hull[-1].tolist()
    corners = {tuple(p) for p in points[:4].tolist()}
    assert {tuple(p) for p in hull[:-1].tolist()} == corners
    # counter-clockwise in (lng, lat): a positive shoelace area
    x, y = hull[:, 1], hull[:, 0]
    assert np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]) > 0
    assert len(convex_hull(points[:2])) == 0  # two points make no area


def test_grow_moves_each_corner_away_from_the_centre():
    hull = convex_hull(line((0, 0), (100, 0), (100, 100), (0, 100)))
    grown = grow(hull, 40)
    for before, after in zip(hull[:-1], grown[:-1], strict=True):
        de = (after[1] - before[1]) / EAST
        dn = (after[0] - before[0]) / NORTH
        assert math.hypot(de, dn) == pytest.approx(40, abs=0.01)  # cos(lat) taken at the centre
    assert grown[0].tolist() == grown[-1].tolist()
