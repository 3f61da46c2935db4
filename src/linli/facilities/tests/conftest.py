"""The `town` fixture: a world small enough to check by hand.

One east–west street along latitude 41.75 from longitude 123.40, a node every 100 m (nodes 0–19).
Buildings stand on nodes, so walking distance = 100 m × the node gap:

    node   0        2        5               12                19
           B1       HS       B2              B3                B4
    B1, B2: 水源地社区 (210102001002)   3 and 2 residents, 2 and 1 households
    B3, B4: 浑河湾社区 (210102001003)   4 and 1 residents, 2 and 1 households
    HS: the health station (5-minute circle, 300 m)

Facilities counting towards the service area: 水源地 650 m² (green, urban 600), 浑河湾 500 m²
(amber: 500/600 ≥ 80 %), 集贤 none (red), 前进村 400 m² (green under the rural 350 m² rule; it
would be red under the urban one). A 10 m² shelter in 浑河湾街道, whose 10 residents need 15 m².
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

import numpy as np
import pytest

from linli.accounts.domain import Role
from linli.accounts.selectors import actor_for_user
from linli.areas.models import Building
from linli.core.actor import Actor
from linli.core.memo import forget_all
from linli.facilities.coverage import EARTH_RADIUS_M
from linli.facilities.roads import RoadData
from linli.facilities.services import FacilityInput, facility_save, roads_store
from linli.residents.domain import id_number_make
from linli.residents.services import ResidentInput, household_register, resident_add
from linli.testing import make_user

LAT = 41.75
LNG = 123.40
STEP_DEG = 100 / (math.pi / 180 * EARTH_RADIUS_M * math.cos(math.radians(LAT)))  # 100 m east


def node_lng(node: int) -> float:
    return LNG + node * STEP_DEG


# building path → (node, [household sizes])
BUILDINGS = {
    "210102001002001001": (0, [2, 1]),
    "210102001002002001": (5, [2]),
    "210102001003001001": (12, [3, 1]),
    "210102001003002001": (19, [1]),
}
EDITOR = Actor.system(
    "town",
    permissions=frozenset({"facility.edit", "residents.view", "residents.edit"}),
    root_path="2101",
)


def line_network(nodes: int = 20) -> RoadData:
    lat = np.full(nodes, LAT)
    lng = np.array([node_lng(i) for i in range(nodes)])
    pairs = np.array([(i, i + 1) for i in range(nodes - 1)], dtype=np.int64)
    return RoadData(lat=lat, lng=lng, pairs=pairs, lengths=np.full(nodes - 1, 100.0), source="synthetic", components=1)


@pytest.fixture
def shipped_kinds(db):
    """A transactional test starts after the previous one's flush, which also removed the kinds
    the migration loads at install: load them again (existing codes are kept)."""
    from django.apps import apps

    from linli.facilities.migrations import _shipped

    _shipped.load(apps, None)


def facility(kind: str, unit: str, node: int, area, hours: str = "", status: str = "open", name: str = ""):
    return facility_save(
        actor=EDITOR,
        data=FacilityInput(
            kind=kind,
            name=name or f"{kind}@{node}",
            unit=unit,
            lat=LAT,
            lng=node_lng(node),
            floor_area_m2=Decimal(area),
            opening_hours=hours,
            status=status,
        ),
    )


@pytest.fixture
def town(people, tree, shipped_kinds, settings):
    settings.LINLI_CITY_BOUNDS = "41.5,123.2,42.0,123.8"
    seq = 0
    for path, (node, sizes) in BUILDINGS.items():
        Building.objects.filter(path=path).update(lat=LAT, lng=node_lng(node))
        for room, size in enumerate(sizes, start=1):
            household = household_register(
                actor=EDITOR, building_code=path, room=f"{room}01", residence_type="registered"
            )
            for _ in range(size):
                seq += 1
                birth = date(1960 + seq, 1, 1)
                household.refresh_from_db()
                resident_add(
                    actor=EDITOR,
                    household=household,
                    data=ResidentInput(
                        name=f"居民{seq}",
                        gender="male",
                        birth_date=birth,
                        id_number=id_number_make("210102", birth, seq, "male"),
                    ),
                )
    forget_all()
    network = roads_store(actor=EDITOR, data=line_network(), name="test line", source="synthetic")
    made = {
        "health": facility("health_station", "210102001002", 2, 120, "08:00-20:00"),
        "centre_shuiyuandi": facility("community_service_centre", "210102001002", 1, 650, "08:30-11:30,13:30-17:30"),
        "centre_hunhewan": facility("community_service_centre", "210102001003", 13, 500, "08:00-20:00"),
        "centre_qianjin": facility("community_service_centre", "210103001201", 3, 400, "08:00-17:00"),
        "centre_binhe": facility("community_service_centre", "210103001001", 4, 800, "08:00-17:00"),
        "shelter": facility("shelter", "210102001000", 8, 10, "24小时"),
    }
    planner = make_user("planner", Role.PLANNER, tree["210100000000"])
    district_planner = make_user("district_planner", Role.PLANNER, tree["210102000000"])
    users = {**people, "planner": planner, "district_planner": district_planner}
    return {
        "network": network,
        "facilities": made,
        "users": users,
        "actors": {n: actor_for_user(u) for n, u in users.items()} | {"anonymous": Actor.anonymous()},
    }
