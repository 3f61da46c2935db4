"""Vocabulary and rules of the org tree, with no ORM: kinds, NBS code structure, the divisions
CSV format and its validation."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.errors import Msg


class OrgKind(models.TextChoices):
    CITY = "city", _("City")
    DISTRICT = "district", _("District or county")
    STREET = "street", _("Street or town")
    COMMUNITY = "community", _("Community")
    VILLAGE = "village", _("Village")


class UrbanRural(models.TextChoices):
    URBAN = "urban", _("Urban")
    RURAL = "rural", _("Rural")


class DepartmentKind(models.TextChoices):
    URBAN_MANAGEMENT = "urban_management", _("Urban management")
    HOUSING = "housing", _("Housing and urban-rural development")
    POLICE = "police", _("Public security")
    CIVIL_AFFAIRS = "civil_affairs", _("Civil affairs")
    HUMAN_RESOURCES = "human_resources", _("Human resources and social security")
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education")
    MARKET_REGULATION = "market_regulation", _("Market regulation")
    ECOLOGY = "ecology", _("Ecology and environment")
    TRANSPORT = "transport", _("Transport")
    WATER = "water", _("Water")
    JUSTICE = "justice", _("Justice")
    MEDICAL_INSURANCE = "medical_insurance", _("Medical insurance")
    VETERANS = "veterans", _("Veterans affairs")
    DISABLED_PERSONS = "disabled_persons", _("Disabled persons' federation")


# The Chinese name of a department is its area's name followed by this suffix.
DEPARTMENT_NAME_SUFFIX = {
    DepartmentKind.URBAN_MANAGEMENT: "城市管理局",
    DepartmentKind.HOUSING: "住房和城乡建设局",
    DepartmentKind.POLICE: "公安局",
    DepartmentKind.CIVIL_AFFAIRS: "民政局",
    DepartmentKind.HUMAN_RESOURCES: "人力资源和社会保障局",
    DepartmentKind.HEALTH: "卫生健康局",
    DepartmentKind.EDUCATION: "教育局",
    DepartmentKind.MARKET_REGULATION: "市场监督管理局",
    DepartmentKind.ECOLOGY: "生态环境局",
    DepartmentKind.TRANSPORT: "交通运输局",
    DepartmentKind.WATER: "水务局",
    DepartmentKind.JUSTICE: "司法局",
    DepartmentKind.MEDICAL_INSURANCE: "医疗保障局",
    DepartmentKind.VETERANS: "退役军人事务局",
    DepartmentKind.DISABLED_PERSONS: "残疾人联合会",
}

# NBS 12-digit code = province 2 + city 2 + county 2 + township 3 + village 3.
PATH_LENGTH = {"city": 4, "district": 6, "street": 9, "community": 12}
LEVEL_UNIT_TYPES = {
    "city": {"prefecture_city"},
    "district": {"district", "county", "county_level_city"},
    "street": {"street", "town", "township", "special_zone"},
    "community": {"community", "village", "virtual_community"},
}
DIVISION_COLUMNS = ["code", "name", "level", "unit_type", "parent_code", "district_code", "district_name"]
GRID_SUFFIX_LENGTH = 3
BUILDING_SUFFIX_LENGTH = 3


def kind_for(level: str, unit_type: str) -> OrgKind:
    if level == "community":
        return OrgKind.VILLAGE if unit_type == "village" else OrgKind.COMMUNITY
    return OrgKind(level)


def urban_rural_for(unit_type: str) -> UrbanRural:
    """Derived, not official: 村委会 → rural, everything else (居委会, virtual) → urban."""
    return UrbanRural.RURAL if unit_type == "village" else UrbanRural.URBAN


def path_for(code: str, level: str) -> str:
    return code[: PATH_LENGTH[level]]


@dataclass(frozen=True)
class DivisionRow:
    line: int
    code: str
    name: str
    level: str
    unit_type: str
    parent_code: str

    @property
    def path(self) -> str:
        return path_for(self.code, self.level)

    @property
    def kind(self) -> OrgKind:
        return kind_for(self.level, self.unit_type)


@dataclass(frozen=True)
class LineError:
    line: int
    message: Msg

    def __str__(self) -> str:
        return f"line {self.line} (第 {self.line} 行): {self.message.both()}"


def parse_divisions(text: str, known_paths: Iterable[str] = ()) -> tuple[list[DivisionRow], list[LineError]]:
    """Parse and check an NBS divisions CSV. Returns rows ordered parents-first and every error;
    callers must refuse the whole file when there is any error."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if header is None:
        return [], [LineError(1, Msg("文件为空", "The file is empty"))]
    if [h.strip() for h in header] != DIVISION_COLUMNS:
        expected = ",".join(DIVISION_COLUMNS)
        return [], [LineError(1, Msg(f"表头应为 {expected}", f"the header must be {expected}"))]
    rows: list[DivisionRow] = []
    errors: list[LineError] = []
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        row, problem = _division_row(number, cells)
        if problem or row is None:
            errors.append(LineError(number, problem or Msg("无法读取此行", "this line cannot be read")))
        else:
            rows.append(row)
    errors += _tree_errors(rows, set(known_paths))
    order = list(PATH_LENGTH)
    rows.sort(key=lambda r: (order.index(r.level), r.code))
    return rows, sorted(errors, key=lambda e: e.line)


