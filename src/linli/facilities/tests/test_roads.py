"""Road files (OSM XML and PBF, GeoJSON), their refusals, the stored blob and the synthetic
network, on small inputs whose answers are checked by hand. No database."""

import bz2
import gzip
import io
import json
import math

import numpy as np
import osmium
import pytest
from osmium.osm import mutable
from scipy.sparse.csgraph import connected_components

from linli.core.geo import gcj02_to_wgs84
from linli.facilities.coverage import nearest_distances
from linli.facilities.roads import (
    RoadData,
    RoadFileError,
    read_road_file,
    synthetic_network,
    walkable_reason,
)

M = 1 / 111_194.93  # degrees of latitude per metre (haversine on the same sphere)
LAT0, LNG0 = 41.8, 123.4
E = M / math.cos(math.radians(LAT0))  # degrees of longitude per metre at LAT0

# A small town, metres east/north of (LAT0, LNG0):
#
#   3 ---- 8          1–2–3 footway north, 2–4 residential east, 4–8 private service but
#   |      |          foot=yes, 3–8 footway; 4–5 motorway, 1–8 footway with foot=no,
#   2 ---- 4 == 5     4–7 private service, 2–6 a pedestrian area, 8–99 a path whose node 99 is
#   |                 missing from the file, 1–3 a building (no highway): all left out.
#   1
NODES = {1: (0, 0), 2: (0, 100), 3: (0, 200), 4: (100, 100), 5: (200, 100), 6: (-50, 150), 7: (100, 0), 8: (100, 200)}
WAYS = [
    (100, [1, 2, 3], {"highway": "footway"}),
    (101, [2, 4], {"highway": "residential", "name": "幸福路"}),
    (102, [4, 5], {"highway": "motorway"}),
    (103, [1, 8], {"highway": "footway", "foot": "no"}),
    (104, [4, 7], {"highway": "service", "access": "private"}),
    (105, [4, 8], {"highway": "service", "access": "private", "foot": "yes"}),
    (106, [1, 3], {"building": "yes"}),
    (107, [2, 6, 3, 2], {"highway": "pedestrian", "area": "yes"}),
    (108, [3, 8], {"highway": "footway"}),
    (109, [8, 99], {"highway": "path"}),
]
KEPT_IDS = [1, 2, 3, 4, 8]  # node order in RoadData: by OSM id


def position(node_id: int) -> tuple[float, float]:
    east, north = NODES[node_id]
    return LAT0 + north * M, LNG0 + east * E


def write_osm(path) -> None:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="test">']
    for node_id in NODES:
        lat, lng = position(node_id)
        lines.append(f'  <node id="{node_id}" version="1" lat="{lat:.7f}" lon="{lng:.7f}"/>')
    for way_id, refs, tags in WAYS:
        lines.append(f'  <way id="{way_id}" version="1">')
        lines += [f'    <nd ref="{ref}"/>' for ref in refs]
        lines += [f'    <tag k="{k}" v="{v}"/>' for k, v in tags.items()]
        lines.append("  </way>")
    lines.append("</osm>")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_pbf(path) -> None:
    writer = osmium.SimpleWriter(str(path), overwrite=True)
    try:
        for node_id in NODES:
            lat, lng = position(node_id)
            writer.add_node(mutable.Node(id=node_id, version=1, location=(round(lng, 7), round(lat, 7))))
        for way_id, refs, tags in WAYS:
            writer.add_way(mutable.Way(id=way_id, version=1, nodes=refs, tags=tags))
    finally:
        writer.close()


def edges_by_id(roads: RoadData) -> dict[tuple[int, int], float]:
    ids = np.array(KEPT_IDS)
    return {
        (int(ids[a]), int(ids[b])): float(length) for (a, b), length in zip(roads.pairs, roads.lengths, strict=True)
    }


