"""`linli import-roads`, the JSON API and the staff pages of the facilities app."""

import json
import math

import pytest
from django.core.management import CommandError, call_command

from linli.facilities.selectors import network_current
from linli.facilities.tests.conftest import LAT, LNG, node_lng
from linli.testing import log_in

# An OSM file: a footway along the town's street (nodes 0–19), and a motorway shortcut that
# walkers may not take; the footway's nodes are the town's lattice.
OSM_NODES = "\n".join(f'  <node id="{i + 1}" version="1" lat="{LAT}" lon="{node_lng(i):.9f}"/>' for i in range(20))
OSM = f"""<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="test">
{OSM_NODES}
  <node id="100" version="1" lat="{LAT + 0.001}" lon="{node_lng(5):.9f}"/>
  <way id="1" version="1">{"".join(f'<nd ref="{i + 1}"/>' for i in range(20))}<tag k="highway" v="footway"/></way>
  <way id="2" version="1"><nd ref="1"/><nd ref="100"/><nd ref="20"/><tag k="highway" v="motorway"/></way>
</osm>
"""


def test_import_roads_reads_osm_and_keeps_walkable_ways(town, tmp_path, capsys):
    path = tmp_path / "town.osm"
    path.write_text(OSM, encoding="utf-8")
    call_command("import_roads", str(path), "--name", "小城路网")
    network = network_current()
    # 19 footway segments of 100 m, each split in two (a node every 50 m at most); no motorway
    assert (network.name, network.source, network.nodes, network.edges, network.components) == (
        "小城路网",
        "osm",
        39,
        38,
        1,
    )
    printed = capsys.readouterr().out
    assert "38" in printed and "highway=motorway 1" in printed


def test_import_roads_refuses_what_is_not_a_road_file(town, tmp_path):
    before = network_current().pk
    csv = tmp_path / "roads.osm"
    csv.write_text("name,lat,lng\n中山路,41.7,123.4\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("import_roads", str(csv))
    assert "OSM" in str(caught.value) and "GeoJSON" in str(caught.value)
    with pytest.raises(CommandError):
        call_command("import_roads", str(tmp_path / "missing.osm.pbf"))
    far = tmp_path / "beijing.geojson"
    far.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {"type": "LineString", "coordinates": [[116.4, 39.9], [116.41, 39.9]]},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(CommandError):
        call_command("import_roads", str(far))
    assert network_current().pk == before


# ---- API


@pytest.fixture
def api(client, town):
    def login(name):
        log_in(client, name)
        return client

    return login


BODY = {
    "kind": "kindergarten",
    "name": "新幼儿园",
    "unit": "210102001003",
    "lat": LAT,
    "lng": LNG,
    "floor_area_m2": "1600",
}


def test_api_registers_lists_and_updates(api):
    client = api("planner")
    created = client.post(
        "/api/v1/facilities/facilities", BODY, content_type="application/json", headers={"Idempotency-Key": "k-1"}
    )
    assert created.status_code == 201, created.content
    again = client.post(
        "/api/v1/facilities/facilities", BODY, content_type="application/json", headers={"Idempotency-Key": "k-1"}
    )
    assert again.json()["id"] == created.json()["id"]
    listed = client.get("/api/v1/facilities/facilities?kind=kindergarten").json()
    assert (listed["count"], listed["items"][0]["name"]) == (1, "新幼儿园")
    public_id = created.json()["id"]
    updated = client.put(
        f"/api/v1/facilities/facilities/{public_id}", {**BODY, "name": "改名幼儿园"}, content_type="application/json"
    )
    assert (updated.status_code, updated.json()["name"]) == (200, "改名幼儿园")


def test_api_names_every_bad_field(api):
    answer = api("planner").post(
        "/api/v1/facilities/facilities",
        {**BODY, "floor_area_m2": "-1", "lat": 10.0},
        content_type="application/json",
    )
    assert answer.status_code == 422
    fields = {f["field"] for f in answer.json()["error"]["fields"]}
    assert fields == {"floor_area_m2", "lat"}


def test_api_scope(api, town):
    binhe = town["facilities"]["centre_binhe"].public_id
    officer = api("street_officer")
    assert officer.get(f"/api/v1/facilities/facilities/{binhe}").status_code == 404
    assert officer.post("/api/v1/facilities/facilities", BODY, content_type="application/json").status_code == 403
    compliance = officer.get("/api/v1/facilities/compliance").json()
    assert compliance["area"] == "210102001"
    assert {r["path"] for r in compliance["communities"]} == {"210102001002", "210102001003"}
    assert officer.get("/api/v1/facilities/compliance?under=210103").json()["area"] == "210102001"


def test_api_runs(api, django_capture_on_commit_callbacks):
    client = api("district_planner")
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            "/api/v1/facilities/runs", {"site_kind": "health_station", "sites": 1}, content_type="application/json"
        )
    assert started.status_code == 202, started.content
    run = client.get(f"/api/v1/facilities/runs/{started.json()['id']}").json()
    assert (run["status"], run["area"], run["figures"]["siting"]["newly_covered"]) == ("done", "210102", 4)
    buildings = client.get(f"/api/v1/facilities/runs/{run['id']}/buildings?kind=health_station").json()
    assert sorted(b["covered"] for b in buildings) == [False, False, True, True]
    bad = client.post("/api/v1/facilities/runs", {"sites": 0}, content_type="application/json")
    assert bad.status_code == 422


def test_api_refuses_anonymous_and_residents(client, town):
    assert client.get("/api/v1/facilities/facilities").status_code in (401, 403)
    log_in(client, "resident")
    assert client.get("/api/v1/facilities/facilities").json()["count"] == 0
    assert client.get("/api/v1/facilities/compliance").status_code == 404
    assert client.get("/api/v1/facilities/networks").json() == []


