"""The people around home-care orders, in a real browser on the demo city, each from the home page:
the provider's dispatcher adds a carer on a 390 px phone and ends that account with the reason;
the community worker links another resident's account to the demo mother at the window (1280 px)
and ends the link with the reason."""

from __future__ import annotations

import re
import sqlite3
import uuid

import pytest
from playwright.sync_api import Page, expect
from test_care_orders import no_english, no_sideways_scroll
from test_grid_events import staff
from test_journeys import blocking_violations, menu_link

pytestmark = pytest.mark.browser


def _mother_name(demo_site) -> str:
    """The demo resident's mother, linked to her account at the window by the demo."""
    with sqlite3.connect(demo_site.data_dir / "linli.sqlite3") as db:
        ref = db.execute(
            """SELECT l.person_ref FROM care_familylink l JOIN accounts_user u ON u.id = l.user_id
               WHERE u.username = 'demo_resident' AND l.ended_at IS NULL"""
        ).fetchone()[0]
        hex_ref = uuid.UUID(str(ref)).hex
        return db.execute(
            "SELECT name FROM residents_resident WHERE replace(public_id, '-', '') = ?", (hex_ref,)
        ).fetchone()[0]


def test_the_dispatcher_adds_a_carer_and_ends_the_account_with_the_reason(phone: Page, demo_site, screenshot):
    page = staff(phone, demo_site, "demo_care_provider")
    menu_link(page, "我们的护理员").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我们的护理员")
    page.locator("#m-name").fill("孙晓燕")
    page.locator("#m-username").fill("carer_sun_browser")
    page.get_by_role("button", name="创建账号").click()
    expect(page.locator("main [role=status]")).to_contain_text("carer_sun_browser")
    expect(page.locator(".big-tag")).to_be_visible()  # the temporary password, shown once
    no_sideways_scroll(page)
    assert blocking_violations(page) == []
    screenshot(page, "care-team-01-carer-added-phone")

    row = page.get_by_role("row", name=re.compile("^孙晓燕"))
    row.get_by_text("停用此账号").click()
    row.get_by_label("原因").fill("试用期未通过")
    row.get_by_role("button", name="停用账号").click()
    expect(page.locator(".notice-ok")).to_contain_text("账号已停用")
    expect(page.get_by_role("row", name=re.compile("^孙晓燕"))).to_contain_text("已停用")
    no_english(page)
    no_sideways_scroll(page)
    screenshot(page, "care-team-02-carer-ended-phone")


def test_the_worker_links_a_family_account_at_the_window_and_ends_it(desktop: Page, phone: Page, demo_site, screenshot):
    name = _mother_name(demo_site)
    page = staff(desktop, demo_site, "demo_community_worker")
    menu_link(page, "养老服务卡").click()
    page.get_by_label("姓名、地址或身份证号").fill(name)
    page.get_by_role("button", name="查找").click()
    page.locator("tbody tr").filter(has_text=name).first.get_by_role("link", name="家属账号").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("的家属账号")
    expect(page.locator("main table")).to_contain_text("女儿")  # the demo resident, linked by the demo

    # a mistyped log-in name is refused on its field, and nothing is linked
    page.get_by_label("家属的登录名").fill("no_such_account")
    page.get_by_label("与老人的关系（如：女儿）").fill("儿子")
    page.get_by_role("button", name="关联账号").click()
    expect(page.locator(".field.has-error")).to_contain_text("没有这个居民账号")
    screenshot(page, "care-family-01-refused-desktop")

    page.get_by_label("家属的登录名").fill("demo_class_neighbour_01")  # a resident account of the demo
    page.get_by_role("button", name="关联账号").click()
    expect(page.locator(".notice-ok")).to_contain_text("已关联")
    row = page.locator("tbody tr").filter(has_text="儿子")
    row.get_by_text("解除关联").first.click()
    row.get_by_label("原因").fill("家属要求解除")
    row.get_by_role("button", name="解除关联").click()
    expect(page.locator(".notice-ok")).to_contain_text("已解除关联")
    expect(page.locator("main table")).not_to_contain_text("儿子")
    no_english(page)
    assert blocking_violations(page) == []
    screenshot(page, "care-family-02-ended-desktop")

    # the same page on a phone
    worker = staff(phone, demo_site, "demo_community_worker")
    worker.goto(page.url)
    no_sideways_scroll(worker)
    screenshot(worker, "care-family-03-phone")
