"""Relief in a real browser, on the demo city: a street officer grants emergency help on the fast
path on a phone (390 px) and the community completes the paperwork; a community worker follows a
zero-employment household to a public-welfare post and the figure of households open now drops.
Screenshots at 390 and 1280 px."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest
from playwright.sync_api import Page, expect
from test_grid_events import staff
from test_journeys import blocking_violations, menu_link

pytestmark = pytest.mark.browser


@pytest.fixture
def shot(screenshot):
    """The session's screenshot, and a copy kept beside it that another session cannot wipe."""

    def save(page: Page, name: str):
        path = screenshot(page, name)
        keep = path.parents[1] / "welfare-relief-screenshots"
        keep.mkdir(exist_ok=True)
        shutil.copy(path, keep / path.name)
        return path

    return save


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width}px)"


def test_street_pays_first_on_a_phone_and_the_community_completes(phone: Page, desktop: Page, demo_site, shot):
    page = staff(phone, demo_site, "demo_street_officer")
    menu_link(page, "临时救助").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("临时救助")
    no_sideways_scroll(page)
    shot(page, "relief-01-queue-phone")

    page.get_by_role("link", name="登记临时救助").click()
    page.get_by_text("非本地登记人员（急难）").click()
    page.locator("input[name=outsider_name]").fill("外地务工人员王某")
    page.locator("select[name=community]").select_option(index=1)
    page.locator("select[name=event]").select_option("accident")
    page.locator("input[name=event_on]").fill(dt.date.today().isoformat())
    page.locator("input[name=amount_asked]").fill("800")
    page.locator("textarea[name=facts]").fill("工地受伤，工资未结，无钱就医")
    # over what the street may pay first: refused, naming the limit, nothing saved
    page.locator("input[name=amount]").fill("1500")
    page.get_by_role("button", name="立即先行救助").click()
    expect(page.locator(".alert, .error").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("超过街道先行救助上限")
    no_sideways_scroll(page)
    shot(page, "relief-02-fast-refused-phone")
    page.locator("input[name=amount]").fill("600")
    page.get_by_role("button", name="立即先行救助").click()
    expect(page.locator(".big-tag")).to_have_text("已先行救助，待补齐材料")
    expect(page.locator("main")).to_contain_text("补齐材料期限")
    expect(page.locator("main")).to_contain_text("¥600.00")
    number = page.get_by_role("heading", level=1).inner_text().split(" ")[0]
    assert number.startswith("LS")
    no_sideways_scroll(page)
    assert blocking_violations(page) == []
    shot(page, "relief-03-paid-first-phone")

    worker = staff(desktop, demo_site, "demo_community_worker")
    menu_link(worker, "临时救助").click()
    worker.get_by_role("link", name=re.compile("已先行救助")).first.click()
    worker.get_by_role("link", name=number).click()
    form = worker.locator("form[action$='/step/complete/']")
    form.locator("input[name=note]").fill("申请书、医院票据、情况说明")
    form.get_by_role("button").click()
    expect(worker.locator(".big-tag")).to_have_text("材料已补齐，待区民政确认")
    expect(worker.locator(".timeline")).to_contain_text("社区补齐材料")
    assert blocking_violations(worker) == []
    shot(worker, "relief-04-paperwork-completed-desktop")
    record = worker.url

    county = staff(desktop, demo_site, "demo_civil_affairs_officer")
    county.goto(record)
    county.locator("form[action$='/step/confirm/']").get_by_role("button").click()
    expect(county.locator(".big-tag")).to_have_text("区民政已确认")
    expect(county.locator(".timeline")).to_contain_text("区民政确认")
    shot(county, "relief-04b-confirmed-by-the-district-desktop")


def _open_now(page: Page) -> int:
    return int(page.locator("#zero-open-now strong").inner_text())


def test_worker_places_a_household_in_a_post_and_the_figure_drops(phone: Page, desktop: Page, demo_site, shot):
    page = staff(desktop, demo_site, "demo_community_worker")
    menu_link(page, "零就业家庭统计").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("零就业家庭统计")
    before = _open_now(page)
    assert before > 0
    assert blocking_violations(page) == []
    shot(page, "relief-05-figures-before-desktop")

    menu_link(page, "零就业家庭").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("零就业家庭")
    shot(page, "relief-06-zero-list-desktop")
    page.locator("table.grid-table tbody a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("零就业家庭")
    form = page.locator("form[action$='/place/']")
    form.locator("select[name=post]").select_option(index=0)
    form.get_by_role("button", name="安置到岗").click()
    expect(page.locator(".notice-ok")).to_contain_text("已安置到岗位")
    expect(page.locator(".big-tag")).to_have_text("已销号")
    expect(page.locator(".timeline")).to_contain_text("实现就业")
    assert blocking_violations(page) == []
    shot(page, "relief-07-placed-desktop")

    mobile = staff(phone, demo_site, "demo_community_worker")
    menu_link(mobile, "零就业家庭统计").click()
    assert _open_now(mobile) == before - 1
    no_sideways_scroll(mobile)
    assert blocking_violations(mobile) == []
    shot(mobile, "relief-08-figures-after-phone")
