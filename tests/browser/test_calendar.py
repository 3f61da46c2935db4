"""The work calendar of a year with no published schedule, in a real browser: a city admin opens
it from the staff menu, sees 2027 marked provisional with the statutory holidays the due dates
skip (no 调休 yet), in Chinese and in English, on a phone and on a desktop."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from test_journeys import blocking_violations, log_in, menu_link

pytestmark = pytest.mark.browser
ADMIN = "demo_city_admin"


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_an_admin_sees_next_year_provisional_with_its_statutory_holidays(size, request, demo_site, screenshot):
    page: Page = request.getfixturevalue(size)
    page.goto("/")
    log_in(page, ADMIN, demo_site.password(ADMIN))
    expect(page).to_have_url(re.compile(r"/staff/$"))
    menu_link(page, "工作日历").click()
    expect(page).to_have_url(re.compile(r"/staff/desk/calendar/$"))
    page.get_by_role("navigation", name="年份").get_by_role("link", name="2027").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2027")
    expect(page.get_by_role("status")).to_contain_text("暂定：仅含法定节假日，尚无调休安排")
    provisional = page.locator("section", has=page.get_by_role("heading", name="法定节假日（暂定）"))
    expect(provisional).to_contain_text("2027-02-05")  # 除夕
    expect(provisional).to_contain_text("2027-09-15")  # 中秋
    expect(provisional.locator("li")).to_have_count(13)
    assert blocking_violations(page) == []
    screenshot(page, f"calendar-01-provisional-2027-{size}")

    calendar_2027 = page.url
    page.goto("/")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(calendar_2027)
    expect(page.get_by_role("status")).to_contain_text("Provisional: statutory holidays only")
    expect(page.get_by_role("heading", name="Statutory holidays (provisional)")).to_be_visible()
    screenshot(page, f"calendar-02-provisional-2027-english-{size}")