def check_town(roads: RoadData) -> None:
    assert roads.source == "osm"
    assert roads.nodes == 5 and roads.components == 1
    edges = edges_by_id(roads)
    assert set(edges) == {(1, 2), (2, 3), (2, 4), (3, 8), (4, 8)}
    assert all(abs(length - 100.0) < 0.03 for length in edges.values())
    for index, node_id in enumerate(KEPT_IDS):
        lat, lng = position(node_id)
        assert roads.lat[index] == pytest.approx(lat, abs=1e-7) and roads.lng[index] == pytest.approx(lng, abs=1e-7)
    assert roads.ways_read == 9  # ways with a highway tag; the building is not a road
    assert roads.skipped == {
        "access=private": 1,
        "area=yes": 1,
        "foot=no": 1,
        "highway=motorway": 1,
        "no located segment": 1,
    }
    assert roads.ways_skipped == 5 and roads.vertices_missing == 1


# --- OSM -------------------------------------------------------------------------------------


def test_osm_xml_keeps_walkable_ways_split_at_vertices_with_shared_nodes_merged(tmp_path):
    path = tmp_path / "town.osm"
    write_osm(path)
    check_town(read_road_file(path))


def test_osm_pbf_reads_the_same_as_xml(tmp_path):
    write_osm(tmp_path / "town.osm")
    write_pbf(tmp_path / "town.osm.pbf")
    xml, pbf = read_road_file(tmp_path / "town.osm"), read_road_file(tmp_path / "town.osm.pbf")
    check_town(pbf)
    assert np.array_equal(xml.lat, pbf.lat) and np.array_equal(xml.lng, pbf.lng)
    assert np.array_equal(xml.pairs, pbf.pairs) and np.array_equal(xml.lengths, pbf.lengths)


def test_content_decides_not_the_name_and_compressed_xml_is_read(tmp_path):
    write_osm(tmp_path / "town.osm")
    raw = (tmp_path / "town.osm").read_bytes()
    (tmp_path / "town.geojson").write_bytes(raw)  # misnamed
    (tmp_path / "town.osm.gz").write_bytes(gzip.compress(raw))
    (tmp_path / "town.osm.bz2").write_bytes(bz2.compress(raw))
    for name in ("town.geojson", "town.osm.gz", "town.osm.bz2"):
        check_town(read_road_file(tmp_path / name))


def test_end_to_end_shortest_walk_avoids_excluded_ways(tmp_path):
    path = tmp_path / "town.osm"
    write_osm(path)
    network = read_road_file(path).network()
    home, shop = KEPT_IDS.index(1), KEPT_IDS.index(8)
    # 1→8 is 141 m across the foot=no way, 300 m on foot via 2 and 3 (or 2 and 4)
    distances = nearest_distances(network, np.array([shop]), limit_m=1000)
    assert distances[home] == pytest.approx(300.0, abs=0.1)
    assert distances[KEPT_IDS.index(2)] == pytest.approx(200.0, abs=0.1)
    node, offset = network.snap([position(1)[0] + 10 * M], [position(1)[1]])
    assert node[0] == home and offset[0] == pytest.approx(10.0, abs=0.05)


@pytest.mark.parametrize(
    ("tags", "reason"),
    [
        ({"highway": "footway"}, None),
        ({"highway": "cycleway"}, None),
        ({"highway": "trunk"}, None),
        ({"highway": "steps"}, None),
        ({"highway": "motorway_link"}, "highway=motorway_link"),
        ({"highway": "construction"}, "highway=construction"),
        ({"highway": "cycleway", "foot": "no"}, "foot=no"),
        ({"highway": "service", "access": "no"}, "access=no"),
        ({"highway": "service", "access": "private", "foot": "designated"}, None),
        ({"highway": "trunk", "motorroad": "yes"}, "motorroad=yes"),
        ({"highway": "pedestrian", "area": "yes"}, "area=yes"),
        ({}, "highway=None"),
    ],
)
def test_walkable_rules(tags, reason):
    assert walkable_reason(tags) == reason


