"""Maps that show a place, offline (issue 12): every map draws the server's own streets (vector,
simplified per zoom) and the demo's approximate community outlines, with no tile server and no
internet; a tapped point snaps to the nearest building and shows its address; the events map
clusters dense points and filters by day and state.

1. The demo grid worker starts at /staff/ on a 390 px phone, opens the report form, sees streets
   on the map, taps next to a building of their grid, reads its address and community, and
   reports the problem.
2. The district admin opens the events map at 1280 px: clusters, a tap on one zooms in, then
   the map is filtered by state and day.
3. The resident's report page and the planner's coverage map and analysis also draw streets.
Each page is checked with axe (0 serious/critical) and screenshotted."""

from __future__ import annotations

import re
import sqlite3
import time
from urllib.parse import parse_qs, urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from test_journeys import BLOCKING_IMPACTS, log_in

pytestmark = pytest.mark.browser


def blocking_violations(page: Page) -> list[str]:
    """axe's serious and critical findings in the page's main part (the maps, forms and tables
    of this slice; the shared header is checked by the portal's own journeys)."""
    results = Axe().run(page, context={"include": [["main"]]})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]


def grid_worker_building(demo_site) -> tuple[float, float, str, str]:
    """A building of the demo grid worker's grid: its position, address and community."""
    with sqlite3.connect(demo_site.data_dir / "linli.sqlite3") as db:
        return db.execute(
            """SELECT b.lat, b.lng, b.address, c.name FROM areas_building b
               JOIN areas_grid g ON g.id = b.grid_id JOIN areas_orgunit c ON c.id = g.community_id
               JOIN accounts_posting p ON p.grid_id = b.grid_id
               JOIN accounts_user u ON u.id = p.user_id
               WHERE u.username = 'demo_grid_worker' ORDER BY b.path LIMIT 1 OFFSET 2"""
        ).fetchone()


def streets_drawn(page: Page, map_selector: str) -> int:
    """How many vector paths of the base layer lie (at least partly) inside the map's box."""
    the_map = page.locator(map_selector)
    expect(the_map).to_have_attribute("data-base-ready", "1", timeout=20_000)
    # the layer drawn is the one made for the zoom the map shows now (not an earlier view's)
    page.wait_for_function(
        "(s) => { const el = document.querySelector(s); return el.dataset.baseZoom == el.linliMap.getZoom(); }",
        arg=map_selector,
        timeout=20_000,
    )
    return page.evaluate(
        """(selector) => {
            const el = document.querySelector(selector);
            const box = el.getBoundingClientRect();
            return [...el.querySelectorAll('.leaflet-linli-base-pane path')].filter((p) => {
                const r = p.getBoundingClientRect();
                return p.getAttribute('d') && p.getAttribute('d').length > 10 &&
                    r.right > box.left && r.left < box.right && r.bottom > box.top && r.top < box.bottom;
            }).length;
        }""",
        map_selector,
    )


def tap_at(page: Page, map_selector: str, lat: float, lng: float) -> None:
    """Tap the map where a WGS-84 position is drawn (Leaflet converts; the test does not guess)."""
    point = page.evaluate(
        """([selector, lat, lng]) => {
            const map = document.querySelector(selector).linliMap;
            map.setView([lat, lng], 17, { animate: false });
            const p = map.latLngToContainerPoint([lat + 0.0002, lng + 0.0002]);
            return { x: Math.round(p.x), y: Math.round(p.y) };
        }""",
        [map_selector, lat, lng],
    )
    page.locator(map_selector).click(position=point)


def test_grid_worker_reports_from_a_phone_on_a_map_with_streets(phone: Page, demo_site, screenshot):
    log_in(phone, "demo_grid_worker", demo_site.password("demo_grid_worker"))
    expect(phone).to_have_url(re.compile(r"/staff/$"))
    report_link = phone.locator("a[href='/staff/grid/report/']").first
    expect(report_link).to_have_count(1)
    phone.goto(report_link.get_attribute("href"))
    expect(phone.locator("#pick-map")).to_be_visible()
    assert streets_drawn(phone, "#pick-map") >= 1  # the streets, not a blank grid
    assert phone.locator("#pick-map .leaflet-tile").count() == 0  # no tile server asked
    lat, lng, address, community = grid_worker_building(demo_site)
    tap_at(phone, "#pick-map", lat, lng)
    picked = phone.locator("#picked")
    expect(picked).to_contain_text(address, timeout=10_000)
    expect(picked).to_contain_text(community)
    assert not re.search(r"\d+\.\d{4,}", picked.inner_text())  # an address, not coordinates
    # the point snapped onto the building, and an empty address field took its address
    assert (phone.locator("#id_lat").input_value(), phone.locator("#id_lng").input_value()) == (
        f"{lat:.6f}",
        f"{lng:.6f}",
    )
    expect(phone.locator("#id_address")).to_have_value(address)
    assert streets_drawn(phone, "#pick-map") >= 1  # still drawn at the closer zoom
    phone.locator("#id_description").fill("楼前路灯不亮，晚上看不清台阶")
    phone.locator("#id_category").select_option(index=1)
    screenshot(phone, "maps-01-grid-report-phone")
    assert blocking_violations(phone) == []
    phone.locator("form.report-form button[type=submit]").click()
    if phone.locator("#id_not_duplicate").count():  # similar events nearby: it is a new one
        phone.locator("#id_not_duplicate").check()
        phone.locator("form.report-form button[type=submit]").click()
    expect(phone).to_have_url(re.compile(r"/staff/grid/events/GE\d{6}-\d{8}-\d{5}/$"))
    assert streets_drawn(phone, "#event-map") >= 1
    screenshot(phone, "maps-02-event-phone")