def _division_row(number: int, cells: list[str]) -> tuple[DivisionRow | None, Msg | None]:
    if len(cells) != len(DIVISION_COLUMNS):
        return None, Msg(
            f"应有 {len(DIVISION_COLUMNS)} 列，实有 {len(cells)} 列",
            f"expected {len(DIVISION_COLUMNS)} columns, found {len(cells)}",
        )
    code, name, level, unit_type, parent_code = (c.strip() for c in cells[:5])
    if not (len(code) == 12 and code.isdigit()):
        return None, Msg(f"code「{code}」应为 12 位数字", f"code '{code}' must be 12 digits")
    if level not in PATH_LENGTH:
        return None, Msg(
            f"level「{level}」无效，应为 {'/'.join(PATH_LENGTH)}",
            f"level '{level}' must be one of {'/'.join(PATH_LENGTH)}",
        )
    if unit_type not in LEVEL_UNIT_TYPES[level]:
        allowed = "/".join(sorted(LEVEL_UNIT_TYPES[level]))
        return None, Msg(
            f"unit_type「{unit_type}」与 level 不符，应为 {allowed}",
            f"unit_type '{unit_type}' does not fit level {level}; use {allowed}",
        )
    if code[PATH_LENGTH[level] :].strip("0"):
        return None, Msg(
            f"code「{code}」与层级 {level} 不符（末尾应补零）",
            f"code '{code}' does not fit level {level} (it must end in zeros)",
        )
    if not name:
        return None, Msg("name 不能为空", "name is empty")
    if not (len(parent_code) == 12 and parent_code.isdigit()):
        return None, Msg(
            f"parent_code「{parent_code}」应为 12 位数字", f"parent_code '{parent_code}' must be 12 digits"
        )
    return DivisionRow(number, code, name[:100], level, unit_type, parent_code), None


def _tree_errors(rows: list[DivisionRow], known_paths: set[str]) -> list[LineError]:
    errors: list[LineError] = []
    seen: dict[str, int] = {}
    for row in rows:
        if row.code in seen:
            errors.append(
                LineError(
                    row.line,
                    Msg(
                        f"code {row.code} 与第 {seen[row.code]} 行重复",
                        f"code {row.code} repeats line {seen[row.code]}",
                    ),
                )
            )
        seen.setdefault(row.code, row.line)
    levels = list(PATH_LENGTH)
    by_code = {row.code: row for row in rows}
    for row in rows:
        if row.level == "city":
            continue
        parent_level = levels[levels.index(row.level) - 1]
        parent_path = path_for(row.parent_code, parent_level)
        parent = by_code.get(row.parent_code)
        parent_known = (parent is not None and parent.level == parent_level) or parent_path in known_paths
        if not parent_known:
            errors.append(
                LineError(
                    row.line,
                    Msg(
                        f"上级 {row.parent_code} 不在文件或数据库中",
                        f"parent {row.parent_code} is neither in the file nor loaded",
                    ),
                )
            )
        elif not row.path.startswith(parent_path):
            errors.append(
                LineError(
                    row.line,
                    Msg(
                        f"code {row.code} 不在上级 {row.parent_code} 之下",
                        f"code {row.code} does not extend its parent {row.parent_code}",
                    ),
                )
            )
    return errors


def grid_code(community_path: str, number: int) -> str:
    return f"{community_path}{number:0{GRID_SUFFIX_LENGTH}d}"


def building_code(grid_path: str, number: int) -> str:
    return f"{grid_path}{number:0{BUILDING_SUFFIX_LENGTH}d}"


# ---------------------------------------------------------------- boundaries (GeoJSON)
# `linli import-boundaries FILE`: a GeoJSON FeatureCollection whose features are Polygons or
# MultiPolygons in WGS-84, each keyed by the unit's 12-digit division code in the property
# `code` (`division_code` is accepted too). Features are counted from 1, in file order.

BOUNDARY_CODE_PROPERTIES = ("code", "division_code")
BOUNDARY_DECIMALS = 6  # about 0.1 m: more is noise, and every digit is sent to every map


@dataclass(frozen=True)
class FeatureError:
    feature: int  # 1-based position in the file; 0 for the file as a whole
    message: Msg
    code: str = ""

    def __str__(self) -> str:
        if self.feature == 0:
            return f"file (文件): {self.message.both()}"
        key = f" [{self.code}]" if self.code else ""
        return f"feature {self.feature} (第 {self.feature} 个要素){key}: {self.message.both()}"


