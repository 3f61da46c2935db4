"""The demo city's facilities: a synthetic street network around every community's position (no
real Shenyang road extract is available offline; coordinates made up but stable), a registry of
plausible facilities for the real communities, villages and streets, and one analysis run, so the
compliance tables, the coverage map and suggested sites work out of the box.

Stable: the same seed gives the same network and registry. Idempotent: each part is generated
only when its table is empty. Writes go straight to the tables (like the other demo generators);
what is written is exactly what the services would accept (areas > 0, positions inside the city)."""

from __future__ import annotations

import random
from decimal import Decimal

import numpy as np

from linli.accounts.domain import FACILITY_ANALYSE
from linli.areas.selectors import building_points, units_under
from linli.core.actor import Actor
from linli.facilities.domain import FacilityStatus, hours_per_day
from linli.facilities.models import AnalysisRun, Facility, FacilityKind, RoadNetwork
from linli.facilities.roads import synthetic_network
from linli.facilities.services import RunInput, analysis_start, facility_analysis_run, roads_store

SEED = 20261125
# (kind, share of communities that have one): what a community of the demo city offers
COMMUNITY_KINDS = [
    ("community_service_centre", 0.97),
    ("home_care_station", 0.55),
    ("canteen", 0.3),
    ("health_station", 0.45),
    ("kindergarten", 0.4),
    ("nursery", 0.15),
    ("culture_station", 0.5),
    ("fitness_site", 0.6),
    ("convenience_store", 0.9),
    ("parcel_locker", 0.85),
    ("police_room", 0.3),
    ("mediation_room", 0.8),
]
# (kind, how many per street)
STREET_KINDS = [
    ("party_mass_centre", 1),
    ("home_care_centre", 1),
    ("health_centre", 1),
    ("primary_school", 2),
    ("middle_school", 1),
    ("market", 2),
    ("library", 1),
    ("shelter", 2),
]
HOURS = ["08:30-12:00,13:00-17:30", "08:30-17:30", "08:00-20:00", "08:30-11:30,13:30-17:30", "24小时"]
HOURS_WEIGHTS = [0.45, 0.25, 0.15, 0.1, 0.05]
OPERATORS = ["社区居委会", "街道办事处", "区民政局", "社会组织", "物业服务企业", "市场主体"]
AREA_M2 = {
    "community_service_centre": (300, 1100),
    "party_mass_centre": (400, 1500),
    "home_care_centre": (800, 2500),
    "home_care_station": (150, 600),
    "canteen": (80, 300),
    "health_centre": (1500, 4000),
    "health_station": (120, 400),
    "primary_school": (6000, 15000),
    "middle_school": (8000, 20000),
    "kindergarten": (1200, 3500),
    "nursery": (200, 800),
    "culture_station": (100, 500),
    "fitness_site": (300, 1500),
    "library": (200, 1200),
    "market": (500, 3000),
    "convenience_store": (40, 200),
    "parcel_locker": (2, 8),
    "police_room": (30, 120),
    "mediation_room": (20, 60),
    "shelter": (3000, 40000),
    "village_cemetery": (2000, 10000),
}


def demo_network_generate(*, actor: Actor, city_path: str) -> RoadNetwork | None:
    """A lattice of streets around every positioned building (see `roads.synthetic_network`)."""
    if RoadNetwork.objects.exists():
        return None
    points = building_points(under=city_path)
    if not points:
        return None
    lat = np.array([p[3] for p in points])
    lng = np.array([p[4] for p in points])
    data = synthetic_network(lat, lng, seed=SEED)
    return roads_store(actor=actor, data=data, name="演示路网 synthetic demo network", source="synthetic")


def demo_facilities_generate(*, city_path: str, seed: int = SEED) -> int:
    if Facility.objects.exists():
        return 0
    rng = random.Random(seed)
    kinds = {k.code: k for k in FacilityKind.objects.all()}
    buildings: dict[str, list[tuple[float, float]]] = {}
    for _pk, path, _name, lat, lng in building_points(under=city_path):
        buildings.setdefault(path[:12], []).append((lat, lng))
    facilities = []
    communities = units_under(under=city_path, kinds=("community", "village"))
    for path, name, urban_rural in communities:
        spots = buildings.get(path)
        if not spots:
            continue
        offered = [(code, share) for code, share in COMMUNITY_KINDS]
        if urban_rural == "rural":
            offered.append(("village_cemetery", 0.7))
        for code, share in offered:
            if code in kinds and rng.random() < share:
                count = rng.randint(1, 3) if code in ("convenience_store", "parcel_locker") else 1
                facilities += [_facility(rng, kinds[code], path, name, spots) for _ in range(count)]
    for path, name, _ in units_under(under=city_path, kinds=("street",)):
        spots = [p for community, points in buildings.items() if community.startswith(path) for p in points]
        if not spots:
            continue
        for code, count in STREET_KINDS:
            if code in kinds:
                facilities += [_facility(rng, kinds[code], path, name, spots) for _ in range(count)]
    Facility.objects.bulk_create(facilities, batch_size=2000)
    return len(facilities)


def _facility(rng: random.Random, kind: FacilityKind, path: str, unit_name: str, spots) -> Facility:
    lat, lng = rng.choice(spots)
    low, high = AREA_M2.get(kind.code, (50, 500))
    hours = rng.choices(HOURS, HOURS_WEIGHTS)[0] if kind.min_open_hours else "24小时" if kind.is_shelter else ""
    return Facility(
        kind=kind,
        name=f"{unit_name}{kind.name}",
        path=path,
        lat=round(lat + rng.uniform(-0.0004, 0.0004), 6),
        lng=round(lng + rng.uniform(-0.0005, 0.0005), 6),
        floor_area_m2=Decimal(rng.randint(low, high)),
        opening_hours=hours,
        hours_per_day=hours_per_day(hours),
        operator=rng.choice(OPERATORS),
        capacity=rng.randint(20, 200) if kind.code in ("home_care_station", "home_care_centre", "nursery") else None,
        status=FacilityStatus.OPEN,
    )


def demo_analysis_run(*, city_path: str) -> AnalysisRun | None:
    """One finished city-wide run (suggesting 20 home-care stations) unless a run exists; started
    through the service and run here, not by the worker, so the demo shows it at once."""
    if AnalysisRun.objects.exists() or not RoadNetwork.objects.exists():
        return None
    planner = Actor.system("demo", permissions=frozenset({FACILITY_ANALYSE}), root_path=city_path)
    run = analysis_start(actor=planner, data=RunInput(site_kind="home_care_station", sites=20))
    return facility_analysis_run(run_id=run.pk)