def test_events_map_clusters_and_filters(desktop: Page, demo_site, screenshot):
    log_in(desktop, "demo_district_admin", demo_site.password("demo_district_admin"))
    expect(desktop).to_have_url(re.compile(r"/staff/$"))
    desktop.goto("/staff/grid/map/")
    the_map = desktop.locator("#events-map")
    expect(the_map).to_have_attribute("data-ready", "1", timeout=20_000)
    everything = int(the_map.get_attribute("data-count"))
    assert everything > 50
    clusters = desktop.locator("#events-map .map-cluster")
    expect(clusters.first).to_be_visible()
    before = int(the_map.get_attribute("data-clusters"))
    assert before >= 1
    assert streets_drawn(desktop, "#events-map") >= 1
    expect(desktop.locator("#events-map .map-note")).to_contain_text("示意范围，非法定边界")
    screenshot(desktop, "maps-03-events-clustered")
    # a tap on the biggest cluster zooms in to its events
    zoom = desktop.evaluate("document.querySelector('#events-map').linliMap.getZoom()")
    clusters.first.click()
    # a function, not an expression string: polling an expression string needs eval, which the CSP forbids
    desktop.wait_for_function("(z) => document.querySelector('#events-map').linliMap.getZoom() > z", arg=zoom)
    assert blocking_violations(desktop) == []
    # filtered by state (its Chinese name) and day
    desktop.locator("#id_state").select_option(label="已结案")
    desktop.locator("#id_since").fill("2020-01-01")
    desktop.get_by_role("button", name="显示").click()
    expect(desktop).to_have_url(re.compile(r"state=closed"))
    expect(the_map).to_have_attribute("data-ready", "1", timeout=20_000)
    closed = int(the_map.get_attribute("data-count"))
    assert 0 < closed < everything
    points_url = the_map.get_attribute("data-points")
    assert parse_qs(urlparse(points_url).query) == {"since": ["2020-01-01"], "state": ["closed"]}
    points = desktop.request.get(points_url).json()
    assert len(points) == closed and {p["state_name"] for p in points} == {"已结案"}
    expect(desktop.locator("#id_state")).to_have_value("closed")
    screenshot(desktop, "maps-04-events-filtered")
    page_text = desktop.content()
    assert "LINLI_" not in page_text


def test_resident_and_planner_maps_draw_streets(phone: Page, desktop: Page, demo_site, screenshot):
    phone.goto("/login/")
    phone.locator("#id_username").fill("demo_resident")
    phone.locator("#id_password").fill(demo_site.password("demo_resident"))
    phone.locator("main form button[type=submit]").click()
    phone.goto("/report/")
    assert streets_drawn(phone, "#pick-map") >= 1
    centre = phone.evaluate(
        "(() => { const c = document.querySelector('#pick-map').linliMap.getCenter(); return [c.lat, c.lng]; })()"
    )
    tap_at(phone, "#pick-map", centre[0], centre[1])
    expect(phone.locator("#picked")).not_to_contain_text("正在查找", timeout=10_000)
    assert not re.search(r"\d+\.\d{4,}", phone.locator("#picked").inner_text())
    screenshot(phone, "maps-05-resident-report-phone")
    assert blocking_violations(phone) == []
    log_in(desktop, "demo_planner", demo_site.password("demo_planner"))
    desktop.goto("/staff/facilities/map/")
    expect(desktop.locator("#facility-map")).to_have_attribute("data-ready", "1", timeout=30_000)
    assert streets_drawn(desktop, "#facility-map") >= 1
    screenshot(desktop, "maps-06-coverage-map")
    assert blocking_violations(desktop) == []
    desktop.goto("/staff/facilities/runs/")
    run_link = desktop.locator("a[href*='/staff/facilities/runs/0']").first
    desktop.goto(run_link.get_attribute("href"))
    sites = desktop.locator("#sites-table tbody tr")
    expect(sites.first).to_be_visible()
    assert not re.search(r"\b\d{2,3}\.\d{4,}\b", desktop.locator("#sites-table").inner_text())
    expect(sites.first.locator("td").nth(2)).to_have_text(re.compile(r"^\S+ · \S+$"))  # community · street
    screenshot(desktop, "maps-07-run-sites")


def test_a_map_starts_when_its_app_script_arrives_last(desktop: Page, demo_site):
    """The app's map script (deferred after the shared module) may still be downloading when the
    shared module starts the maps: the map must start when the script arrives. A zero timeout once
    lost this race in CI and the coverage map stayed blank."""
    log_in(desktop, "demo_district_admin", demo_site.password("demo_district_admin"))
    expect(desktop).to_have_url(re.compile(r"/staff/$"))

    def late(route):
        time.sleep(0.4)  # the shared module and Leaflet have run by now
        route.continue_()

    desktop.route(re.compile(r".*/static/grid_events/map\.[^/]*js.*"), late)
    desktop.goto("/staff/grid/map/")
    expect(desktop.locator("#events-map")).to_have_attribute("data-ready", "1", timeout=20_000)
    assert desktop.locator("#events-map").get_attribute("data-error") is None
    desktop.unroute(re.compile(r".*/static/grid_events/map\.[^/]*js.*"))