def test_bounds_drop_edges_leaving_the_box_and_refuse_a_file_wholly_outside(tmp_path):
    path = tmp_path / "town.osm"
    write_osm(path)
    north_of_150m = (LAT0 + 150 * M, LNG0 - 0.01, LAT0 + 0.01, LNG0 + 0.01)  # keeps nodes 3 and 8
    roads = read_road_file(path, bounds=north_of_150m)
    assert roads.nodes == 2 and roads.edges == 1 and roads.edges_outside == 4
    with pytest.raises(RoadFileError, match=r"all 5 nodes lie outside the city's box"):
        read_road_file(path, bounds=(LAT0 + 1, LNG0 + 1, LAT0 + 2, LNG0 + 2))


def test_broken_osm_xml_is_refused_naming_the_line(tmp_path):
    path = tmp_path / "broken.osm"
    path.write_text('<?xml version="1.0"?>\n<osm version="0.6">\n<node id="1" lat="41.8" lon=123.4/>\n</osm>\n')
    with pytest.raises(RoadFileError, match=r"line 3"):
        read_road_file(path)


# --- GeoJSON ---------------------------------------------------------------------------------


def feature(geometry: dict, **properties) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def lnglat(east: float, north: float) -> list[float]:
    return [round(LNG0 + east * E, 7), round(LAT0 + north * M, 7)]


def write_geojson(path, features: list) -> None:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, indent=1), encoding="utf-8")


def test_geojson_lines_touching_at_shared_vertices_are_one_network(tmp_path):
    path = tmp_path / "roads.geojson"
    write_geojson(
        path,
        [
            feature({"type": "LineString", "coordinates": [lnglat(0, 0), lnglat(0, 100), lnglat(0, 200)]}),
            feature({"type": "LineString", "coordinates": [lnglat(0, 100), lnglat(100, 100)]}),  # touches at (0, 100)
            feature(
                {
                    "type": "MultiLineString",
                    "coordinates": [
                        [lnglat(100, 100), lnglat(100, 200)],  # touches the second line
                        [lnglat(300, 0), lnglat(300, 50)],  # a separate stub
                    ],
                }
            ),
            feature({"type": "Point", "coordinates": lnglat(5, 5)}, name="公交站"),
            feature({"type": "LineString", "coordinates": [lnglat(0, 0), lnglat(-100, 0)]}, highway="motorway"),
        ],
    )
    roads = read_road_file(path)
    assert roads.source == "geojson"
    assert roads.nodes == 7 and roads.edges == 5 and roads.components == 2
    assert sorted(np.round(roads.lengths, 1)) == [50.0, 100.0, 100.0, 100.0, 100.0]
    assert roads.ways_read == 5 and roads.skipped == {"Point (not a line)": 1, "highway=motorway": 1}
    network = roads.network()
    (start, end), _ = network.snap([LAT0, LAT0 + 200 * M], [LNG0, LNG0 + 100 * E])
    assert nearest_distances(network, np.array([end]), 1000)[start] == pytest.approx(300.0, abs=0.1)


def test_geojson_gcj02_is_converted_to_wgs84(tmp_path):
    path = tmp_path / "amap.geojson"
    coordinates = [lnglat(0, 0), lnglat(0, 100)]
    write_geojson(path, [feature({"type": "LineString", "coordinates": coordinates})])
    plain, converted = read_road_file(path), read_road_file(path, gcj02=True)
    for index, (lng, lat) in enumerate(coordinates):
        expected = gcj02_to_wgs84(lat, lng)
        assert (converted.lat[index], converted.lng[index]) == pytest.approx(expected, abs=1e-9)
        assert (plain.lat[index], plain.lng[index]) == pytest.approx((lat, lng), abs=1e-9)
    # in Shenyang GCJ-02 is a few hundred metres off WGS-84
    shift_m = math.hypot((plain.lat[0] - converted.lat[0]) / M, (plain.lng[0] - converted.lng[0]) / E)
    assert 100 < shift_m < 800
    assert converted.lengths[0] == pytest.approx(100.0, abs=0.5)


