"""Volunteers in a real browser against the demo city (志愿服务):

1. demo_community_worker, at 1280 px, publishes an activity that is running now (from the menu),
   opens its check-in QR code, and approves demo_resident's reported neighbourly help;
2. demo_resident, on a 390 px phone, goes from the home page to volunteering (registered by the
   demo), finds the activity, signs up, is refused a second sign-up, opens the QR link, checks
   in and out, and sees their hours and star level (also in elder mode).

Every page is checked with axe (0 serious or critical) and saved as a screenshot."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect
from test_journeys import _fits_the_screen, blocking_violations, log_in, menu_link

pytestmark = pytest.mark.browser
TITLE = "楼道消防通道清理（浏览器测试）"


def test_publish_check_in_out_and_approve(phone: Page, desktop: Page, demo_site, screenshot):
    # 1. the community worker publishes an activity running now and shows its QR code
    log_in(desktop, "demo_community_worker", demo_site.password("demo_community_worker"))
    menu_link(desktop, "志愿者与活动").click()
    expect(desktop).to_have_url(re.compile(r"/staff/volunteers/$"))
    assert blocking_violations(desktop) == []
    screenshot(desktop, "volunteers-01-staff-today")
    desktop.locator("main a[href='/staff/volunteers/activities/new/']").first.click()
    now = datetime.now(ZoneInfo("Asia/Shanghai"))
    desktop.locator("#id_title").fill(TITLE)
    desktop.locator("#id_place").fill("3 号楼一单元")
    desktop.locator("#id_starts_at").fill((now - timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M"))
    desktop.locator("#id_ends_at").fill((now + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
    desktop.locator("#id_needed").fill("5")
    assert blocking_violations(desktop) == []
    screenshot(desktop, "volunteers-02-publish-form")
    desktop.locator("main form button[type=submit]").click()
    expect(desktop.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(desktop.locator(".notice-ok")).to_contain_text("活动已保存")
    assert blocking_violations(desktop) == []
    screenshot(desktop, "volunteers-03-activity")
    desktop.get_by_role("link", name="签到二维码").click()
    expect(desktop.locator(".vol-qr img")).to_be_visible()
    link = desktop.locator("#qr-link").get_attribute("href")
    assert link and "/volunteer/check/" in link
    screenshot(desktop, "volunteers-04-qr")

    # 2. the resident signs up on the phone, checks in and out by the QR link
    phone.goto("/")
    phone.locator("a.tile[href='/volunteer/']").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("志愿服务")
    phone.locator("main a[href='/volunteer/activities/']").first.click()
    phone.get_by_role("link", name=re.compile(TITLE)).first.click()
    login = phone.locator("main a[href*='login']")
    if login.count():  # not logged in yet: the page offers the log-in, then comes back
        login.click()
        phone.locator("#id_username").fill("demo_resident")
        phone.locator("#id_password").fill(demo_site.password("demo_resident"))
        phone.locator("main form button[type=submit]").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert blocking_violations(phone) == []
    assert _fits_the_screen(phone)
    screenshot(phone, "volunteers-05-resident-activity")
    phone.get_by_role("button", name="报名").first.click()
    expect(phone.locator(".notice-ok")).to_contain_text("报名成功")
    expect(phone.locator(".vol-shift .tag")).to_have_text("已确认")  # running: no cancelling now
    screenshot(phone, "volunteers-06-signed-up")
    phone.goto(link.split(demo_site.url)[-1] if link.startswith("http") else link)
    expect(phone.get_by_role("heading", level=1)).to_have_text("签到签退")
    phone.get_by_role("button", name="签到").click()
    expect(phone.locator(".vol-done")).to_contain_text("已签到")
    assert blocking_violations(phone) == []
    assert _fits_the_screen(phone)
    screenshot(phone, "volunteers-07-checked-in")
    phone.get_by_role("button", name="签退").click()
    expect(phone.locator(".vol-done")).to_contain_text("已签退")
    screenshot(phone, "volunteers-08-checked-out")
    phone.get_by_role("link", name=re.compile("我的服务时长")).click()
    expect(phone.locator(".vol-total .vol-big")).to_be_visible()
    expect(phone.locator(".vol-stars")).to_be_visible()
    expect(phone.locator("main")).to_contain_text(TITLE)
    assert blocking_violations(phone) == []
    assert _fits_the_screen(phone)
    screenshot(phone, "volunteers-09-my-hours")
    phone.locator("button.elder-toggle").click()
    expect(phone.locator("button.elder-toggle")).to_have_attribute("aria-pressed", "true")
    assert _fits_the_screen(phone)
    screenshot(phone, "volunteers-10-my-hours-elder")
    phone.locator("button.elder-toggle").click()

    # 3. the community worker approves the resident's reported help
    menu_link(desktop, "待审核时长").click()
    expect(desktop).to_have_url(re.compile(r"/staff/volunteers/hours/$"))
    row = desktop.locator("main table tbody tr", has_text="陪邻居李大爷去医院复查")
    expect(row).to_have_count(1)
    assert blocking_violations(desktop) == []
    screenshot(desktop, "volunteers-11-hours-to-approve")
    row.get_by_role("button", name="认定", exact=True).click()
    expect(desktop.locator(".notice-ok")).to_contain_text("服务时长已认定")
    expect(desktop.locator("main table tbody tr", has_text="陪邻居李大爷去医院复查")).to_have_count(0)
    screenshot(desktop, "volunteers-12-approved")

    # 4. the register (masked) and a volunteer's page, then the figures with the plan's targets
    menu_link(desktop, "志愿者名册").click()
    expect(desktop).to_have_url(re.compile(r"/staff/volunteers/people/$"))
    first = desktop.locator("main table tbody tr").first
    expect(first.locator("td.code").first).to_contain_text("*")  # ID numbers masked
    assert blocking_violations(desktop) == []
    screenshot(desktop, "volunteers-13-register")
    first.get_by_role("link").first.click()
    expect(desktop.locator(".vol-stars")).to_be_visible()
    assert blocking_violations(desktop) == []
    screenshot(desktop, "volunteers-14-volunteer")
    menu_link(desktop, "志愿服务统计").click()
    expect(desktop.get_by_role("heading", level=1)).to_contain_text("志愿服务统计")
    expect(desktop.locator("main")).to_contain_text("1650000")
    expect(desktop.locator("figure.chart").first).to_be_visible()
    assert blocking_violations(desktop) == []
    screenshot(desktop, "volunteers-15-figures")


def test_an_organiser_publishes_for_their_organisation_on_a_phone(phone: Page, demo_site, screenshot):
    """demo_organiser speaks for one organisation: publishing without choosing it is refused,
    naming the field; with it, the activity is theirs and listed among their activities."""
    title = "社会组织助老理发（浏览器测试）"
    log_in(phone, "demo_organiser", demo_site.password("demo_organiser"))
    menu_link(phone, "志愿者与活动").click()
    expect(phone).to_have_url(re.compile(r"/staff/volunteers/$"))
    phone.locator("main a[href='/staff/volunteers/activities/new/']").first.click()
    start = datetime.now(ZoneInfo("Asia/Shanghai")) + timedelta(days=3)
    phone.locator("#id_title").fill(title)
    phone.locator("#id_place").fill("社区服务中心一楼")
    phone.locator("#id_starts_at").fill(start.strftime("%Y-%m-%dT09:00"))
    phone.locator("#id_ends_at").fill(start.strftime("%Y-%m-%dT11:00"))
    phone.locator("#id_organisation_id").select_option("")
    phone.locator("main form button[type=submit]").click()
    expect(phone.locator("main")).to_contain_text("请选择您所在的社会组织")
    assert _fits_the_screen(phone)
    screenshot(phone, "volunteers-16-organiser-refused")
    organisation = phone.locator("#id_organisation_id option:not([value=''])").first
    phone.locator("#id_organisation_id").select_option(organisation.get_attribute("value"))
    phone.locator("main form button[type=submit]").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text(title)
    expect(phone.locator(".notice-ok")).to_contain_text("活动已保存")
    assert blocking_violations(phone) == []
    assert _fits_the_screen(phone)
    screenshot(phone, "volunteers-17-organiser-activity")
    menu_link(phone, "活动").click()
    expect(phone.locator("main")).to_contain_text(title)
    # the community's own activities are not the organisation's
    expect(phone.locator("main")).not_to_contain_text("法律咨询进社区")
    screenshot(phone, "volunteers-18-organiser-activities")
