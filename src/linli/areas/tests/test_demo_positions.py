"""`demo_positions_generate`: stable positions for the demo city, inside each district's spread,
filling only what is missing, audited."""

import math

from linli.areas.models import Building, OrgUnit
from linli.areas.services import (
    DEMO_BUILDING_METRES,
    METRES_PER_DEGREE,
    demo_district_centres,
    demo_positions_generate,
)
from linli.core.models import AuditEntry
from linli.testing import SMALL_TREE, SYSTEM


def positions() -> dict[str, tuple[float, float]]:
    units = OrgUnit.objects.filter(lat__isnull=False).values_list("path", "lat", "lng")
    buildings = Building.objects.filter(lat__isnull=False).values_list("path", "lat", "lng")
    return {path: (lat, lng) for path, lat, lng in [*units, *buildings]}


def degrees_apart(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance from `b` in degrees of latitude (longitude scaled by the cosine at `b`), as the
    generator scatters around a parent."""
    return math.hypot(a[0] - b[0], (a[1] - b[1]) * math.cos(math.radians(b[0])))


def test_the_table_covers_shenyangs_thirteen_districts():
    table = demo_district_centres()
    assert len(table) == 13
    assert table["210102"] == (41.789, 123.396, 0.025)
    assert all(41.3 < lat < 43.0 and 122.4 < lng < 123.9 and 0 < spread <= 0.15 for lat, lng, spread in table.values())


def test_every_unit_and_building_gets_a_position_inside_its_spread(tree):
    units = OrgUnit.objects.exclude(kind="city").count()
    assert demo_positions_generate(actor=SYSTEM) == units + Building.objects.count()
    placed = positions()
    assert placed["210102"] == (41.789, 123.396)  # the table's centre
    assert placed["210103"] == (41.797, 123.459)
    spread = 0.025
    for path, point in placed.items():
        if len(path) == 9:  # street: within the district's spread
            assert degrees_apart(point, placed[path[:6]]) <= spread + 1e-5
        elif len(path) == 12:  # community or village: within 0.3 × that spread of its street
            assert degrees_apart(point, placed[path[:9]]) <= 0.3 * spread + 1e-5
        elif len(path) == 18:  # building: within ~250 m of its community
            assert degrees_apart(point, placed[path[:12]]) * METRES_PER_DEGREE <= DEMO_BUILDING_METRES + 1
    assert not OrgUnit.objects.get(kind="city").lat  # the city itself is not placed
    entry = AuditEntry.objects.get(action="demo.positions")
    assert entry.details == {"units": units, "buildings": Building.objects.count()}


def test_positions_are_deterministic_and_only_fill_what_is_missing(tree):
    demo_positions_generate(actor=SYSTEM)
    first = positions()
    OrgUnit.objects.exclude(kind="city").update(lat=None, lng=None)
    Building.objects.update(lat=None, lng=None)
    demo_positions_generate(actor=SYSTEM)
    assert positions() == first  # same seed, same city
    assert demo_positions_generate(actor=SYSTEM) == 0  # nothing missing: nothing written
    assert AuditEntry.objects.filter(action="demo.positions").count() == 2

    # a community placed by hand keeps its place, and its buildings gather round it
    OrgUnit.objects.filter(path="210102001002").update(lat=41.70, lng=123.30)
    Building.objects.filter(path__startswith="210102001002").update(lat=None, lng=None)
    OrgUnit.objects.filter(path="210102001003").update(lat=None, lng=None)
    assert demo_positions_generate(actor=SYSTEM) == 3  # the other community and the two buildings
    placed = positions()
    assert placed["210102001002"] == (41.70, 123.30)
    assert placed["210102001003"] == first["210102001003"]
    for path in ("210102001002001001", "210102001002002001"):
        assert degrees_apart(placed[path], (41.70, 123.30)) * METRES_PER_DEGREE <= DEMO_BUILDING_METRES + 1
    assert demo_positions_generate(actor=SYSTEM, seed=1) == 0


def test_a_district_the_table_does_not_know_goes_on_a_ring_around_the_known_ones(db):
    from linli.areas.services import divisions_import

    extra = SMALL_TREE + "\n".join(
        [
            "210199000000,演示区,district,district,210100000000,210199,演示区",
            "210199001000,演示街道,street,street,210199000000,210199,演示区",
        ]
    )
    divisions_import(actor=SYSTEM, text=extra, source="fixture")
    demo_positions_generate(actor=SYSTEM)
    placed = positions()
    table = demo_district_centres().values()
    mean = (sum(t[0] for t in table) / 13, sum(t[1] for t in table) / 13)
    assert 0.44 < degrees_apart(placed["210199"], mean) < 0.46
    assert degrees_apart(placed["210199001"], placed["210199"]) <= 0.08 + 1e-5


def test_without_any_known_district_nothing_is_placed(db, monkeypatch):
    from linli.areas import services
    from linli.areas.services import divisions_import

    divisions_import(actor=SYSTEM, text=SMALL_TREE, source="fixture")
    monkeypatch.setattr(services, "demo_district_centres", dict)
    assert demo_positions_generate(actor=SYSTEM) == 0
    assert not positions()