def test_bare_geometry_and_single_feature_are_read(tmp_path):
    line = {"type": "LineString", "coordinates": [lnglat(0, 0), lnglat(0, 100)]}
    (tmp_path / "a.json").write_text(json.dumps(line))
    (tmp_path / "b.json").write_text(json.dumps(feature(line)))
    assert read_road_file(tmp_path / "a.json").edges == 1
    assert read_road_file(tmp_path / "b.json").edges == 1


# --- refusals --------------------------------------------------------------------------------


def refused(path, **kwargs) -> str:
    with pytest.raises(RoadFileError) as caught:
        read_road_file(path, **kwargs)
    message = str(caught.value)
    assert " / " in message  # 中文 / English
    return message


def test_a_csv_renamed_osm_is_refused(tmp_path):
    path = tmp_path / "roads.osm"
    path.write_text("name,lat,lng\n幸福路,41.8,123.4\n", encoding="utf-8")
    message = refused(path)
    assert "neither OSM (PBF or XML) nor GeoJSON" in message and "name,lat,lng" in message


@pytest.mark.parametrize(
    ("content", "looks"),
    [(b"\x89PNG\r\n\x1a\n" + bytes(100), "a PNG image"), (b"PK\x03\x04" + bytes(100), "a ZIP archive")],
)
def test_images_and_archives_are_refused(tmp_path, content, looks):
    path = tmp_path / "roads.osm.pbf"
    path.write_bytes(content)
    message = refused(path)
    assert message.startswith("这不是路网文件") and looks in message


def test_xml_that_is_not_osm_is_refused(tmp_path):
    path = tmp_path / "track.osm"
    path.write_text('<?xml version="1.0"?>\n<!-- a track -->\n<gpx version="1.1"><trk/></gpx>\n')
    assert "root element <gpx>" in refused(path)


def test_invalid_json_is_refused_naming_the_line(tmp_path):
    path = tmp_path / "roads.geojson"
    path.write_text('{\n  "type": "FeatureCollection",\n  "features": [,]\n}\n')
    message = refused(path)
    assert "第 3 行" in message and "line 3, column" in message


def test_geojson_with_only_points_is_refused(tmp_path):
    path = tmp_path / "pois.geojson"
    write_geojson(path, [feature({"type": "Point", "coordinates": lnglat(i, i)}) for i in range(3)])
    message = refused(path)
    assert "no usable LineString/MultiLineString" in message and "Point (not a line) 3" in message


def test_geojson_coordinates_out_of_range_are_refused_naming_feature_and_position(tmp_path):
    path = tmp_path / "swapped.geojson"
    good = feature({"type": "LineString", "coordinates": [lnglat(0, 0), lnglat(0, 100)]})
    swapped = feature({"type": "LineString", "coordinates": [[41.8, 123.4], [41.801, 123.4]]})
    write_geojson(path, [good, swapped])
    message = refused(path)
    assert "feature 2 (features[1]), position 1" in message and "[lng, lat]" in message
    multi = feature(
        {
            "type": "MultiLineString",
            "coordinates": [[lnglat(0, 0), lnglat(0, 100)], [lnglat(0, 0), lnglat(9, 9), [200, 41]]],
        }
    )
    write_geojson(path, [good, good, multi])
    assert "feature 3 (features[2]), line 2, position 3: [200, 41]" in refused(path)
    write_geojson(path, [good, feature({"type": "LineString", "coordinates": [[123.4, "north"]]})])
    assert "feature 2 (features[1]): coordinates are not a list of [lng, lat] positions" in refused(path)


def test_json_that_is_not_geojson_is_refused(tmp_path):
    path = tmp_path / "data.json"
    path.write_text('{"rows": [1, 2, 3]}')
    assert "not GeoJSON" in refused(path)


@pytest.mark.parametrize("content", [b"", b"  \n\n"])
def test_an_empty_file_is_refused(tmp_path, content):
    path = tmp_path / "empty.osm"
    path.write_bytes(content)
    assert "the file is empty" in refused(path)


