"""Coordinates. Everything is stored in WGS-84; Chinese map pickers (AMap, Tencent, WeChat)
hand out GCJ-02, which is WGS-84 shifted by a published, non-linear offset of up to ~700 m.
`gcj02_to_wgs84` undoes it by fixed-point iteration of the forward formula (error < 1 cm)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from linli.core.errors import DomainError, FieldError, Msg

_A = 6378245.0
_EE = 0.00669342162296594323


def _outside_china(lat: float, lng: float) -> bool:
    return not (73.66 < lng < 135.05 and 3.86 < lat < 53.55)


def _transform_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lng(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    """The forward (published) transform; identity outside China."""
    if _outside_china(lat, lng):
        return lat, lng
    dlat = _transform_lat(lng - 105.0, lat - 35.0)
    dlng = _transform_lng(lng - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(radlat) ** 2
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * math.pi)
    dlng = (dlng * 180.0) / (_A / sqrtmagic * math.cos(radlat) * math.pi)
    return lat + dlat, lng + dlng


def gcj02_to_wgs84(lat: float, lng: float) -> tuple[float, float]:
    """Invert the forward transform by iteration; converges to sub-centimetre in a few steps."""
    wlat, wlng = lat, lng
    for _ in range(8):
        glat, glng = wgs84_to_gcj02(wlat, wlng)
        dlat, dlng = glat - lat, glng - lng
        wlat, wlng = wlat - dlat, wlng - dlng
        if abs(dlat) < 1e-9 and abs(dlng) < 1e-9:
            break
    return wlat, wlng


def valid_lat_lng(lat: float, lng: float) -> bool:
    return -90.0 <= lat <= 90.0 and -180.0 <= lng <= 180.0 and not (math.isnan(lat) or math.isnan(lng))


# ---------------------------------------------------------------- map geometry (no Django models)
# What the base map needs: a parsed view box and zoom, line simplification for that zoom, and the
# convex hull the demo draws approximate community cells with. Metres are local equirectangular
# metres (fine within a city); points are (lat, lng) rows.

METRES_PER_DEGREE = 111_320.0
MAX_ZOOM = 20
MAX_BOX_DEGREES = 12.0  # a view wider than this is not a city map: refused, not computed


@dataclass(frozen=True)
class Box:
    """A WGS-84 view box: south, west, north, east."""

    south: float
    west: float
    north: float
    east: float

    def centre_lat(self) -> float:
        return (self.south + self.north) / 2


def _bad(field: str, zh: str, en: str) -> DomainError:
    return DomainError(
        Msg(f"参数 {field} 有误：{zh}", f"The parameter {field} is invalid: {en}"),
        code="invalid_parameter",
        fields=[FieldError(field, Msg(zh, en))],
    )


def box_parse(text: str | None, *, field: str = "bbox") -> Box:
    """ "south,west,north,east" in degrees → Box; anything else is a 400 naming the parameter."""
    parts = (text or "").split(",")
    if len(parts) != 4:
        raise _bad(field, "应为 南,西,北,东 四个数（度）", "expected four numbers: south,west,north,east (degrees)")
    try:
        south, west, north, east = (float(p) for p in parts)
    except ValueError:
        raise _bad(field, "包含非数字", "contains something that is not a number") from None
    if not all(math.isfinite(v) for v in (south, west, north, east)):
        raise _bad(field, "包含非数字", "contains something that is not a number")
    if not (-90 <= south < north <= 90 and -180 <= west < east <= 180):
        raise _bad(
            field,
            "南应小于北、西应小于东，且在经纬度范围内",
            "south must be below north and west below east, within ±90/±180",
        )
    if north - south > MAX_BOX_DEGREES or east - west > MAX_BOX_DEGREES:
        raise _bad(
            field, f"范围太大（每边最多 {MAX_BOX_DEGREES:g} 度）", f"too large (at most {MAX_BOX_DEGREES:g}° a side)"
        )
    return Box(south, west, north, east)


def zoom_parse(text: str | int | None, *, field: str = "zoom") -> int:
    """A map zoom level, a whole number 0–20; anything else is a 400 naming the parameter."""
    try:
        zoom = int(str(text).strip())
    except ValueError:
        raise _bad(field, f"应为 0–{MAX_ZOOM} 的整数", f"must be a whole number from 0 to {MAX_ZOOM}") from None
    if not 0 <= zoom <= MAX_ZOOM:
        raise _bad(field, f"应为 0–{MAX_ZOOM} 的整数", f"must be a whole number from 0 to {MAX_ZOOM}")
    return zoom


def metres_per_pixel(zoom: int, lat: float) -> float:
    """Ground size of one screen pixel of a web-Mercator map (256-px tiles) at this zoom and latitude."""
    return 156_543.034 * math.cos(math.radians(lat)) / (2**zoom)


def simplify(points: np.ndarray, tolerance_m: float) -> np.ndarray:
    """Douglas–Peucker: the fewest of a line's (lat, lng) points that keep every dropped point
    within `tolerance_m` of the simplified line. Ends are always kept (so a closed ring stays
    closed). Iterative, so a long line cannot exhaust the stack."""
    points = np.asarray(points, float)
    n = len(points)
    if n <= 2 or tolerance_m <= 0:
        return points
    k = METRES_PER_DEGREE
    scale = np.array([k * math.cos(math.radians(float(points[0, 0]))), k])
    xy = points[:, ::-1] * scale  # (east, north) metres; cos(lat) of the first point is fine within a city
    keep = np.zeros(n, dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        a, b = xy[first], xy[last]
        inner = xy[first + 1 : last]
        ab = b - a
        length = math.hypot(*ab)
        if length == 0:  # a closed ring's ends coincide: distance to the point itself
            distances = np.hypot(*(inner - a).T)
        else:
            distances = np.abs(ab[0] * (inner[:, 1] - a[1]) - ab[1] * (inner[:, 0] - a[0])) / length
        index = int(np.argmax(distances))
        if distances[index] > tolerance_m:
            split = first + 1 + index
            keep[split] = True
            stack.append((first, split))
            stack.append((split, last))
    return points[keep]


def convex_hull(points: np.ndarray | Sequence[tuple[float, float]]) -> np.ndarray:
    """The convex hull of (lat, lng) points as a closed ring, counter-clockwise in (lng, lat)
    (GeoJSON's rule for outer rings); fewer than three distinct points give an empty array."""
    unique = sorted({(float(lng), float(lat)) for lat, lng in np.asarray(points, float)})
    if len(unique) < 3:
        return np.empty((0, 2))

    def cross(o, a, b) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list = []
    for p in unique:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list = []
    for p in reversed(unique):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    ring = lower[:-1] + upper[:-1]
    if len(ring) < 3:
        return np.empty((0, 2))
    ring.append(ring[0])
    return np.array([(lat, lng) for lng, lat in ring])


def grow(ring: np.ndarray, metres: float) -> np.ndarray:
    """Move each vertex of a ring `metres` away from the ring's centre: a hull drawn through
    the outermost buildings then encloses them instead of cutting through them."""
    ring = np.asarray(ring, float)
    if len(ring) == 0:
        return ring
    centre = ring[:-1].mean(axis=0)
    scale = np.array([1.0, 1.0 / math.cos(math.radians(float(centre[0])))])
    offset = (ring - centre) * np.array([1.0, math.cos(math.radians(float(centre[0])))])
    distance = np.hypot(offset[:, 0], offset[:, 1])
    distance[distance == 0] = 1e-12
    step = offset / distance[:, None] * (metres / METRES_PER_DEGREE)
    return ring + step * scale


def point_parse(lat: str | None, lng: str | None) -> tuple[float, float]:
    """A tapped point from query parameters; a 400 naming `lat` or `lng` when it is not one."""
    values = []
    for field, text, limit in (("lat", lat, 90), ("lng", lng, 180)):
        try:
            value = float(str(text).strip())
        except ValueError:
            raise _bad(field, "应为数字（度）", "must be a number (degrees)") from None
        if not (math.isfinite(value) and -limit <= value <= limit):
            raise _bad(field, f"应在 ±{limit} 度之内", f"must be within ±{limit}°")
        values.append(value)
    return values[0], values[1]
