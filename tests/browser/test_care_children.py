"""Children's care in a real browser, on the demo city: the showcase community's worker (its
children's director) records a visit to an overdue child on a phone and sees the coverage rise,
then files a report of suspected harm and sees only the receipt; the street officer opens the
restricted case (a reason asked), reads it and records an action; the coverage page at 1280 px.
Screenshots at 390 and 1280 px; axe has no serious or critical finding."""

from __future__ import annotations

import re
import shutil

import pytest
from playwright.sync_api import Page, expect
from test_grid_events import staff
from test_journeys import blocking_violations, menu_link

pytestmark = pytest.mark.browser

SEEN = "放学时看到孩子脸上有新的伤痕，孩子说回家会挨打，请核实。"
ENGLISH = re.compile(r"\b(overdue|never|on_time|left_behind_child|child_in_difficulty|police|open|closed)\b")


@pytest.fixture
def shot(screenshot):
    def save(page: Page, name: str):
        path = screenshot(page, name)
        keep = path.parents[1] / "care-children-screenshots"
        keep.mkdir(exist_ok=True)
        shutil.copy(path, keep / path.name)
        return path

    return save


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width}px)"


def no_raw_codes(page: Page) -> None:
    assert not ENGLISH.search(page.locator("main").inner_text())


def _rate(page: Page) -> int:
    return int(page.locator("#coverage-rate").inner_text().rstrip("%"))


def test_director_visits_reports_and_the_street_acts(phone: Page, desktop: Page, demo_site, shot):
    page = staff(phone, demo_site, "demo_community_worker")
    menu_link(page, "儿童探访覆盖率").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("儿童探访覆盖率")
    before = page.locator("#coverage-rate").inner_text()
    visited_before = int(re.search(r"中 (\d+) 名", page.locator("main").inner_text()).group(1))
    shot(page, "children-01-coverage-before-phone")

    menu_link(page, "儿童名单").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("儿童名单")
    page.locator("select[name=status]").select_option("overdue")
    page.get_by_role("button", name="显示").click()
    no_sideways_scroll(page)
    no_raw_codes(page)
    assert blocking_violations(page) == []
    shot(page, "children-02-overdue-list-phone")
    page.locator("table.grid-table tbody a").first.click()
    expect(page.locator("#visit-status")).to_contain_text(re.compile("逾期|从未探访"))
    form = page.locator("#visit-form")
    form.locator("input[name=saw_child][value='1']").check()
    form.locator("input[name=guardian_present][value='1']").check()
    form.locator("input[name=school][value=good]").check()
    form.locator("input[name=health][value=good]").check()
    form.locator("input[name=safety][value=concern]").check()
    form.locator("input[name=needs]").fill("需要心理疏导")
    form.get_by_role("button", name="保存探访").click()
    expect(page.locator("main")).to_contain_text("探访已记录")
    expect(page.locator("#visit-status")).to_contain_text("下次最晚")
    no_sideways_scroll(page)
    no_raw_codes(page)
    assert blocking_violations(page) == []
    shot(page, "children-03-visit-recorded-phone")
    child_page = page.url

    menu_link(page, "儿童探访覆盖率").click()
    visited_after = int(re.search(r"中 (\d+) 名", page.locator("main").inner_text()).group(1))
    assert visited_after == visited_before + 1, (before, page.locator("#coverage-rate").inner_text())
    shot(page, "children-04-coverage-after-phone")

    page.goto(child_page)
    page.get_by_role("link", name="报告疑似侵害").first.click()
    page.locator("textarea[name=seen]").fill(SEEN)
    page.get_by_role("button", name="提交上报").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("报告已收到")
    receipt = page.locator("#receipt-number").inner_text()
    assert receipt.startswith("BH")
    assert SEEN not in page.content()
    no_sideways_scroll(page)
    assert blocking_violations(page) == []
    shot(page, "children-05-receipt-phone")

    officer = staff(phone, demo_site, "demo_street_officer")
    menu_link(officer, "受限侵害个案").click()
    officer.get_by_role("link", name=receipt).click()
    assert SEEN not in officer.content()
    expect(officer.get_by_role("heading", level=2)).to_contain_text("您为什么查阅此个案")
    shot(officer, "children-06-reason-asked-phone")
    officer.locator("input[name=reason]").fill("接到强制报告，核实并处置")
    officer.get_by_role("button", name="查阅个案").click()
    expect(officer.locator("#case-seen")).to_contain_text("脸上有新的伤痕")
    officer.locator("select[name=kind]").select_option("police")
    officer.locator("textarea[name=note]").fill("已向辖区派出所报案，民警已上门了解情况")
    officer.get_by_role("button", name="保存处置").click()
    expect(officer.locator("#case-actions")).to_contain_text("已报警")
    no_sideways_scroll(officer)
    no_raw_codes(officer)
    assert blocking_violations(officer) == []
    shot(officer, "children-07-action-recorded-phone")

    wide = staff(desktop, demo_site, "demo_street_officer")
    menu_link(wide, "儿童探访覆盖率").click()
    expect(wide.locator("#children-coverage")).to_be_visible()
    no_raw_codes(wide)
    assert blocking_violations(wide) == []
    shot(wide, "children-08-coverage-desktop")