def test_a_file_with_no_walkable_road_is_refused(tmp_path):
    path = tmp_path / "motorway.osm"
    path.write_text(
        '<?xml version="1.0"?>\n<osm version="0.6">\n'
        '<node id="1" lat="41.8" lon="123.4"/><node id="2" lat="41.801" lon="123.4"/>\n'
        '<way id="1"><nd ref="1"/><nd ref="2"/><tag k="highway" v="motorway"/></way>\n</osm>\n'
    )
    message = refused(path)
    assert "no walkable road" in message and "highway=motorway 1" in message


def test_a_missing_file_is_refused(tmp_path):
    assert "cannot open the file" in refused(tmp_path / "nowhere.osm")


# --- the stored blob -------------------------------------------------------------------------


def test_to_bytes_from_bytes_roundtrip(tmp_path):
    path = tmp_path / "town.osm"
    write_osm(path)
    roads = read_road_file(path)
    back = RoadData.from_bytes(roads.to_bytes())
    assert np.array_equal(back.lat, roads.lat) and np.array_equal(back.lng, roads.lng)
    assert np.array_equal(back.pairs, roads.pairs) and np.array_equal(back.lengths, roads.lengths)
    assert back.pairs.dtype == np.int64
    assert back.summary() == roads.summary()
    check_town(back)


def npz(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "blob",
    [
        b"",
        b"not a road network",
        b"\x89PNG\r\n\x1a\n" + bytes(64),
        b"PK\x03\x04" + bytes(64),  # a damaged zip
        npz(x=np.arange(3)),  # someone else's archive
        npz(
            format_version=np.array(1),
            meta=np.array('{"format": "other"}'),
            lat=np.zeros(1),
            lng=np.zeros(1),
            pairs=np.zeros((0, 2), np.int64),
            lengths=np.zeros(0),
        ),
    ],
)
def test_from_bytes_refuses_foreign_bytes(blob):
    with pytest.raises(RoadFileError, match="not a road network saved by Linli"):
        RoadData.from_bytes(blob)


def test_from_bytes_refuses_another_version_and_damage(tmp_path):
    arrays = {
        "meta": np.array(json.dumps({"format": "linli-roads"})),
        "lat": np.zeros(2),
        "lng": np.zeros(2),
        "lengths": np.ones(1),
    }
    with pytest.raises(RoadFileError, match="version 99"):
        RoadData.from_bytes(npz(format_version=np.array(99), pairs=np.array([[0, 1]]), **arrays))
    with pytest.raises(RoadFileError, match="damaged"):
        RoadData.from_bytes(npz(format_version=np.array(1), pairs=np.array([[0, 5]]), **arrays))


# --- synthetic networks ----------------------------------------------------------------------


