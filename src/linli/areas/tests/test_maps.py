"""Boundaries (import, demo outlines, the map layer) and snapping a tapped point to the nearest
building's address, through services, selectors, the command and the API."""

import json
import math

import pytest
from django.core.management import CommandError, call_command

from linli.areas.models import Boundary, Building
from linli.areas.selectors import address_nearest, addresses_nearest, boundary_layer
from linli.areas.services import BoundaryFileRejectedError, boundaries_import, demo_boundaries_generate
from linli.core.geo import Box
from linli.core.models import AuditEntry
from linli.testing import SYSTEM, log_in

LAT, LNG = 41.77, 123.39
EAST = 1 / (111_320 * math.cos(math.radians(LAT)))  # one metre, in degrees of longitude
NORTH = 1 / 111_320
VIEW = Box(41.7, 123.3, 41.85, 123.5)


def square(west: float, south: float, size: float = 0.01) -> list:
    return [[[west, south], [west + size, south], [west + size, south + size], [west, south + size], [west, south]]]


def feature(code, coordinates, kind="Polygon", key="code"):
    return {"type": "Feature", "properties": {key: code}, "geometry": {"type": kind, "coordinates": coordinates}}


def collection(*features) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


GOOD = collection(
    feature("210102001002", square(123.38, 41.76)),
    feature("210102001003", [square(123.40, 41.76), square(123.42, 41.76)], kind="MultiPolygon", key="division_code"),
    feature("210102001000", square(123.37, 41.75, 0.05)),
)


def test_import_creates_then_updates_outlines_keyed_by_division_code(tree):
    result = boundaries_import(actor=SYSTEM, text=GOOD, source="shenyang.geojson")
    assert (result.created, result.updated) == (3, 0)
    shuiyuandi = Boundary.objects.get(org_unit__code="210102001002")
    assert (shuiyuandi.path, shuiyuandi.approximate, shuiyuandi.source) == ("210102001002", False, "shenyang.geojson")
    assert (shuiyuandi.south, shuiyuandi.west, shuiyuandi.north, shuiyuandi.east) == pytest.approx(
        (41.76, 123.38, 41.77, 123.39)
    )
    assert Boundary.objects.get(org_unit__code="210102001003").geometry["type"] == "MultiPolygon"
    again = boundaries_import(actor=SYSTEM, text=GOOD, source="again.geojson")
    assert (again.created, again.updated) == (0, 3)
    assert Boundary.objects.count() == 3
    assert AuditEntry.objects.filter(action="boundaries.import").count() == 2


def test_a_bad_feature_or_an_unknown_code_refuses_the_whole_file(tree):
    open_ring = [[[123.38, 41.76], [123.39, 41.76], [123.39, 41.77], [123.38, 41.77]]]
    text = collection(
        feature("210102001002", square(123.38, 41.76)),  # good, but the file is refused
        feature("210102001003", open_ring),
        feature("210199999999", square(123.40, 41.76)),  # well-formed code nobody has
        feature("2101", square(123.40, 41.76)),
        feature("210102002001", [[123.4, 41.7], [123.5, 41.8]], kind="LineString"),
        feature("210103001001", [[[41.76, 200.0], [41.77, 123.3], [41.78, 123.3], [41.76, 200.0]]]),
        feature("210102001002", square(123.38, 41.76)),
    )
    with pytest.raises(BoundaryFileRejectedError) as caught:
        boundaries_import(actor=SYSTEM, text=text, source="bad.geojson")
    errors = caught.value.feature_errors
    assert [e.feature for e in errors] == [2, 3, 4, 5, 6, 7]
    assert "未闭合" in errors[0].message.zh and "not closed" in errors[0].message.en
    assert errors[1].code == "210199999999" and "no org unit has this division code" in errors[1].message.en
    assert "12 位" in errors[2].message.zh and "12-digit" in errors[2].message.en
    assert "LineString" in errors[3].message.en
    assert "out of range" in errors[4].message.en and "经度" in errors[4].message.zh
    assert "same division code as feature 1" in errors[5].message.en
    assert str(errors[0]).startswith("feature 2 (第 2 个要素) [210102001003]: ")
    assert caught.value.status == 400 and "6" in caught.value.message.en
    assert Boundary.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "en"),
    [
        ("{not json", "not valid JSON"),
        (json.dumps({"type": "Feature"}), "FeatureCollection"),
        (json.dumps({"type": "FeatureCollection", "features": []}), "no features"),
    ],
)
def test_a_file_that_is_not_a_feature_collection_is_refused(tree, text, en):
    with pytest.raises(BoundaryFileRejectedError) as caught:
        boundaries_import(actor=SYSTEM, text=text)
    assert en in str(caught.value.feature_errors[0])
    assert str(caught.value.feature_errors[0]).startswith("file (文件): ")


