"""Resident pool journeys in a real browser against the demo city: a community worker finds a
resident, reveals the phone with a reason, and records a visit from a phone; a street officer
reads the rates per community. Locators use ids, names and URLs, not wording, so the journeys
hold in both languages."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect
from test_journeys import blocking_violations, log_in

from linli.residents.domain import id_number_make

pytestmark = pytest.mark.browser
NAME = "韩桂兰"
PHONE_NUMBER = "13598765432"


def test_community_worker_finds_reveals_and_visits_from_a_phone(phone: Page, demo_site, screenshot):
    log_in(phone, "demo_community_worker", demo_site.password("demo_community_worker"))
    # register a household and its head from the phone (the small demo may leave the demo
    # community empty), which also walks the two forms
    phone.goto("/staff/residents/households/new/")
    phone.locator("#id_building").select_option(index=1)
    phone.locator("#id_room").fill("9-909")
    phone.locator("#id_residence_type").select_option("permanent")
    phone.locator("main form button[type=submit]").click()
    expect(phone).to_have_url(re.compile(r"/members/new/$"))
    birth = date(1946, 5, 17)
    phone.locator("#id_name").fill(NAME)
    phone.locator("#id_gender").select_option("female")
    phone.locator("#id_birth_date").fill(birth.isoformat())
    phone.locator("#id_id_number").fill(id_number_make("210102", birth, 321, "female")[:17] + "0")  # wrong digit
    phone.locator("#id_phone").fill(PHONE_NUMBER)
    phone.locator("form.form-columns button[type=submit]").click()
    expect(phone.locator("#id_id_number_error")).to_be_visible()
    screenshot(phone, "19-residents-member-form-error-phone")
    phone.locator("#id_id_number").fill(id_number_make("210102", birth, 321, "female"))
    phone.locator("form.form-columns button[type=submit]").click()
    expect(phone).to_have_url(re.compile(r"/staff/residents/households/[0-9a-f-]{36}/$"))
    expect(phone.locator(".member h3")).to_have_text(NAME)
    screenshot(phone, "20-residents-household-phone")
    name = NAME

    # search as you type (HTMX), then open the card
    phone.goto("/staff/residents/")
    phone.locator("#resident-q").fill(name)
    result = phone.locator("#results .result-name", has_text=name).first
    expect(result).to_be_visible()
    assert "/staff/residents/?" not in phone.url  # nothing typed lands in the address bar
    screenshot(phone, "21-residents-search-phone")
    result.click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text(name)
    masked = phone.locator("#reveal-phone .code").inner_text()
    assert "****" in masked

    # reveal the phone: asked for a reason first, an empty one is refused in place
    phone.locator("#reveal-phone a.button").click()
    reason = phone.locator("#reveal-reason-phone")
    expect(reason).to_be_visible()
    phone.locator("#reveal-phone button[type=submit]").click()
    expect(phone.locator("#reveal-phone .error")).to_be_visible()
    phone.locator("#reveal-reason-phone").fill("电话预约入户走访")
    phone.locator("#reveal-phone button[type=submit]").click()
    value = phone.locator("#reveal-phone .revealed-value")
    expect(value).to_have_text(PHONE_NUMBER)
    assert masked == "135****5432"
    expect(phone.locator("#reveal-phone .logged")).to_be_visible()
    screenshot(phone, "22-residents-card-revealed-phone")

    # record a visit to this household from the phone form
    phone.locator(".crumbs a").nth(1).click()
    phone.locator("a[href*='/visits/new/']").first.click()
    expect(phone.locator("#id_household")).not_to_have_value("")
    phone.locator("#id_findings").fill("老人身体状况良好，家中整洁。")
    phone.locator("#id_follow_up_needed").check()
    screenshot(phone, "23-residents-visit-form-phone")
    assert blocking_violations(phone) == []
    phone.locator("form.big-form button[type=submit]").click()
    expect(phone).to_have_url(re.compile(r"/staff/residents/plan/$"))
    expect(phone.locator(".notice-ok")).to_be_visible()
    screenshot(phone, "24-residents-plan-phone")


def test_street_officer_reads_the_care_list(desktop: Page, demo_site, screenshot):
    # the small demo puts its people across the street, so the street officer has a list
    log_in(desktop, "demo_street_officer", demo_site.password("demo_street_officer"))
    desktop.goto("/staff/residents/care/")
    expect(desktop.locator("tbody tr th a").first).to_be_visible()
    expect(desktop.locator("tbody tr").first.locator("td").nth(4)).to_have_text(re.compile(r"\d{4}-\d{2}-\d{2}"))
    screenshot(desktop, "25-residents-care-list")
    assert blocking_violations(desktop) == []


def test_street_officer_sees_rates_per_community(desktop: Page, demo_site, screenshot):
    log_in(desktop, "demo_street_officer", demo_site.password("demo_street_officer"))
    desktop.goto("/staff/residents/rates/")
    rows = desktop.locator("tbody tr")
    expect(rows.first).to_contain_text("社区")
    assert rows.count() > 1
    expect(desktop.locator(".rate-figures dd").nth(2)).to_have_text(re.compile(r"^\d+(\.\d)?%$"))
    screenshot(desktop, "26-residents-rates-street")
    assert blocking_violations(desktop) == []
    desktop.goto("/staff/org/")
    desktop.get_by_role("table").get_by_role("link").first.click()
    expect(desktop.locator("tbody tr").first.locator("td.num").nth(4)).to_have_text(re.compile(r"%$"))
    screenshot(desktop, "27-org-tree-street-rates")