def scatter(centre_lat: float, centre_lng: float, radius_m: float, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    distance = radius_m * np.sqrt(rng.random(n))
    angle = rng.uniform(0, 2 * math.pi, n)
    return (
        centre_lat + distance * np.sin(angle) * M,
        centre_lng + distance * np.cos(angle) * M / math.cos(math.radians(centre_lat)),
    )


def test_synthetic_network_is_deterministic():
    lat, lng = scatter(LAT0, LNG0, 250, 200, seed=1)
    first, second = synthetic_network(lat, lng), synthetic_network(lat[::-1], lng[::-1])
    assert np.array_equal(first.lat, second.lat) and np.array_equal(first.lng, second.lng)
    assert np.array_equal(first.pairs, second.pairs) and np.array_equal(first.lengths, second.lengths)
    other_seed = synthetic_network(lat, lng, seed=7)
    assert other_seed.nodes == first.nodes and not np.array_equal(other_seed.lat, first.lat)


def test_synthetic_network_covers_every_point_and_has_the_expected_size():
    lat, lng = scatter(LAT0, LNG0, 250, 300, seed=2)
    roads = synthetic_network(lat, lng)
    assert roads.source == "synthetic"
    # lattice nodes within 600 m of a disc of radius 250 m: about π·(850/110)² ≈ 188
    assert 150 <= roads.nodes <= 220
    # 4-neighbour streets (≈ 2 per node less the rim), 8 % dropped, a few diagonals
    assert 1.6 * roads.nodes <= roads.edges <= 2.1 * roads.nodes
    assert np.all((roads.lengths > 110 * 0.65) & (roads.lengths < 110 * 1.45 * math.sqrt(2)))
    _, offset = roads.network().snap(lat, lng)
    assert offset.max() <= 110
    assert roads.components == 1


def test_synthetic_network_is_one_connected_part_per_cluster_and_stable_per_cell():
    near_lat, near_lng = scatter(LAT0, LNG0, 250, 100, seed=3)
    far_lat, far_lng = scatter(LAT0 + 0.2, LNG0 + 0.2, 250, 100, seed=4)  # ~28 km away
    alone = synthetic_network(near_lat, near_lng)
    both = synthetic_network(np.concatenate([near_lat, far_lat]), np.concatenate([near_lng, far_lng]))
    assert both.components == 2
    network = both.network()
    labels = connected_components(network.graph)[1]
    near_nodes, _ = network.snap(near_lat, near_lng)
    far_nodes, _ = network.snap(far_lat, far_lng)
    assert len(set(labels[near_nodes])) == 1 and len(set(labels[far_nodes])) == 1
    assert labels[near_nodes[0]] != labels[far_nodes[0]]
    # the near town's streets do not move because another town appeared
    near = both.lat < LAT0 + 0.1
    assert np.array_equal(both.lat[near], alone.lat) and np.array_equal(both.lng[near], alone.lng)


def test_synthetic_network_never_leaves_a_node_alone_even_when_dropping_most_streets():
    lat, lng = scatter(LAT0, LNG0, 250, 100, seed=5)
    roads = synthetic_network(lat, lng, drop_share=0.9)
    assert roads.components == 1
    degree = np.bincount(roads.pairs.ravel(), minlength=roads.nodes)
    assert degree.min() >= 1


def test_synthetic_network_ignores_missing_positions_and_refuses_none():
    lat, lng = scatter(LAT0, LNG0, 100, 20, seed=6)
    with_gaps = synthetic_network(np.append(lat, np.nan), np.append(lng, np.nan))
    assert with_gaps.nodes == synthetic_network(lat, lng).nodes
    with pytest.raises(RoadFileError, match="no valid position"):
        synthetic_network([np.nan], [np.nan])


def test_synthetic_network_roundtrips_through_bytes():
    lat, lng = scatter(LAT0, LNG0, 250, 50, seed=8)
    roads = synthetic_network(lat, lng)
    back = RoadData.from_bytes(roads.to_bytes())
    assert np.array_equal(back.pairs, roads.pairs) and back.source == "synthetic" and back.components == 1


def test_long_segments_are_split_into_equal_pieces():
    from linli.facilities.roads import densify

    lat = np.array([41.8, 41.8, 41.8])
    lng = np.array([123.4, 123.4012, 123.40133])
    pairs = np.array([[0, 1], [1, 2]])
    lengths = np.array([120.0, 11.0])
    lat2, lng2, pairs2, lengths2 = densify(lat, lng, pairs, lengths, max_m=50)
    # 120 m → three pieces of 40 m through two new nodes a third and two thirds of the way
    assert len(lat2) == 5 and np.allclose(lng2[3:], [123.4004, 123.4008])
    assert sorted(map(tuple, pairs2.tolist())) == [(0, 3), (1, 2), (3, 4), (4, 1)]
    assert sorted(lengths2.tolist()) == [11.0, 40.0, 40.0, 40.0]
    assert densify(lat, lng, pairs, np.array([50.0, 11.0]), max_m=50)[2] is pairs  # nothing to split
