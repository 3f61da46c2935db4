"""Facilities and the 15-minute life circle in a real browser, on the demo city: the planner keeps
the registry (a bad area refused, then saved; a spreadsheet with a bad row), reads the standards
per street and community, starts an analysis with suggested sites and reads it on the map; a
street officer reads their street on a phone."""

from __future__ import annotations

import re
import sqlite3

import pytest
from playwright.sync_api import Page, expect
from test_grid_events import staff
from test_journeys import blocking_violations

from linli.core.sheets import Sheet, workbook
from linli.facilities.domain import REGISTRY_COLUMNS

pytestmark = pytest.mark.browser


def showcase_building(demo_site) -> tuple[str, float, float]:
    """The demo community worker's community and its first positioned building."""
    with sqlite3.connect(demo_site.data_dir / "linli.sqlite3") as db:
        community = db.execute(
            """SELECT o.path FROM areas_orgunit o JOIN accounts_posting p ON p.org_unit_id = o.id
               JOIN accounts_user u ON u.id = p.user_id WHERE u.username = 'demo_community_worker'"""
        ).fetchone()[0]
        lat, lng = db.execute(
            "SELECT lat, lng FROM areas_building WHERE path LIKE ? AND lat IS NOT NULL ORDER BY path LIMIT 1",
            (community + "%",),
        ).fetchone()
    return community, lat, lng


def test_planner_registry_standards_analysis_and_map(desktop: Page, demo_site, screenshot, tmp_path):
    page = staff(desktop, demo_site, "demo_planner")
    community, lat, lng = showcase_building(demo_site)

    page.goto("/staff/facilities/")
    expect(page.locator("table.grid-table tbody tr")).to_have_count(50)
    assert blocking_violations(page) == []
    screenshot(page, "facilities-01-registry")

    page.goto("/staff/facilities/new/")
    form = page.locator("form.facility-form")
    form.locator("select[name=kind]").select_option("home_care_station")
    form.locator("input[name=name]").fill("水源地第二居家养老服务站")
    form.locator("input[name=floor_area_m2]").fill("-20")
    form.locator("input[name=opening_hours]").fill("08:00-18:00")
    page.locator("#facility-map").click(position={"x": 200, "y": 150})  # a tap places the point
    expect(form.locator("input[name=lat]")).not_to_have_value("")
    form.locator("input[name=lat]").fill(f"{lat:.6f}")
    form.locator("input[name=lng]").fill(f"{lng:.6f}")
    form.locator("button[type=submit]").click()
    expect(page.locator(".field.has-error .error").first).to_contain_text("建筑面积")
    screenshot(page, "facilities-02-form-error")
    page.locator("form.facility-form input[name=floor_area_m2]").fill("260")
    page.locator("form.facility-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/staff/facilities/$"))
    expect(page.locator(".notice-ok")).to_contain_text("水源地第二居家养老服务站")

    headers = [zh for _key, zh, _en in REGISTRY_COLUMNS]
    good = ["", "便利店", "导入便利店", community, lat, lng, "wgs84", 80, "", "", "", "", "在用", ""]
    bad = ["", "便利店", "面积为负的店", community, lat, lng, "wgs84", -5, "", "", "", "", "在用", ""]
    upload = tmp_path / "设施.xlsx"
    upload.write_bytes(workbook([Sheet("设施", headers, [good, bad])]))
    page.goto("/staff/facilities/import/")
    page.locator("input[name=file]").set_input_files(str(upload))
    page.locator("form.step-form button[type=submit]").click()
    result = page.locator("#import-result")
    expect(result.locator("tbody tr")).to_have_count(1)
    expect(result.locator("tbody tr td").first).to_have_text("3")
    screenshot(page, "facilities-03-import")

    page.goto(f"/staff/facilities/compliance/?under={community[:6]}")
    expect(page.locator("#street-table tbody tr").first).to_be_visible()
    expect(page.locator("#area-table tbody tr").first).to_be_visible()
    expect(page.locator("#area-table .warn-tag-red, #area-table .warn-tag-green").first).to_be_visible()
    assert blocking_violations(page) == []
    screenshot(page, "facilities-04-standards")

    page.goto("/staff/facilities/runs/")
    run_form = page.locator("form.run-form")
    run_form.locator("select[name=scope_path]").select_option(community[:6])
    run_form.locator("select[name=site_kind]").select_option("home_care_station")
    run_form.locator("input[name=sites]").fill("5")
    run_form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/staff/facilities/runs/[0-9a-f-]{36}/$"))
    expect(page.locator("#coverage-table tbody tr").first).to_be_visible()
    expect(page.locator("#sites-table tbody tr")).to_have_count(5)
    assert blocking_violations(page) == []
    screenshot(page, "facilities-05-analysis")

    troubles: list[str] = []  # said in the failure, so a slow or broken load explains itself
    page.on("console", lambda m: troubles.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: troubles.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: troubles.append(f"failed {r.url}: {r.failure}"))
    page.on("response", lambda r: troubles.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.locator("a.button", has_text="地图").click()
    the_map = page.locator("#facility-map")
    # the run's buildings and the facilities load as two API calls; a busy machine can take longer
    # than the default five seconds
    try:
        expect(the_map).to_have_attribute("data-ready", "1", timeout=60_000)
    except AssertionError as error:  # say what the page was doing, so the next failure explains itself
        loads = page.evaluate(
            "() => performance.getEntriesByType('resource')"
            ".filter(e => e.name.includes('/api/') || e.name.endsWith('.js'))"
            ".map(e => [e.name.split('/').slice(3).join('/'), Math.round(e.startTime), Math.round(e.duration)])"
        )
        raise AssertionError(f"map not ready: {troubles}; loads (url, start ms, ms): {loads}") from error
    assert the_map.get_attribute("data-error") is None, troubles
    expect(the_map).to_have_attribute("data-building-count", re.compile(r"^[1-9]\d*$"))
    expect(the_map).to_have_attribute("data-site-count", "5")
    screenshot(page, "facilities-06-map")


def test_street_officer_reads_their_street_on_a_phone(phone: Page, demo_site, screenshot):
    page = staff(phone, demo_site, "demo_street_officer")
    page.goto("/staff/facilities/compliance/")
    expect(page.locator("#area-table tbody tr").first).to_be_visible()
    expect(page.locator("#street-table")).to_have_count(0)  # one street, theirs: no street summary
    expect(page.locator("#area-table thead th").nth(1)).to_have_text("评价")  # the rating fits on a phone
    assert blocking_violations(page) == []
    screenshot(page, "facilities-07-street-phone")
    page.goto("/staff/facilities/map/")
    expect(page.locator("#facility-map")).to_have_attribute("data-ready", "1")
    screenshot(page, "facilities-08-street-map-phone")
