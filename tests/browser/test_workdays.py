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
    expect(page).to_have_url(re.compile(r"/staff/workdays/calendar/$"))
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


def test_an_admin_pastes_a_years_schedule_fixes_the_bad_line_and_enters_it(desktop: Page, demo_site, screenshot):
    """2028 (no test or demo case reaches it): the law's holidays pasted with one mistyped line —
    nothing saved, the line named by its number — then corrected and entered."""
    from linli.workdays.domain import statutory_holidays

    lines = [f"{day.isoformat()} 休 {name}" for day, name in statutory_holidays(2028).items()]
    lines.insert(3, "2028-02-30 休 春节")
    page = desktop
    page.goto("/")
    log_in(page, ADMIN, demo_site.password(ADMIN))
    page.goto("/staff/workdays/calendar/2028/")
    form = page.locator("form", has=page.get_by_role("button", name="录入放假安排"))
    form.get_by_label("全年放假安排，每行一天或连续几天").fill("\n".join(lines))
    form.get_by_label("依据").fill("国办发明电（测试）")
    form.get_by_role("button", name="录入放假安排").click()
    expect(page.get_by_role("alert")).to_contain_text("未保存任何内容")
    expect(page.get_by_role("alert")).to_contain_text("第 4 行「2028-02-30 休 春节」：没有这一天：2028-02-30")
    expect(page.get_by_role("heading", name="法定节假日（暂定）")).to_be_visible()
    assert blocking_violations(page) == []
    screenshot(page, "calendar-03-schedule-line-refused")

    del lines[3]
    form = page.locator("form", has=page.get_by_role("button", name="录入放假安排"))
    form.get_by_label("全年放假安排，每行一天或连续几天").fill("\n".join(lines))
    form.get_by_label("依据").fill("国办发明电（测试）")
    form.get_by_role("button", name="录入放假安排").click()
    expect(page).to_have_url(re.compile(r"/staff/workdays/calendar/2028/$"))
    expect(page.get_by_role("status").first).to_contain_text("2028 年的放假安排已录入")
    expect(page.get_by_role("heading", name="法定节假日（暂定）")).to_have_count(0)
    screenshot(page, "calendar-04-schedule-entered")
