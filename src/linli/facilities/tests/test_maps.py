"""The road base layer: the network chained into strokes, the view's streets simplified per zoom
and bounded, the endpoint's answers and errors; suggested sites named by their nearest address."""

import numpy as np
import pytest

from linli.core.geo import Box
from linli.facilities import selectors
from linli.facilities.roads import RoadData, road_lines
from linli.facilities.selectors import road_layer
from linli.facilities.services import roads_store
from linli.facilities.tests.conftest import EDITOR, LAT, LNG, node_lng
from linli.testing import log_in

NORTH = 1 / 111_320


def network(lat, lng, pairs) -> RoadData:
    lat, lng, pairs = np.array(lat, float), np.array(lng, float), np.array(pairs, np.int64)
    lengths = np.full(len(pairs), 100.0)
    return RoadData(lat=lat, lng=lng, pairs=pairs, lengths=lengths, source="synthetic", components=1)


def test_strokes_go_straight_through_junctions_and_break_at_turns():
    # A cross: the east–west street 0-1-2-3-4 meets the north–south street 5-2-6 at node 2;
    # a lane 4→7 turns 90° off the street's end; an isolated triangle 8-9-10 is a loop.
    e = lambda k: round(LNG + k * 0.001, 6)  # noqa: E731
    lat = [LAT, LAT, LAT, LAT, LAT, LAT + 0.001, LAT - 0.001, LAT + 0.001, LAT + 0.01, LAT + 0.01, LAT + 0.011]
    lng = [e(0), e(1), e(2), e(3), e(4), e(2), e(2), e(4), e(0), e(1), e(0.5)]
    pairs = [(0, 1), (1, 2), (2, 3), (3, 4), (2, 5), (2, 6), (4, 7), (8, 9), (9, 10), (8, 10)]
    lines = road_lines(network(lat, lng, pairs))
    assert len(lines) == 3  # the street with its lane (node 4 has two edges), the cross street, the loop
    by_size = sorted(len(lines.line(i)) for i in range(len(lines)))
    assert by_size == [3, 4, 6]
    longest = lines.line(int(np.argmax(lines.length_m)))
    assert longest[:, 1].round(6).tolist() in (
        [e(0), e(1), e(2), e(3), e(4), e(4)],
        [e(4), e(4), e(3), e(2), e(1), e(0)],
    )
    loop = next(lines.line(i) for i in range(len(lines)) if len(lines.line(i)) == 4)
    assert loop[0].tolist() == loop[-1].tolist()  # the loop closes on itself
    # every edge is drawn exactly once
    assert sum(len(lines.line(i)) - 1 for i in range(len(lines))) == len(pairs)
    # boxes and lengths
    cross = next(i for i in range(len(lines)) if len(lines.line(i)) == 3)
    assert lines.box[cross].tolist() == pytest.approx([LAT - 0.001, e(2), LAT + 0.001, e(2)])
    assert lines.length_m[cross] == pytest.approx(2 * 0.001 * 111_195, rel=0.01)
    assert list(lines.crossing(LAT + 0.005, e(-1), LAT + 0.02, e(5))) == [
        next(i for i in range(len(lines)) if len(lines.line(i)) == 4)
    ]


@pytest.fixture
def streets(town):
    """The town's street (20 nodes, 100 m apart) with a 2 m wobble every other node: Douglas–
    Peucker keeps the wobbles when a pixel is smaller than 2 m, drops them above."""
    lat = [LAT + (2 * NORTH if i % 2 else 0) for i in range(20)]
    lng = [node_lng(i) for i in range(20)]
    data = network(lat, lng, [(i, i + 1) for i in range(19)])
    return roads_store(actor=EDITOR, data=data, name="wobbly", source="synthetic")


VIEW = Box(LAT - 0.01, LNG - 0.01, LAT + 0.01, LNG + 0.03)


