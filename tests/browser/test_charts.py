"""The district admin reads a chart: from the home page to the awareness rates and the desk's
figures, at 390 px and 1280 px. Each chart is drawn (a canvas with something on it), its numbers
are in a table that says the same as the data island and the page's own table, it prints, and
axe finds nothing serious.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect
from test_journeys import blocking_violations, log_in, menu_link

pytestmark = pytest.mark.browser

# Pixels of the chart's canvas that are not transparent: the bars, axes and labels.
INKED = """(canvas) => {
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) inked++;
  return inked;
}"""


def _island(page: Page, chart_id: str) -> dict:
    return json.loads(page.locator(f"#{chart_id}-data").text_content())


def _check_drawn(page: Page, chart_id: str) -> None:
    canvas = page.locator(f"#{chart_id} .chart-canvas canvas")
    expect(canvas).to_have_count(1)
    box = canvas.bounding_box()
    assert box["width"] > 300 and box["height"] >= 200, box
    assert canvas.evaluate(INKED) > 2000  # an empty canvas has none


def _table_rows(page: Page, chart_id: str) -> list[list[str]]:
    """The chart's own table, opened: one list of cell texts per row (the name first)."""
    page.locator(f"#{chart_id} summary").click()
    table = page.locator(f"#{chart_id} table")
    expect(table).to_be_visible()
    return [
        [cell.strip() for cell in row.locator("th, td").all_text_contents()] for row in table.locator("tbody tr").all()
    ]


def _shown(value, unit: str) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}%" if unit == "%" else f"{value:g}"


def _same_numbers(island: dict, rows: list[list[str]]) -> None:
    assert [row[0] for row in rows] == island["categories"]
    for i, row in enumerate(rows):
        assert row[1:] == [_shown(s["values"][i], s["unit"]) for s in island["series"]]


def _prints(page: Page, chart_id: str) -> None:
    """In print the folded table is shown and the picture fits the paper."""
    page.locator(f"#{chart_id} summary").click()  # fold it again, as a reader would leave it
    page.emulate_media(media="print")
    expect(page.locator(f"#{chart_id} table")).to_be_visible()
    assert len(page.pdf(format="A4")) > 20_000
    page.emulate_media(media="screen")


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_district_admin_reads_the_rates_and_figures_charts(request, device, demo_site, screenshot):
    page: Page = request.getfixturevalue(device)
    log_in(page, "demo_district_admin", demo_site.password("demo_district_admin"))
    expect(page).to_have_url(re.compile(r"/staff/$"))

    menu_link(page, "知晓率").click()
    expect(page).to_have_url(re.compile(r"/staff/residents/rates/$"))
    expect(page.get_by_role("heading", level=2, name="按街道")).to_be_visible()
    _check_drawn(page, "rates-chart")
    rates = _island(page, "rates-chart")
    assert rates["targets"] == [
        {"name": "百家情知晓率目标", "series": 0, "value": 98.0},
        {"name": "特殊群体知晓率目标", "series": 1, "value": 100.0},
    ]
    rows = _table_rows(page, "rates-chart")
    _same_numbers(rates, rows)
    # the page's own table of the streets says the same awareness rates
    page_rows = page.locator("table.grid-table").last.locator("tbody tr").all()
    assert [r.locator("th").text_content().strip() for r in page_rows] == rates["categories"]
    assert [r.locator("td").nth(2).text_content().strip().replace(".0%", "%") for r in page_rows] == [
        row[1].replace(".0%", "%") for row in rows
    ]
    assert blocking_violations(page) == []
    screenshot(page, f"charts-rates-{device}")
    _prints(page, "rates-chart")

    menu_link(page, "办件统计").click()
    expect(page).to_have_url(re.compile(r"/staff/desk/figures/$"))
    assert "<" not in page.title() and page.title().startswith("办件统计")
    for chart_id in ("desk-trend", "desk-units"):
        _check_drawn(page, chart_id)
        _same_numbers(_island(page, chart_id), _table_rows(page, chart_id))
    trend = _island(page, "desk-trend")
    assert len(trend["categories"]) == 12 and sum(trend["series"][0]["values"]) > 0
    assert blocking_violations(page) == []
    screenshot(page, f"charts-figures-{device}")
