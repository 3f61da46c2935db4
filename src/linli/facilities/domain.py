"""Vocabulary and rules of the facility registry, with no ORM: life-circle levels, facility
states, the area standards of community service facilities (the seed's numbers), the shelter
rule, opening hours and the red/amber/green ratings. Plain functions, tested without a database."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Circle(models.TextChoices):
    """GB 50180-2018 life circles by walking distance."""

    FIVE = "5min", _("5-minute life circle")
    TEN = "10min", _("10-minute life circle")
    FIFTEEN = "15min", _("15-minute life circle")


# Walking distances of GB 50180-2018 (reference/facility_life_circle_scale.csv): 300 m, 500 m and
# 800–1,000 m; the 15-minute circle takes the upper bound. Editable per city (LifeCircle rows).
CIRCLE_DEFAULT_DISTANCE_M = {Circle.FIVE: 300, Circle.TEN: 500, Circle.FIFTEEN: 1000}


class FacilityStatus(models.TextChoices):
    OPEN = "open", _("In service")
    BUILDING = "building", _("Under construction")
    CANDIDATE = "candidate", _("Candidate site")
    CLOSED = "closed", _("Closed")


class CoordinateSystem(models.TextChoices):
    """What the coordinates typed or imported are in; stored positions are always WGS-84."""

    WGS84 = "wgs84", _("WGS-84 (GPS, OpenStreetMap)")
    GCJ02 = "gcj02", _("GCJ-02 (Amap, Tencent and other Chinese map pickers)")


class Rating(models.TextChoices):
    GREEN = "green", _("Meets the standard")
    AMBER = "amber", _("Within 20 percent of the standard")
    RED = "red", _("Below the standard")
    NONE = "none", _("No residents on record")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


# Seed (十一): community service facilities of at least 600 m² and 40 m² per 100 households in
# towns, 350 m² and 30 m² per 100 households in villages. The seed's numbers win over any
# reference table (reference/community_service_facility_area.csv quotes 30 m² per 100 nationally).
@dataclass(frozen=True)
class AreaStandard:
    minimum_m2: int
    per_100_households_m2: int


AREA_STANDARD = {
    "urban": AreaStandard(minimum_m2=600, per_100_households_m2=40),
    "rural": AreaStandard(minimum_m2=350, per_100_households_m2=30),
}
SHELTER_M2_PER_RESIDENT = Decimal("1.5")  # seed (十); GB 21734-2008 also says > 1.5 m²
MIN_OPEN_HOURS = 8  # seed (十二): community service facilities open at least 8 hours a day
# Seed (十一): elderly-care institutions next to medical ones (毗邻建设). The seed gives no distance;
# "next to" is taken as within 100 m on foot.
CARE_KINDS = ("home_care_centre", "home_care_station")
HEALTH_KINDS = ("health_centre", "health_station")
NEXT_TO_M = 100
AMBER_SHARE = Decimal("0.8")  # within 20 % of the requirement: amber, not red


def area_standard(urban_rural: str) -> AreaStandard:
    """The rule chosen by the unit's class; a unit without a class counts as urban (stricter)."""
    return AREA_STANDARD["rural" if urban_rural == "rural" else "urban"]


@dataclass(frozen=True)
class AreaCompliance:
    area_m2: Decimal
    households: int
    minimum_m2: int
    per_households_m2: Decimal  # what the household count asks for
    required_m2: Decimal  # the larger of the two
    shortfall_m2: Decimal
    rating: str


def area_compliance(urban_rural: str, area_m2: Decimal, households: int) -> AreaCompliance:
    """Both conditions must hold: the minimum floor area and the area per 100 households."""
    standard = area_standard(urban_rural)
    per_households = (Decimal(standard.per_100_households_m2) * households / 100).quantize(Decimal("0.01"))
    required = max(Decimal(standard.minimum_m2), per_households)
    area_m2 = Decimal(area_m2)
    return AreaCompliance(
        area_m2=area_m2,
        households=households,
        minimum_m2=standard.minimum_m2,
        per_households_m2=per_households,
        required_m2=required,
        shortfall_m2=max(Decimal(0), required - area_m2),
        rating=rating_for(area_m2, required),
    )


def rating_for(value: Decimal, required: Decimal) -> str:
    if value >= required:
        return Rating.GREEN
    return Rating.AMBER if value >= required * AMBER_SHARE else Rating.RED


@dataclass(frozen=True)
class ShelterCompliance:
    area_m2: Decimal
    residents: int
    per_resident_m2: Decimal | None
    required_m2: Decimal
    shortfall_m2: Decimal
    rating: str


def shelter_compliance(area_m2: Decimal, residents: int) -> ShelterCompliance:
    """Shelter area per resident of a street or district against 1.5 m²."""
    required = SHELTER_M2_PER_RESIDENT * residents
    area_m2 = Decimal(area_m2)
    if residents == 0:
        return ShelterCompliance(area_m2, 0, None, Decimal(0), Decimal(0), Rating.NONE)
    return ShelterCompliance(
        area_m2=area_m2,
        residents=residents,
        per_resident_m2=(area_m2 / residents).quantize(Decimal("0.01")),
        required_m2=required,
        shortfall_m2=max(Decimal(0), required - area_m2),
        rating=rating_for(area_m2, required),
    )


class HoursError(ValueError):
    pass


_ALL_DAY = {"24", "24h", "24小时", "全天", "全天候", "00:00-24:00"}
_RANGE = re.compile(r"^(\d{1,2})[:：](\d{2})\s*[-–—~～至到]\s*(\d{1,2})[:：](\d{2})$")


def hours_per_day(text: str) -> float | None:
    """Hours open a day from "08:30-11:30, 13:30-17:30" (ranges separated by , ， ; 、 or spaces);
    "24小时"/"全天" is 24; a range past midnight ("22:00-06:00") wraps. Empty: unknown (None)."""
    text = (text or "").strip()
    if not text:
        return None
    if text.replace(" ", "").lower() in _ALL_DAY:
        return 24.0
    minutes = 0
    for part in re.split(r"[,，;；、]\s*|\s+(?=\d{1,2}[:：]\d{2}\s*[-–—~～至到])", text):
        match = _RANGE.match(part.strip())
        if not match:
            raise HoursError(part.strip())
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 24 or h2 > 24 or m1 > 59 or m2 > 59:
            raise HoursError(part.strip())
        span = (h2 * 60 + m2) - (h1 * 60 + m1)
        minutes += span if span > 0 else span + 24 * 60
    return round(min(minutes, 24 * 60) / 60, 2)


# The registry's spreadsheet columns, for export and import (and the import template).
# (key, Chinese header, English header): headers in either language are read back on import.
REGISTRY_COLUMNS = [
    ("id", "设施编号", "Facility id"),
    ("kind", "设施类型", "Kind"),
    ("name", "名称", "Name"),
    ("unit", "所属单位代码", "Unit code"),
    ("lat", "纬度", "Latitude"),
    ("lng", "经度", "Longitude"),
    ("coordinates", "坐标系", "Coordinates"),
    ("floor_area_m2", "建筑面积（平方米）", "Floor area (m2)"),
    ("opening_hours", "开放时间", "Opening hours"),
    ("operator", "运营方", "Operator"),
    ("capacity", "容量", "Capacity"),
    ("address", "地址", "Address"),
    ("status", "状态", "Status"),
    ("note", "备注", "Note"),
]
