"""The staff workbench in a real browser: each role starts the day on "Today" and reaches its work
from there alone, on a 390px phone and a 1280px screen; the header is one line on a phone, the
menu folds behind a button, the search box and the messages badge work on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from test_journeys import blocking_violations, log_in, menu_link

pytestmark = pytest.mark.browser


def _count(page: Page, key: str) -> int:
    return int(page.locator(f'[data-key="{key}"] .work-number').inner_text())


def _header_is_one_line(page: Page) -> None:
    header = page.locator("header.staff-bar").bounding_box()
    assert header["height"] <= 72, header  # one row of 44px controls plus padding
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"


def test_community_worker_finds_the_days_work_from_the_home_page_on_a_phone(phone: Page, demo_site, screenshot):
    log_in(phone, "demo_community_worker", demo_site.password("demo_community_worker"))
    expect(phone).to_have_url(re.compile(r"/staff/$"))
    expect(phone.get_by_role("heading", level=1)).to_contain_text("今日工作")
    _header_is_one_line(phone)
    expect(phone.get_by_role("navigation", name="主导航")).to_be_hidden()  # folded behind the menu button
    screenshot(phone, "workbench-01-today-phone")
    assert blocking_violations(phone) == []

    # the visits due: the first row opens the visit form for that household
    overdue_visits = _count(phone, "visits.overdue")
    assert overdue_visits > 0
    first_visit = phone.locator("#work-visits .work-row").first
    expect(first_visit).to_contain_text("起超期")
    first_visit.get_by_role("link").click()
    expect(phone).to_have_url(re.compile(r"/staff/residents/visits/new/\?household="))
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    screenshot(phone, "workbench-02-visit-from-today-phone")

    # the overdue cases: the count opens the overdue queue, whose tab shows the same number
    phone.goto("/staff/")
    overdue_cases = _count(phone, "desk.overdue")
    phone.locator('[data-key="desk.overdue"]').click()
    expect(phone).to_have_url(re.compile(r"/staff/desk/\?queue=overdue$"))
    current = phone.locator('nav.tabs a[aria-current="page"]')
    expect(current.locator(".tab-count")).to_have_text(str(overdue_cases))
    if overdue_cases:
        expect(phone.locator("table.case-table tbody tr").first).to_be_visible()
    screenshot(phone, "workbench-03-overdue-queue-phone")
    _header_is_one_line(phone)

    # the menu: a button unfolds the groups; Escape folds them again
    phone.get_by_role("button", name="菜单").click()
    menu = phone.get_by_role("navigation", name="主导航")
    expect(menu).to_be_visible()
    expect(menu.get_by_role("heading", name="居民")).to_be_visible()
    expect(menu.get_by_role("link", name="办件队列")).to_have_attribute("aria-current", "page")
    screenshot(phone, "workbench-04-menu-phone")
    assert blocking_violations(phone) == []
    phone.keyboard.press("Escape")
    expect(menu).to_be_hidden()


def test_the_header_search_finds_a_case_and_says_when_an_id_number_is_wrong(desktop: Page, demo_site, screenshot):
    log_in(desktop, "demo_community_worker", demo_site.password("demo_community_worker"))
    desktop.locator('[data-key="desk.mine"]').click()
    number = desktop.locator("table.case-table tbody tr td a.code").first.inner_text()
    box = desktop.locator("header").get_by_role("searchbox")
    box.fill(number)
    box.press("Enter")
    expect(desktop).to_have_url(re.compile(r"/staff/search/$"))
    results = desktop.get_by_role("region", name=re.compile("办件"))
    expect(results.get_by_role("link", name=re.compile(re.escape(number)))).to_be_visible()
    screenshot(desktop, "workbench-05-search-desktop")
    assert blocking_violations(desktop) == []
    results.get_by_role("link", name=re.compile(re.escape(number))).click()
    expect(desktop).to_have_url(re.compile(r"/staff/desk/cases/"))
    expect(desktop.get_by_role("heading", level=1)).to_contain_text(number)

    box = desktop.locator("header").get_by_role("searchbox")
    box.fill("21010219480304011X")  # the check digit of this number is 7
    box.press("Enter")
    expect(desktop.get_by_role("alert")).to_contain_text("校验位")
    assert "21010219480304011X" not in desktop.content()  # not echoed back into the page
    screenshot(desktop, "workbench-06-search-bad-id-desktop")


def test_messages_badge_and_inbox(desktop: Page, demo_site, screenshot):
    log_in(desktop, "demo_community_worker", demo_site.password("demo_community_worker"))
    badge = desktop.locator("header .inbox-badge")
    expect(badge).to_have_text(re.compile(r"^\d+\+?$"))  # the demo's first tick sent due and overdue notices
    desktop.locator("header .inbox-link").click()
    expect(desktop).to_have_url(re.compile(r"/staff/inbox/$"))
    expect(desktop.locator(".inbox-item.is-unread").first).to_be_visible()
    screenshot(desktop, "workbench-07-inbox-desktop")
    assert blocking_violations(desktop) == []
    desktop.get_by_role("button", name="全部标为已读").click()
    expect(desktop.locator(".inbox-item.is-unread")).to_have_count(0)
    expect(desktop.locator("header .inbox-badge")).to_be_hidden()


@pytest.mark.parametrize(
    ("username", "first_key", "queue_url"),
    [
        ("demo_urban_officer", "grid.pending", r"/staff/grid/\?queue=pending$"),
        ("demo_district_admin", "grid.overdue", r"/staff/grid/\?queue=overdue$"),
        ("demo_grid_worker", "visits.overdue", r"/staff/residents/plan/#overdue$"),
    ],
)
def test_each_role_starts_from_its_own_work(desktop: Page, demo_site, screenshot, username, first_key, queue_url):
    log_in(desktop, username, demo_site.password(username))
    expect(desktop.locator(f'[data-key="{first_key}"]')).to_be_visible()
    screenshot(desktop, f"workbench-08-today-{username}")
    assert blocking_violations(desktop) == []
    desktop.locator(f'[data-key="{first_key}"]').click()
    expect(desktop).to_have_url(re.compile(queue_url))
    # every link of the role's menu opens
    desktop.goto("/staff/")
    links = desktop.get_by_role("navigation", name="主导航").get_by_role("link")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    for href in hrefs:
        response = desktop.goto(href)
        assert response.status == 200, (username, href)


def test_the_menu_reaches_a_page_on_a_phone(phone: Page, demo_site):
    log_in(phone, "demo_grid_worker", demo_site.password("demo_grid_worker"))
    menu_link(phone, "反映问题").click()
    expect(phone).to_have_url(re.compile(r"/staff/grid/report/$"))
    _header_is_one_line(phone)
