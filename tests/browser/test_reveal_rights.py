"""The city's reveal-rights page in a real browser (decision 0012): the city administrator finds it
in the menu, sees the role × field matrix in Chinese on a desktop and on a phone, is refused
without a reason, then changes a right and puts it back, each change saved with its reason."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from test_journeys import blocking_violations, log_in

pytestmark = pytest.mark.browser
PAGE = "/staff/residents/reveal-rights/"
STREET_ID = "#id_right-street_officer-id_number"


def open_page(page: Page, demo_site) -> None:
    log_in(page, "demo_city_admin", demo_site.password("demo_city_admin"))
    page.goto("/staff/")
    expect(page.locator(f"nav a[href='{PAGE}']").first).to_be_attached()  # in the staff menu
    page.goto(PAGE)
    expect(page.get_by_role("heading", level=1)).to_have_text("敏感信息查看权限")


def save(page: Page, reason: str) -> None:
    page.locator("#id_reason").fill(reason)
    page.locator("#id_confirm").check()
    page.locator("main form button[type=submit]").click()


def test_city_admin_changes_a_reveal_right_on_a_desktop(desktop: Page, demo_site, screenshot):
    open_page(desktop, demo_site)
    table = desktop.locator("table.reveal-rights")
    for label in ("网格员", "社区工作者", "街道干部", "身份证号", "联系电话", "备注"):
        expect(table).to_contain_text(label)
    expect(desktop.locator(STREET_ID)).to_be_checked()
    expect(desktop.locator("#id_right-street_officer-notes")).not_to_be_checked()
    assert blocking_violations(desktop) == []
    screenshot(desktop, "60-reveal-rights-desktop")

    # no reason: refused next to the field, nothing saved
    desktop.locator(STREET_ID).uncheck()
    desktop.locator("#id_confirm").check()
    desktop.locator("main form button[type=submit]").click()
    expect(desktop.locator("#id_reason_error")).to_be_visible()
    screenshot(desktop, "61-reveal-rights-no-reason-desktop")

    # with a reason: saved, and the page shows the table as it now is
    desktop.locator(STREET_ID).uncheck()
    save(desktop, "街道干部核对身份无需完整身份证号")
    expect(desktop).to_have_url(f"{demo_site.url}{PAGE}")
    expect(desktop.locator(".notice-ok")).to_be_visible()
    expect(desktop.locator(STREET_ID)).not_to_be_checked()
    screenshot(desktop, "62-reveal-rights-saved-desktop")

    # and back to the default, so the rest of the demo keeps its rights
    desktop.locator(STREET_ID).check()
    save(desktop, "恢复默认设置")
    expect(desktop.locator(STREET_ID)).to_be_checked()


def test_reveal_rights_page_fits_a_phone(phone: Page, demo_site, screenshot):
    open_page(phone, demo_site)
    expect(phone.locator("table.reveal-rights")).to_be_visible()
    expect(phone.locator(STREET_ID)).to_be_visible()
    # the page itself never scrolls sideways on a 390px screen
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert blocking_violations(phone) == []
    screenshot(phone, "63-reveal-rights-phone")
