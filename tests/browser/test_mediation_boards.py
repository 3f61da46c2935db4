"""Safe community's figures in a real browser, on the demo city: the district administrator opens
the four-zero board from the staff home (map with a dot per community, the two charts drawn, the
table per community); the street officer reads the mediator staffing page (red marks where a
community has no committee mediator) and the monthly screening summary. At 390 and 1280 px;
axe has no serious or critical finding; no raw codes or English state names on the pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from test_charts import INKED
from test_grid_events import staff
from test_journeys import blocking_violations, menu_link

pytestmark = pytest.mark.browser

RAW = re.compile(r"\b(met|missed|no_data|committee|full_time|expert|overdue|filed|None|True|False)\b")


def _drawn(page: Page, chart_id: str) -> None:
    canvas = page.locator(f"#{chart_id} .chart-canvas canvas")
    expect(canvas).to_have_count(1)
    assert canvas.evaluate(INKED) > 1000  # an empty canvas has none


def _fits(page: Page, width: int) -> None:
    if width <= 390:
        assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_the_district_reads_the_four_zero_board(request, device, demo_site, screenshot):
    page: Page = request.getfixturevalue(device)
    width = page.viewport_size["width"]
    staff(page, demo_site, "demo_district_admin")
    menu_link(page, "四零社区看板").click()
    expect(page.locator("h1")).to_contain_text("四零社区")
    the_map = page.locator("#four-zero-map")
    expect(the_map).to_have_attribute("data-ready", "1", timeout=20_000)
    dots = int(the_map.get_attribute("data-point-count"))
    rows = page.locator("#four-zero-table tbody tr").count()
    assert dots > 0 and rows >= dots  # a dot per community the tree places, a row per community
    _drawn(page, "four-zero-trend")
    _drawn(page, "four-zero-misses")
    main = page.locator("main").inner_text()
    assert not RAW.search(main), RAW.search(main)
    _fits(page, width)
    screenshot(page, f"mediation-board-four-zero-{device}")
    assert blocking_violations(page) == []


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_the_street_reads_staffing_and_screening(request, device, demo_site, screenshot):
    page: Page = request.getfixturevalue(device)
    width = page.viewport_size["width"]
    staff(page, demo_site, "demo_street_officer")
    menu_link(page, "调解员配备").click()
    expect(page.locator("main")).to_contain_text("社区")
    main = page.locator("main").inner_text()
    assert not RAW.search(main), RAW.search(main)
    _fits(page, width)
    screenshot(page, f"mediation-board-staffing-{device}")
    assert blocking_violations(page) == []
    menu_link(page, "矛盾纠纷排查").click()
    expect(page.locator("main table").first).to_be_visible()
    main = page.locator("main").inner_text()
    assert not RAW.search(main), RAW.search(main)
    _fits(page, width)
    screenshot(page, f"mediation-board-screening-{device}")
    assert blocking_violations(page) == []