def test_the_layer_is_simplified_per_zoom(streets, town):
    planner = town["actors"]["planner"]
    close = road_layer(actor=planner, box=VIEW, zoom=19)  # 0.22 m a pixel: every vertex
    far = road_layer(actor=planner, box=VIEW, zoom=14)  # 7 m a pixel: a straight line
    assert close["network"] == str(streets.public_id) and close["truncated"] is False
    assert [len(c) for c in close["features"][0]["geometry"]["coordinates"]] == [20]
    assert far["features"][0]["geometry"]["coordinates"] == [
        [[round(LNG, 6), round(LAT, 6)], [round(node_lng(19), 6), round(LAT + 2 * NORTH, 6)]]
    ]
    outside = road_layer(actor=planner, box=Box(40.0, 120.0, 40.1, 120.1), zoom=16)
    assert outside["features"] == []
    # at zoom 3 a pixel is ~15 km: the 1.9 km street is shorter than six pixels, not sent
    assert road_layer(actor=planner, box=VIEW, zoom=3)["features"] == []
    assert road_layer(actor=town["actors"]["anonymous"], box=VIEW, zoom=16)["features"] == []


def test_the_layer_is_bounded_longest_first(streets, town, monkeypatch):
    short = network(
        [LAT + 0.002, LAT + 0.002, LAT + 0.004, LAT + 0.004], [LNG, LNG + 0.001, LNG, LNG + 0.005], [(0, 1), (2, 3)]
    )
    roads_store(actor=EDITOR, data=short, name="two streets", source="synthetic")
    monkeypatch.setattr(selectors, "ROAD_MAX_LINES", 1)
    layer = road_layer(actor=town["actors"]["resident"], box=VIEW, zoom=18)
    assert layer["truncated"] is True
    (line,) = layer["features"][0]["geometry"]["coordinates"]
    assert line[1][0] == round(LNG + 0.005, 6)  # the longer of the two is kept
    monkeypatch.setattr(selectors, "ROAD_MAX_LINES", 10)
    monkeypatch.setattr(selectors, "ROAD_MAX_VERTICES", 3)
    layer = road_layer(actor=town["actors"]["resident"], box=VIEW, zoom=18)
    assert layer["truncated"] is True and len(layer["features"][0]["geometry"]["coordinates"]) == 1


def test_the_roads_endpoint_answers_a_resident_and_names_bad_parameters(client, streets, django_assert_num_queries):
    log_in(client, "resident")
    url = f"/api/v1/facilities/map/roads?bbox={VIEW.south},{VIEW.west},{VIEW.north},{VIEW.east}&zoom=19"
    client.get(url)  # builds the strokes once per process
    with django_assert_num_queries(4):  # session, user, postings, the current network
        answer = client.get(url)
    assert answer.status_code == 200 and answer["Cache-Control"] == "private, max-age=3600"
    assert answer.json()["features"][0]["geometry"]["type"] == "MultiLineString"
    for query, field in (
        ("bbox=1,2,3&zoom=5", "bbox"),
        (f"bbox={VIEW.south},{VIEW.west},{VIEW.north},{VIEW.east}&zoom=x", "zoom"),
    ):
        bad = client.get(f"/api/v1/facilities/map/roads?{query}", HTTP_ACCEPT_LANGUAGE="en")
        assert bad.status_code == 400 and bad.json()["error"]["fields"][0]["field"] == field
        assert f"The parameter {field}" in bad.json()["error"]["message"]
    client.logout()
    assert client.get(url).status_code == 401


def test_suggested_sites_show_the_nearest_address_not_coordinates(client, town, django_capture_on_commit_callbacks):
    log_in(client, "planner")
    form = {"scope_path": "2101", "site_kind": "health_station", "sites": "1", "candidates": "network"}
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post("/staff/facilities/runs/", form)
    page = client.get(answer["Location"]).content.decode()
    table = page[page.index('id="sites-table"') : page.index("</table>", page.index('id="sites-table"'))]
    assert "1号楼" in table and ("水源地社区" in table or "浑河湾社区" in table)
    assert "浑河湾街道" in table
    assert f"{LAT}" not in table and "41.75" not in table


def test_the_warm_up_builds_the_current_networks_strokes(streets):
    selectors._ROAD_LINES.clear()
    selectors.road_lines_warm()
    assert list(selectors._ROAD_LINES) == [str(streets.public_id)]
    assert len(selectors._ROAD_LINES[str(streets.public_id)]) == 1  # one straight street, one stroke