@dataclass(frozen=True)
class BoundaryRow:
    feature: int
    code: str
    geometry: dict  # normalised: {"type", "coordinates"} with rounded positions
    box: tuple[float, float, float, float]  # south, west, north, east


def parse_boundaries(text: str) -> tuple[list[BoundaryRow], list[FeatureError]]:
    """Parse and check a boundaries GeoJSON. Returns the good rows and every error (callers
    refuse the whole file when there is any). Codes are checked for form here and for
    existence by the caller, which knows the org tree."""
    try:
        doc = json.loads(text.lstrip("\ufeff"))
    except ValueError as exc:
        return [], [FeatureError(0, Msg(f"不是有效的 JSON：{exc}", f"not valid JSON: {exc}"))]
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        return [], [FeatureError(0, Msg("应为 GeoJSON FeatureCollection", "expected a GeoJSON FeatureCollection"))]
    if not doc["features"]:
        return [], [FeatureError(0, Msg("没有任何要素", "the collection has no features"))]
    rows: list[BoundaryRow] = []
    errors: list[FeatureError] = []
    seen: dict[str, int] = {}
    for number, feature in enumerate(doc["features"], start=1):
        row = _boundary_row(number, feature)
        if isinstance(row, FeatureError):
            errors.append(row)
        elif row.code in seen:
            errors.append(
                FeatureError(
                    number,
                    Msg(f"区划代码与第 {seen[row.code]} 个要素重复", f"same division code as feature {seen[row.code]}"),
                    row.code,
                )
            )
        else:
            seen[row.code] = number
            rows.append(row)
    return rows, errors


def _boundary_row(number: int, feature: object) -> BoundaryRow | FeatureError:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return FeatureError(number, Msg("不是 GeoJSON 要素（Feature）", "not a GeoJSON Feature"))
    found = feature.get("properties")
    properties: dict = found if isinstance(found, dict) else {}
    raw = next((properties[k] for k in BOUNDARY_CODE_PROPERTIES if properties.get(k) not in (None, "")), "")
    code = str(raw).strip()
    if not (len(code) == 12 and code.isdigit()):
        return FeatureError(
            number,
            Msg("属性 code 应为 12 位统计用区划代码", "the property code must be a 12-digit division code"),
            code,
        )
    found = feature.get("geometry")
    geometry: dict = found if isinstance(found, dict) else {}
    kind = geometry.get("type")
    if kind not in ("Polygon", "MultiPolygon"):
        return FeatureError(
            number,
            Msg(
                f"几何类型应为 Polygon 或 MultiPolygon，而不是 {kind}",
                f"geometry must be a Polygon or MultiPolygon, not {kind}",
            ),
            code,
        )
    polygons = geometry.get("coordinates")
    polygons = [polygons] if kind == "Polygon" else polygons
    if not isinstance(polygons, list) or not polygons:
        return FeatureError(number, Msg("几何没有坐标", "the geometry has no coordinates"), code)
    clean: list = []
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return FeatureError(number, Msg("多边形没有环", "a polygon has no ring"), code)
        rings = []
        for ring in polygon:
            checked = _ring(ring)
            if isinstance(checked, Msg):
                return FeatureError(number, checked, code)
            rings.append(checked)
        clean.append(rings)
    lngs = [p[0] for polygon in clean for ring in polygon for p in ring]
    lats = [p[1] for polygon in clean for ring in polygon for p in ring]
    normalised = {"type": kind, "coordinates": clean[0] if kind == "Polygon" else clean}
    return BoundaryRow(number, code, normalised, (min(lats), min(lngs), max(lats), max(lngs)))


def _ring(ring: object) -> list | Msg:
    """A closed linear ring of [lng, lat] positions, rounded; or what is wrong with it."""
    if not isinstance(ring, list) or len(ring) < 4:
        return Msg("环至少需要 4 个坐标点（首尾相同）", "a ring needs at least 4 positions (first = last)")
    positions = []
    for position in ring:
        if (
            not isinstance(position, list | tuple)
            or len(position) < 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in position[:2])
        ):
            return Msg("坐标应为 [经度, 纬度] 数字", "a position must be [longitude, latitude] numbers")
        lng, lat = float(position[0]), float(position[1])
        if not (-180 <= lng <= 180 and -90 <= lat <= 90):
            return Msg(
                f"坐标超出范围：{lng}, {lat}（应为 [经度, 纬度]）",
                f"position out of range: {lng}, {lat} (expected [longitude, latitude])",
            )
        positions.append([round(lng, BOUNDARY_DECIMALS), round(lat, BOUNDARY_DECIMALS)])
    if positions[0] != positions[-1]:
        return Msg("环未闭合（首尾坐标应相同）", "the ring is not closed (first and last positions must be equal)")
    return positions
