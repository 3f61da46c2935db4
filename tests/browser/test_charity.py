"""Charity and micro-funds in a real browser, on the demo city: an anonymous visitor reads the
showcase community's micro-fund ledger on a phone (from the home page's tile); the community
worker posts a need (a full ID number refused first, next to its field), matches an offer from
the proposals and records the delivery at 1280 px."""

from __future__ import annotations

import re
import shutil

import pytest
from playwright.sync_api import Page, expect
from test_grid_events import staff
from test_journeys import blocking_violations, menu_link

pytestmark = pytest.mark.browser

FULL_ID = "210102195003071234"
PHONE_OR_ID = re.compile(r"(?<!\d)(1[3-9]\d{9}|\d{17}[\dXx])(?!\d)")


@pytest.fixture
def shot(screenshot):
    """The session's screenshot, and a copy kept beside it that another session cannot wipe."""

    def save(page: Page, name: str):
        path = screenshot(page, name)
        keep = path.parents[1] / "charity-screenshots"
        keep.mkdir(exist_ok=True)
        shutil.copy(path, keep / path.name)
        return path

    return save


def test_visitor_reads_a_fund_ledger_on_a_phone(phone: Page, demo_site, shot):
    phone.goto("/")
    phone.get_by_role("link", name=re.compile("邻里互助")).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("慈善帮扶与邻里互助")
    expect(phone.locator(".need-card").first).to_be_visible()
    assert blocking_violations(phone) == []
    shot(phone, "charity-01-giving-phone")

    phone.locator(".fund-list a").first.click()
    expect(phone).to_have_url(re.compile(r"/giving/funds/[0-9a-f-]+/$"))
    expect(phone.get_by_role("heading", level=1)).to_contain_text("微基金")
    ledger = phone.locator("table.ledger")
    expect(ledger).to_contain_text("匿名捐赠人")
    expect(ledger).to_contain_text("居民议事会")  # the large payment shows the residents' decision
    expect(ledger).to_contain_text("发票")
    expect(phone.locator(".fund-figures")).to_contain_text("¥")
    text = phone.locator("main").inner_text()
    assert not PHONE_OR_ID.search(text), "no phone or ID number on the public ledger"
    assert "demo_community_worker" not in text  # who recorded it stays internal
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width}px)"
    assert blocking_violations(phone) == []
    shot(phone, "charity-02-fund-ledger-phone")


def test_worker_posts_a_need_matches_and_delivers(desktop: Page, demo_site, shot):
    page = staff(desktop, demo_site, "demo_community_worker")
    expect(page.locator("#work-charity")).to_contain_text("待送达")
    menu_link(page, "慈善需求").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("慈善需求")
    assert blocking_violations(page) == []
    shot(page, "charity-03-needs-queue")

    page.get_by_role("link", name="发布需求").first.click()
    page.locator("select[name=kind]").select_option("goods")
    page.locator("select[name=category]").select_option("clothing")
    page.locator("input[name=title]").fill("儿童棉服两件")
    page.locator("input[name=quantity]").fill("2")
    page.locator("input[name=unit]").fill("件")
    page.locator("input[name=beneficiary]").fill("陈同学，父母务工")
    page.locator("textarea[name=description]").fill(f"孩子身份证{FULL_ID}，需要两件棉服")
    page.locator("textarea[name=note]").fill("住7号楼，奶奶照看")
    page.get_by_role("button", name="发布需求").click()
    error = page.locator(".field.has-error")
    expect(error).to_have_count(1)
    expect(error.locator("label")).to_contain_text("说明")
    expect(error.locator(".error")).to_contain_text("身份证号")
    assert blocking_violations(page) == []
    shot(page, "charity-04-full-id-refused")

    page.locator("textarea[name=description]").fill("孩子冬天上学没有厚棉服，需要两件，身高约140厘米")
    page.get_by_role("button", name="发布需求").click()
    expect(page).to_have_url(re.compile(r"/staff/charity/needs/[0-9a-f-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("儿童棉服两件")
    expect(page.locator(".sealed-note")).to_contain_text("住7号楼")
    proposal = page.locator(".proposal").first
    expect(proposal).to_be_visible()
    shot(page, "charity-05-need-proposals")

    proposal.locator("input[name=quantity]").fill("2")
    proposal.get_by_role("button", name="确认对接").click()
    expect(page.locator(".notice-ok")).to_contain_text("对接已确认")
    expect(page.locator(".big-tag")).to_have_text("已对接")
    page.locator(".match-list form").first.locator("input[name=note]").fill("已送到家里")
    page.get_by_role("button", name="登记送达").click()
    expect(page.locator(".big-tag")).to_have_text("已送达")
    expect(page.locator(".timeline")).to_contain_text("已全部送达")
    assert blocking_violations(page) == []
    shot(page, "charity-06-delivered")

    menu_link(page, "微基金").click()
    page.locator("table.grid-table a").first.click()
    expect(page.locator("#fund-balance")).to_contain_text("¥")
    shot(page, "charity-07-fund-staff")
