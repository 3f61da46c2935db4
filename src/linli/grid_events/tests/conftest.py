"""The `grid` fixture: positions for the small tree's communities and buildings, the officers of
和平区's urban-management, housing and water bureaus and of 沈河区's urban management, and a
clock inside office hours on a working day, so every due time is predictable."""

import zoneinfo
from datetime import datetime
from pathlib import Path

import pytest
import time_machine

from linli.accounts.domain import GRID_CATEGORY_EDIT, Role
from linli.accounts.selectors import actor_for_user
from linli.areas.models import Building, Department, OrgUnit
from linli.core.actor import Actor
from linli.core.memo import forget_all
from linli.grid_events.services import PhotoUpload, category_import
from linli.testing import make_user

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# A Tuesday 09:00 in Shenyang: office hours 08:30–12:00, 13:30–17:30.
TUESDAY_9AM = datetime(2026, 11, 24, 9, 0, tzinfo=SHANGHAI)
POSITIONS = {
    "210102001002": (41.7500, 123.4000),  # 水源地社区
    "210102001003": (41.7600, 123.4200),  # 浑河湾社区
    "210102002001": (41.7800, 123.3800),  # 集贤社区
    "210103001001": (41.8000, 123.4600),  # 滨河社区
    "210103001201": (41.8500, 123.5000),  # 前进村
}
# A point 20 m north of 水源地社区's centre, in its first grid's building.
SHUIYUANDI = (41.75018, 123.4000)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def photo(name: str = "scene.png", data: bytes = PNG) -> PhotoUpload:
    return PhotoUpload(name, data)


@pytest.fixture
def clock():
    with time_machine.travel(TUESDAY_9AM, tick=False) as traveller:
        yield traveller


DATA = Path(__file__).resolve().parents[1] / "data"
CATEGORY_TABLES = ("urban_mgmt_event_categories.csv", "urban_mgmt_component_categories.csv")


@pytest.fixture
def shipped_categories(db):
    """A committed (transactional) test starts after the previous one's flush, which also removed
    the categories the migration loads on install: load the shipped tables again (known codes are
    kept, so for the other tests this changes nothing)."""
    actor = Actor.system("tests", permissions=frozenset({GRID_CATEGORY_EDIT}))
    for name in CATEGORY_TABLES:
        category_import(actor=actor, text=(DATA / name).read_text(encoding="utf-8"))


@pytest.fixture
def grid(people, tree, clock, settings, tmp_path, shipped_categories):
    settings.LINLI_ROUTER_DIR = tmp_path / "router"  # no model: routing by hand unless a test trains one
    settings.DATA_DIR = tmp_path
    for path, (lat, lng) in POSITIONS.items():
        OrgUnit.objects.filter(path=path).update(lat=lat, lng=lng)
    for building in Building.objects.select_related("grid"):
        lat, lng = POSITIONS[building.grid.community.path]
        offset = 0.00018 if building.grid.path.endswith("001") else -0.0005
        Building.objects.filter(pk=building.pk).update(lat=lat + offset, lng=lng)
    forget_all()

    def officer(name, path, kind):
        return make_user(name, Role.DEPARTMENT_OFFICER, Department.objects.get(path=path, kind=kind))

    extra = {
        "urban_officer": officer("urban_officer", "210102", "urban_management"),
        "housing_officer": officer("housing_officer", "210102", "housing"),
        "water_officer": officer("water_officer", "210102", "water"),
        "shenhe_urban_officer": officer("shenhe_urban_officer", "210103", "urban_management"),
        "binhe_worker": make_user("binhe_worker", Role.COMMUNITY_WORKER, tree["210103001001"]),
    }
    users = {**people, **extra}
    return {
        "users": users,
        "actors": {name: actor_for_user(user) for name, user in users.items()} | {"anonymous": Actor.anonymous()},
        "departments": {d.code: d for d in Department.objects.filter(path="210102")},
    }


def department(path: str, kind: str) -> Department:
    return Department.objects.get(path=path, kind=kind)
