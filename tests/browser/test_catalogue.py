"""The catalogue as residents use it (issue 12): from the home page, a resident on a phone types
老人 and finds 高龄津贴, reads its guide (steps, common questions, a phone number) and downloads the
blank form; a search that finds nothing says so and offers the themes; in English the same item
carries its English name; a catalogue editor sees the guide's fields on the staff page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from test_journeys import blocking_violations, log_in

pytestmark = pytest.mark.browser
ITEM = "SQ007"  # 高龄津贴申请


def fits(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_resident_types_laoren_and_finds_the_old_age_allowance(phone: Page, screenshot):
    phone.goto("/")
    phone.locator("a.tile[href='/services/']").click()
    expect(phone).to_have_url(re.compile(r"/services/$"))
    expect(phone.get_by_role("navigation", name="主题分类")).to_contain_text("养老服务")
    expect(phone.get_by_role("heading", level=2, name="养老服务")).to_be_visible()  # listed under themes
    assert fits(phone) and blocking_violations(phone) == []
    screenshot(phone, "catalogue-00-landing-390")
    phone.get_by_label("查找服务事项").fill("老人")
    phone.locator("main form[role=search] button[type=submit]").click()
    expect(phone.get_by_role("status")).to_contain_text("老人")
    allowance = phone.locator(f".service-list a[href='/services/{ITEM}/']")
    expect(allowance).to_have_text("高龄津贴申请")
    assert fits(phone) and blocking_violations(phone) == []
    screenshot(phone, "catalogue-01-search-老人-390")

    allowance.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("高龄津贴申请")
    steps = phone.locator("ol.guide-steps > li")
    expect(steps).to_have_count(5)
    expect(steps.first).to_have_text("提出申请")
    question = phone.locator("details.faq").first
    question.locator("summary").click()
    expect(question.locator("p")).to_be_visible()
    expect(phone.locator("a.phone-link[href^='tel:']")).to_have_text("12345")
    assert fits(phone) and blocking_violations(phone) == []
    screenshot(phone, "catalogue-02-guide-390")

    with phone.expect_download() as download:
        phone.get_by_role("link", name="高龄津贴申请表").click()
    saved = download.value
    assert saved.suggested_filename == "高龄津贴申请表.pdf"
    with open(saved.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_a_search_that_finds_nothing_offers_the_themes(phone: Page, screenshot):
    phone.goto("/services/?q=火星签证")
    expect(phone.get_by_role("heading", name=re.compile("没有找到"))).to_be_visible()
    themes = phone.locator(".nothing-found .theme-chip")
    assert themes.count() >= 8
    themes.filter(has_text="退役军人").click()
    expect(phone).to_have_url(re.compile(r"category=veterans"))
    expect(phone.locator(".service-list")).to_contain_text("退役军人优待证申领")
    assert fits(phone) and blocking_violations(phone) == []
    screenshot(phone, "catalogue-03-theme-390")


def test_in_english_the_item_shows_its_english_name(desktop: Page, screenshot):
    desktop.goto("/")
    desktop.get_by_role("button", name="English").click()
    expect(desktop.locator("html")).to_have_attribute("lang", "en")
    desktop.locator("a.tile[href='/services/']").click()
    desktop.get_by_label("Find a service").fill("gaoling")
    desktop.locator("main form[role=search] button[type=submit]").click()
    allowance = desktop.locator(f".service-list a[href='/services/{ITEM}/']")
    expect(allowance).to_have_text("Allowance for people aged 80 and over (old-age allowance)")
    assert blocking_violations(desktop) == []
    screenshot(desktop, "catalogue-04-search-english-1280")
    allowance.click()
    expect(desktop.get_by_role("heading", level=1)).to_have_text(
        "Allowance for people aged 80 and over (old-age allowance)"
    )
    expect(desktop.locator("ol.guide-steps > li").last).to_have_text("Paid monthly")
    expect(desktop.locator(".checklist")).to_contain_text("Bank card or social security card")
    expect(desktop.get_by_role("link", name="Application form for the old-age allowance")).to_be_visible()
    assert blocking_violations(desktop) == []
    screenshot(desktop, "catalogue-05-guide-english-1280")
    desktop.get_by_role("button", name="中文").click()
    expect(desktop.get_by_role("heading", level=1)).to_have_text("高龄津贴申请")


def test_a_catalogue_editor_sees_the_guide_fields(desktop: Page, demo_site, screenshot):
    log_in(desktop, "demo_city_admin", demo_site.password("demo_city_admin"))
    desktop.goto(f"/staff/desk/catalogue/{ITEM}/")
    expect(desktop.locator("#id_name_en")).to_have_value("Allowance for people aged 80 and over (old-age allowance)")
    expect(desktop.locator("#id_category")).to_have_value("elderly")
    expect(desktop.locator("textarea[name=steps_text]")).to_contain_text("提出申请 | Apply")
    expect(desktop.locator("textarea[name=forms_text]")).to_contain_text("gaoling_allowance_application.pdf")
    assert blocking_violations(desktop) == []
    screenshot(desktop, "catalogue-06-staff-edit-1280")