# ---- pages


PAGES = [
    "/staff/facilities/",
    "/staff/facilities/new/",
    "/staff/facilities/import/",
    "/staff/facilities/compliance/",
    "/staff/facilities/map/",
    "/staff/facilities/runs/",
    "/staff/facilities/kinds/",
]


@pytest.mark.parametrize("url", PAGES)
def test_pages_open_for_the_planner(client, town, url):
    log_in(client, "planner")
    assert client.get(url).status_code == 200


def test_pages_are_not_there_for_those_without_the_permission(client, town):
    log_in(client, "community_worker")
    assert [client.get(url).status_code for url in PAGES] == [404] * len(PAGES)
    log_in(client, "street_officer")
    assert client.get("/staff/facilities/").status_code == 200
    assert client.get("/staff/facilities/new/").status_code == 404


def test_registry_page_query_count_does_not_grow_with_rows(client, town, django_assert_max_num_queries):
    log_in(client, "planner")
    with django_assert_max_num_queries(12):
        page = client.get("/staff/facilities/")
    assert page.content.decode().count("<tr>") == 1 + 6


def test_the_form_saves_and_shows_errors(client, town):
    log_in(client, "planner")
    form = {**BODY, "coordinates": "wgs84", "status": "open", "floor_area_m2": "-3"}
    answer = client.post("/staff/facilities/new/", form)
    assert answer.status_code == 200 and "建筑面积必填" in answer.content.decode()
    answer = client.post("/staff/facilities/new/", {**form, "floor_area_m2": "1600"})
    assert answer.status_code == 302


def test_compliance_page_and_export(client, town):
    log_in(client, "planner")
    city = client.get("/staff/facilities/compliance/").content.decode()
    assert 'id="district-table"' in city and 'id="street-table"' not in city and 'id="area-table"' not in city
    district = client.get("/staff/facilities/compliance/?under=210102").content.decode()
    assert 'id="street-table"' in district and 'id="area-table"' in district
    street = client.get("/staff/facilities/compliance/?under=210102001").content.decode()
    assert "水源地社区" in street and 'id="area-table"' in street
    export = client.get("/staff/facilities/compliance/?under=210102&format=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert export.content[:4] == b"PK\x03\x04"


def test_starting_a_run_from_the_page(client, town, django_capture_on_commit_callbacks):
    log_in(client, "planner")
    form = {"scope_path": "2101", "site_kind": "health_station", "sites": "1", "candidates": "network"}
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post("/staff/facilities/runs/", form)
    assert answer.status_code == 302
    page = client.get(answer["Location"]).content.decode()
    assert 'id="coverage-table"' in page and 'id="sites-table"' in page
    export = client.get(answer["Location"] + "?format=xlsx")
    assert export.content[:4] == b"PK\x03\x04"
    assert math.isfinite(len(export.content))


def test_a_run_is_compared_with_the_previous_run_of_its_area(client, town, django_capture_on_commit_callbacks):
    from linli.facilities.tests.conftest import facility

    log_in(client, "planner")
    form = {"scope_path": "2101", "site_kind": "", "sites": "1", "candidates": "network"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/staff/facilities/runs/", form)
    facility("health_station", "210102001003", 13, 120)  # now B3 (node 12) has one 100 m away
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post("/staff/facilities/runs/", form)
    page = client.get(second["Location"]).content.decode()
    row = page.split("社区卫生服务站")[1].split("</tr>")[0]
    # 5 → 9 of 10 residents within 300 m: 50 % → 90 %, forty points up
    assert "90 %" in row and '<span class="change-up">+40 %</span>' in row


def _island(html: str, chart_id: str) -> dict:
    return json.loads(html.split(f'id="{chart_id}-data" type="application/json">')[1].split("</script>")[0])


def test_the_city_summarises_per_district_first(client, town, django_assert_max_num_queries):
    """和平区: 水源地 meets, 浑河湾 nearly, 集贤 short; 沈河区: 前进村 (rural) and 滨河 (800 m²) meet.
    The city lists no street or community; each district's page lists its short-hours facilities,
    and the city's count is their sum."""
    log_in(client, "planner")
    client.get("/staff/facilities/compliance/")  # warms the per-process memos, as a server has them
    with django_assert_max_num_queries(17):
        city = client.get("/staff/facilities/compliance/").content.decode()
    chart = _island(city, "compliance-chart")
    assert chart["kind"] == "stack" and chart["categories"] == ["和平区", "沈河区"]
    assert [s["values"] for s in chart["series"]] == [[1, 2], [1, 0], [1, 0]]
    table = city.split('id="compliance-chart-caption"')[1].split("</table>")[0]
    assert '<th scope="row">和平区</th><td class="num">1</td><td class="num">1</td><td class="num">1</td>' in table
    assert "水源地社区" not in city and 'id="hours-table"' not in city
    listed = 0
    for district in ("210102", "210103"):
        page = client.get(f"/staff/facilities/compliance/?under={district}").content.decode()
        listed += (
            page.split('id="hours-table"')[1].split("</table>")[0].count("<tr>") - 1 if "hours-table" in page else 0
        )
    assert listed >= 1 and (f"{listed} 个设施" in city or f"{listed} facilities" in city)


def test_a_street_charts_each_community_against_its_requirement(client, town):
    log_in(client, "planner")
    chart = _island(client.get("/staff/facilities/compliance/?under=210102001").content.decode(), "compliance-chart")
    assert chart["categories"] == ["水源地社区", "浑河湾社区"]
    assert chart["series"][0]["values"] == [650, 500] and chart["series"][1]["values"][0] >= 600