def test_the_command_prints_counts_or_every_error(tree, tmp_path, capsys):
    good = tmp_path / "good.geojson"
    good.write_text(GOOD, encoding="utf-8")
    call_command("import_boundaries", str(good))
    assert "新增 3" in capsys.readouterr().out
    bad = tmp_path / "bad.geojson"
    bad.write_text(collection(feature("210199999999", square(123.4, 41.7))), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("import_boundaries", str(bad))
    assert "nothing was imported" in str(caught.value)
    assert "bad.geojson: feature 1 (第 1 个要素) [210199999999]" in capsys.readouterr().err


def place_buildings():
    """水源地社区's two buildings 200 m apart east–west, plus one more per community grid."""
    for n, building in enumerate(Building.objects.order_by("path")):
        Building.objects.filter(pk=building.pk).update(lat=LAT + n * 200 * NORTH, lng=LNG + n * 200 * EAST)
    extra = Building.objects.get(path="210102001002001001")
    Building.objects.create(
        code="210102001002001002",
        path="210102001002001002",
        name="2号楼",
        address="浑河湾路2号",
        grid=extra.grid,
        lat=LAT + 150 * NORTH,
        lng=LNG,
    )


def test_demo_outlines_are_approximate_hulls_and_a_second_run_changes_nothing(tree):
    place_buildings()
    boundaries_import(actor=SYSTEM, text=collection(feature("210102001003", square(123.40, 41.76))))
    made = demo_boundaries_generate(actor=SYSTEM)
    # 水源地 has three positioned buildings (a hull); the others have two, or an imported outline
    assert made == 1
    demo = Boundary.objects.get(org_unit__code="210102001002")
    assert demo.approximate and demo.source == "demo"
    ring = demo.geometry["coordinates"][0]
    assert ring[0] == ring[-1] and len(ring) == 4
    # grown 40 m past the buildings: the box reaches beyond them
    assert demo.south < LAT - 20 * NORTH and demo.north > LAT + 200 * NORTH
    assert not Boundary.objects.get(org_unit__code="210102001003").approximate  # the import is kept
    assert demo_boundaries_generate(actor=SYSTEM) == 0
    assert Boundary.objects.count() == 2


def test_the_boundary_layer_picks_outlines_in_view_by_zoom(actors, django_assert_num_queries):
    boundaries_import(actor=SYSTEM, text=GOOD)
    with django_assert_num_queries(1):
        near = boundary_layer(actor=actors["resident"], box=VIEW, zoom=14)
    names = sorted(f["properties"]["name"] for f in near["features"])
    assert names == ["水源地社区", "浑河湾社区"]  # communities from zoom 13
    assert {f["geometry"]["type"] for f in near["features"]} == {"MultiPolygon"}
    assert near["features"][0]["properties"]["approximate"] is False
    far = boundary_layer(actor=actors["resident"], box=VIEW, zoom=11)
    assert [f["properties"]["name"] for f in far["features"]] == ["浑河湾街道"]  # streets below
    elsewhere = boundary_layer(actor=actors["resident"], box=Box(41.0, 122.0, 41.1, 122.1), zoom=14)
    assert elsewhere["features"] == []
    assert boundary_layer(actor=actors["anonymous"], box=VIEW, zoom=14)["features"] == []


def test_a_tapped_point_snaps_to_the_nearest_building_within_150_m(actors, django_assert_num_queries):
    place_buildings()
    resident = actors["resident"]
    address_nearest(actor=resident, lat=LAT, lng=LNG)  # the positions are read once per process
    with django_assert_num_queries(1):
        found = address_nearest(actor=resident, lat=LAT + 130 * NORTH, lng=LNG + 10 * EAST)
    assert found["address"] == "浑河湾路2号" and found["building"] == "2号楼"
    assert (found["community"], found["street"]) == ("水源地社区", "浑河湾街道")
    assert (found["lat"], found["lng"]) == (round(LAT + 150 * NORTH, 6), round(LNG, 6))
    assert 20 <= found["distance_m"] <= 25
    assert set(found) == {"id", "building", "address", "community", "street", "lat", "lng", "distance_m"}
    # a building with no address is named by its community and name
    first = address_nearest(actor=resident, lat=LAT, lng=LNG)
    assert first["address"] == "水源地社区1号楼"
    assert address_nearest(actor=resident, lat=LAT - 0.01, lng=LNG) is None  # 1.1 km away
    assert address_nearest(actor=actors["anonymous"], lat=LAT, lng=LNG) is None
    many = addresses_nearest(actor=resident, points=[(LAT, LNG), (LAT - 0.01, LNG)], within_m=500)
    assert [m and m["building"] for m in many] == ["1号楼", None]


@pytest.fixture
def api(client, people):
    def login(name):
        log_in(client, name)
        return client

    return login


def test_api_snaps_and_draws_outlines_for_a_resident(api):
    place_buildings()
    boundaries_import(actor=SYSTEM, text=GOOD)
    client = api("resident")
    snapped = client.get(f"/api/v1/map/address?lat={LAT + 140 * NORTH}&lng={LNG}")
    assert snapped.status_code == 200 and snapped.json()["found"] is True
    assert snapped.json()["address"] == "浑河湾路2号"
    assert "private" in snapped["Cache-Control"]
    nothing = client.get(f"/api/v1/map/address?lat={LAT - 0.02}&lng={LNG}").json()
    assert nothing == {"found": False}
    layer = client.get("/api/v1/map/boundaries?bbox=41.7,123.3,41.85,123.5&zoom=14")
    assert layer.status_code == 200 and len(layer.json()["features"]) == 2
    assert layer["Cache-Control"] == "private, max-age=600"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("bbox=41.7,123.3&zoom=14", "bbox"),
        ("bbox=abc&zoom=14", "bbox"),
        ("zoom=14", "bbox"),
        ("bbox=41.7,123.3,41.85,123.5&zoom=99", "zoom"),
        ("bbox=41.7,123.3,41.85,123.5&zoom=", "zoom"),
    ],
)
def test_api_bad_view_parameters_are_a_400_naming_them(api, query, field):
    client = api("resident")
    answer = client.get(f"/api/v1/map/boundaries?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 400
    assert answer.json()["error"]["fields"][0]["field"] == field
    assert f"The parameter {field} is invalid" in answer.json()["error"]["message"]
    chinese = client.get(f"/api/v1/map/boundaries?{query}", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert f"参数 {field} 有误" in chinese.json()["error"]["message"]


def test_api_bad_point_and_anonymous_caller(api, client):
    assert client.get(f"/api/v1/map/address?lat={LAT}&lng={LNG}").status_code == 401
    answer = api("resident").get("/api/v1/map/address?lat=north&lng=123.4")
    assert answer.status_code == 400 and answer.json()["error"]["fields"][0]["field"] == "lat"
