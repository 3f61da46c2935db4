"""The time bank in a real browser against the demo city (时间银行):

1. demo_resident, on a 390 px phone, goes from the home page to volunteering and on to the time
   bank: balance, available hours, approved service hours and stars are shown (and in elder mode);
2. asks to spend more than the balance on escort to a clinic: refused next to the field, the
   balance named; then asks for home cleaning for a parent: the minutes are held;
3. demo_community_worker, at 1280 px, finds it in the menu's exchange queue, arranges a
   provider from the community's volunteers, marks it delivered and confirms it;
   and reads the monthly figures (chart and table);
4. the resident sees it completed and the balance two hours lower.

Every page is checked with axe (0 serious or critical) and saved as a screenshot."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from test_journeys import _fits_the_screen, blocking_violations, log_in, menu_link

pytestmark = pytest.mark.browser


def hours_of(text: str) -> int:
    """'12 小时 30 分钟' → 750 minutes."""
    hours = re.search(r"(\d+) 小时", text)
    minutes = re.search(r"(\d+) 分钟", text)
    return (int(hours.group(1)) * 60 if hours else 0) + (int(minutes.group(1)) if minutes else 0)


def resident_to_time_bank(page: Page, demo_site) -> None:
    """Log in, then from the home page: the volunteering tile, then 我的时间银行."""
    page.goto("/login/")
    page.locator("#id_username").fill("demo_resident")
    page.locator("#id_password").fill(demo_site.password("demo_resident"))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.goto("/")
    page.locator("a.tile[href='/volunteer/']").click()
    expect(page).to_have_url(re.compile(r"/volunteer/$"))
    page.locator("main a[href='/my/time-bank/']").first.click()
    expect(page).to_have_url(re.compile(r"/my/time-bank/$"))


def test_a_resident_spends_hours_and_the_community_arranges_it(phone: Page, desktop: Page, demo_site, screenshot):
    # 1. balance, hours and stars on the phone
    resident_to_time_bank(phone, demo_site)
    expect(phone.get_by_role("heading", level=1)).to_have_text("我的时间银行")
    for figure in ("#tb-balance", "#tb-available", "#tb-hours", "#tb-stars"):
        expect(phone.locator(figure)).to_be_visible()
    available = hours_of(phone.locator("#tb-available").inner_text())
    balance = hours_of(phone.locator("#tb-balance").inner_text())
    assert available >= 120, f"demo_resident has {available} min to spend"
    expect(phone.locator("#tb-ledger")).to_contain_text("存入")
    assert _fits_the_screen(phone)
    assert blocking_violations(phone) == []
    screenshot(phone, "timebank-01-resident-balance")
    phone.locator("button.elder-toggle").click()
    expect(phone.locator("button.elder-toggle")).to_have_attribute("aria-pressed", "true")
    assert _fits_the_screen(phone)
    screenshot(phone, "timebank-02-resident-elder-mode")
    phone.locator("button.elder-toggle").click()

    # 2. more than the balance is refused, naming it; then a request that fits
    phone.locator("#spend-hours").click()
    expect(phone).to_have_url(re.compile(r"/my/time-bank/exchange/$"))
    phone.locator("input[name=service][value=escort_clinic]").check()
    phone.locator("#id_units").fill("20")
    phone.locator("#send-exchange").click()
    error = phone.locator(".field.has-error .error")
    expect(error).to_contain_text("时间余额不足")
    expect(error).to_contain_text("可用")
    assert blocking_violations(phone) == []
    screenshot(phone, "timebank-03-overspend-refused")
    phone.locator("input[name=service][value=home_cleaning]").check()
    phone.locator("#id_units").fill("1")
    phone.locator("#id_beneficiary").select_option("parent")
    phone.locator("#id_note").fill("周六上午，母亲家（3号楼2单元）")
    phone.locator("#send-exchange").click()
    expect(phone).to_have_url(re.compile(r"/my/time-bank/$"))
    expect(phone.locator(".notice-ok")).to_be_visible()
    first = phone.locator("main .result-list .result").first
    expect(first).to_contain_text("居家保洁")
    expect(first).to_contain_text("待安排")
    assert hours_of(phone.locator("#tb-available").inner_text()) == available - 120
    screenshot(phone, "timebank-04-request-held")

    # 3. the community worker arranges, delivers and confirms it
    log_in(desktop, "demo_community_worker", demo_site.password("demo_community_worker"))
    expect(desktop).to_have_url(re.compile(r"/staff/$"))
    menu_link(desktop, "兑换").click()
    expect(desktop).to_have_url(re.compile(r"/staff/time-bank/exchanges/"))
    expect(desktop.locator("#tb-tab-requested")).not_to_have_text("0")
    assert blocking_violations(desktop) == []
    screenshot(desktop, "timebank-05-staff-queue")
    desktop.locator("#tb-exchanges tbody tr").first.get_by_role("link").click()
    expect(desktop.locator("#tb-state")).to_have_text("待安排")
    expect(desktop.locator("main")).to_contain_text("周六上午")
    desktop.locator("#id_provider").select_option(index=1)
    desktop.locator("#do-arrange").click()
    expect(desktop.locator("#tb-state")).to_have_text("已安排")
    assert blocking_violations(desktop) == []
    screenshot(desktop, "timebank-06-staff-arranged")
    desktop.locator("#do-deliver").click()
    expect(desktop.locator("#tb-state")).to_have_text("已服务，待确认")
    desktop.locator("#do-confirm").click()
    expect(desktop.locator("#tb-state")).to_have_text("已完成确认")
    screenshot(desktop, "timebank-07-staff-confirmed")
    menu_link(desktop, "时间银行统计").click()
    expect(desktop.locator("#tb-months .chart-canvas canvas")).to_be_visible()
    expect(desktop.locator("#tb-figures")).to_contain_text("小时")
    assert blocking_violations(desktop) == []
    screenshot(desktop, "timebank-09-staff-figures")

    # 4. the resident sees it done and the minutes spent
    phone.reload()
    expect(phone.locator("main .result-list .result").first).to_contain_text("已完成确认")
    assert hours_of(phone.locator("#tb-balance").inner_text()) == balance - 120
    screenshot(phone, "timebank-08-resident-after")
