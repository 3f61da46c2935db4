"""User journeys in a real browser against the demo city (granian + Chromium).

Each journey saves a full-page screenshot in test-artifacts/screenshots/ for a human to look at.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from linli.accounts.domain import demo_totp_key

pytestmark = pytest.mark.browser

BLOCKING_IMPACTS = {"serious", "critical"}


def blocking_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings, one line each (rule, impact, first targets)."""
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]


def menu_link(page: Page, name: str):
    """A link of the staff menu, unfolded first on a phone (where it hides behind a button)."""
    page.wait_for_load_state("load")  # the menu button works once the page's script has run
    link = page.get_by_role("navigation", name="主导航").get_by_role("link", name=name, exact=True)
    toggle = page.get_by_role("button", name="菜单")
    if not link.is_visible() and toggle.is_visible():
        toggle.click()
    return link


def log_in(page: Page, username: str, password: str) -> None:
    """Log in at the staff page; an account that needs a second factor then enters the demo
    account's current code (its TOTP key is the public demo key, decision 0015)."""
    page.goto("/staff/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    if "/account/second-factor/" in page.url:
        page.get_by_label("验证码", exact=True).fill(demo_code(username))
        with page.expect_navigation():
            page.get_by_role("button", name="验证", exact=True).click()


def demo_code(username: str) -> str:
    """The current code of a demo account's authenticator, computed as any app would."""
    return f"{totp(bytes.fromhex(demo_totp_key(username))):06d}"


def test_community_worker_logs_in_and_sees_their_community(desktop: Page, demo_site, screenshot):
    desktop.goto("/staff/login/")
    expect(desktop.get_by_role("heading", level=1)).to_have_text("工作人员登录")
    screenshot(desktop, "01-staff-login")

    log_in(desktop, "demo_community_worker", demo_site.password("demo_community_worker"))
    expect(desktop).to_have_url(re.compile(r"/staff/$"))
    expect(desktop.get_by_role("heading", level=1)).to_contain_text("今日工作")
    postings = desktop.locator(".postings")
    expect(postings).to_contain_text("社区工作者")
    expect(postings).to_contain_text("水源地社区")
    expect(desktop.get_by_role("navigation", name="主导航").get_by_role("link", name="今日工作")).to_have_attribute(
        "aria-current", "page"
    )
    screenshot(desktop, "02-staff-home")

    desktop.get_by_role("navigation", name="主导航").get_by_role("link", name="区划树").click()
    expect(desktop).to_have_url(re.compile(r"/staff/org/$"))
    table = desktop.get_by_role("table")
    expect(table).to_contain_text("水源地社区")
    expect(table.locator("tbody tr")).to_have_count(1)
    screenshot(desktop, "03-staff-org-tree")


def test_street_officer_browses_down_the_org_tree(desktop: Page, demo_site, screenshot):
    log_in(desktop, "demo_street_officer", demo_site.password("demo_street_officer"))
    desktop.goto("/staff/org/")
    desktop.get_by_role("table").get_by_role("link").first.click()
    expect(desktop.get_by_role("navigation", name="当前位置")).to_contain_text("我的范围")
    rows = desktop.locator("tbody tr")
    expect(rows.first).to_contain_text("社区")
    assert rows.count() > 1
    screenshot(desktop, "04-staff-org-street")


def test_wrong_password_shows_an_error_and_stays_on_the_login_page(desktop: Page, demo_site, screenshot):
    log_in(desktop, "demo_community_worker", "not-the-password")
    expect(desktop).to_have_url(re.compile(r"/staff/login/$"))
    alert = desktop.get_by_role("alert")
    expect(alert).to_contain_text("用户名或密码不正确")
    expect(desktop.get_by_label("用户名")).to_have_value("demo_community_worker")
    expect(desktop.get_by_label("密码")).to_have_value("")
    screenshot(desktop, "05-staff-login-error")


def test_resident_home_is_accessible_in_normal_and_elder_mode(phone: Page, screenshot):
    phone.goto("/")
    expect(phone.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(phone.get_by_role("heading", level=1)).to_have_text("身边的社区服务")
    expect(phone.locator(".tile.is-soon")).to_have_count(0)  # every card leads somewhere
    expect(phone.locator("a.tile[href='/report/']")).to_contain_text("反映问题")
    expect(phone.locator("a.tile[href='/services/']")).to_be_visible()
    expect(phone.locator("a.tile[href='/my/cases/']")).to_be_visible()
    assert phone.locator('a[href="#"]').count() == 0
    assert _fits_the_screen(phone)
    assert blocking_violations(phone) == []
    screenshot(phone, "06-resident-home")

    toggle = phone.get_by_role("button", name="长者模式")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    expect(phone.locator("html")).to_have_class(re.compile(r"\belder\b"))
    expect(phone.get_by_role("button", name="长者模式")).to_have_attribute("aria-pressed", "true")
    base_size = phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert base_size >= 20
    assert _fits_the_screen(phone)
    assert blocking_violations(phone) == []
    screenshot(phone, "07-resident-home-elder")

    phone.get_by_role("button", name="长者模式").click()
    expect(phone.locator("html")).not_to_have_class(re.compile(r"\belder\b"))


def test_resident_switches_to_english(phone: Page, screenshot):
    phone.goto("/")
    phone.get_by_role("button", name="English").click()
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Community services near you")
    expect(phone.locator("a.tile[href='/report/']")).to_contain_text("Report a problem")
    assert blocking_violations(phone) == []
    screenshot(phone, "08-resident-home-english")

    phone.get_by_role("button", name="中文").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("身边的社区服务")


def test_staff_pages_are_accessible(desktop: Page, demo_site):
    desktop.goto("/staff/login/")
    assert blocking_violations(desktop) == []
    log_in(desktop, "demo_auditor", demo_site.password("demo_auditor"))
    for path in ("/staff/", "/staff/org/", "/staff/audit/", "/staff/desk/figures/"):
        desktop.goto(path)
        assert blocking_violations(desktop) == [], path
    desktop.context.clear_cookies()
    log_in(desktop, "demo_community_worker", demo_site.password("demo_community_worker"))
    desk_pages = ("/staff/desk/", "/staff/desk/?queue=all", "/staff/desk/rectifications/", "/staff/desk/intake/")
    for path in desk_pages:
        desktop.goto(path)
        assert blocking_violations(desktop) == [], path
    desktop.goto("/staff/desk/?queue=all")
    desktop.locator(".case-table a").first.click()
    assert blocking_violations(desktop) == [], desktop.url


def test_resident_desk_pages_are_accessible(phone: Page):
    for path in ("/services/", "/services/SQ007/", "/login/"):
        phone.goto(path)
        assert _fits_the_screen(phone), path
        assert blocking_violations(phone) == [], path


def test_keyboard_user_can_skip_to_the_content(phone: Page):
    phone.goto("/")
    phone.keyboard.press("Tab")
    skip = phone.get_by_role("link", name="跳到主要内容")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    phone.keyboard.press("Enter")
    expect(phone).to_have_url(re.compile(r"#main$"))


def _fits_the_screen(page: Page) -> bool:
    """No horizontal scrolling: nothing is wider than the viewport."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_unknown_page_is_a_friendly_404(phone: Page, screenshot):
    response = phone.goto("/no/such/page")
    assert response is not None and response.status == 404
    expect(phone.get_by_role("heading", level=1)).to_contain_text("页面不存在")
    expect(phone.get_by_role("link", name="返回首页")).to_be_visible()
    assert blocking_violations(phone) == []
    screenshot(phone, "09-not-found")
