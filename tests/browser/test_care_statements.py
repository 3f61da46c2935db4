"""Provider statements in a real browser, on the demo city: the street officer opens this month's
draft statement of the demo provider from the home page's menu, sees a visit still to verify
refused by name, approves the statement with a note, downloads its PDF and records the payment;
the provider's dispatcher reads it without any action; a community worker registers a family care
bed on a phone for an elder the picker marks eligible, after a refused first try. Screenshots at
390 and 1280 px, axe with no serious or critical finding."""

from __future__ import annotations

import re
import shutil

import pytest
from playwright.sync_api import Page, expect
from test_care_orders import no_sideways_scroll
from test_grid_events import staff
from test_journeys import blocking_violations, menu_link

pytestmark = pytest.mark.browser
ASCII_STATES = re.compile(r"\b(draft|approved|paid|verified|scheduled|supplementary)\b")


@pytest.fixture
def shot(screenshot):
    def save(page: Page, name: str):
        path = screenshot(page, name)
        keep = path.parents[1] / "care-statements-screenshots"
        keep.mkdir(exist_ok=True)
        shutil.copy(path, keep / path.name)
        return path

    return save


def no_raw_words(page: Page) -> None:
    text = page.locator("main").inner_text()
    assert not ASCII_STATES.search(text), ASCII_STATES.search(text)


def test_the_street_approves_a_statement_and_the_provider_reads_it(desktop: Page, phone: Page, demo_site, shot):
    page = staff(desktop, demo_site, "demo_street_officer")
    menu_link(page, "服务机构结算单").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("服务机构结算单")
    shot(page, "statements-01-list-desktop")
    page.get_by_role("link", name="草稿，待审核").click()
    page.locator("#care-statements tbody a").first.click()
    expect(page.locator("#statement-state")).to_have_text("草稿，待审核")
    no_raw_words(page)
    assert blocking_violations(page) == []
    pending = page.locator("#statement-pending tbody tr").filter(has_text="已服务，待核验")
    if pending.count():  # a visit done but not verified: the statement refuses it by name
        pending.first.get_by_role("button", name="列入结算单").click()
        expect(page.locator("main")).to_contain_text("尚未核验，不能列入结算单")
    shot(page, "statements-02-draft-desktop")
    page.locator("#approve-reason").fill("与服务记录核对无误")
    page.locator("#approve-confirm").check()
    page.get_by_role("button", name="审核结算单", exact=True).click()
    expect(page.locator("#statement-state")).to_have_text("已审核，待付款")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    number = page.get_by_role("heading", level=1).inner_text().split()[-1]
    shot(page, "statements-03-approved-desktop")
    # the street pays the provider from the approved statement
    page.locator("#pay-ref").fill("ZF2026120701")
    page.locator("#pay").get_by_role("button").click()
    expect(page.locator("#statement-state")).to_have_text("已支付")
    statement_url = page.url

    # the same statement on the street officer's phone: nothing scrolls sideways
    officer = staff(phone, demo_site, "demo_street_officer")
    officer.goto(statement_url)
    expect(officer.locator("#statement-state")).to_have_text("已支付")
    no_sideways_scroll(officer)
    shot(officer, "statements-03b-paid-phone")

    page = staff(phone, demo_site, "demo_care_provider")
    page.goto(f"{demo_site.url}/provider/statements/")
    page.get_by_role("link", name=number).click()
    expect(page.locator("#read-only")).to_be_visible()
    assert page.locator("main form").count() == 0
    assert blocking_violations(page) == []
    shot(page, "statements-04-provider-phone")


def test_a_community_worker_registers_a_bed_on_a_phone(phone: Page, demo_site, shot):
    page = staff(phone, demo_site, "demo_community_worker")
    menu_link(page, "家庭养老床位").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("家庭养老床位")
    shot(page, "statements-05-beds-phone")
    page.get_by_role("link", name="登记床位").click()
    page.locator("#bed-q").fill("水源地")  # the showcase community's addresses
    page.locator("main").get_by_role("button", name="查询").click()
    # the elders the bed item allows come first, each option saying whether it does and why not
    person = page.locator("select[name=person] option").nth(1)
    expect(person).to_contain_text("可登记床位")
    expect(page.locator("select[name=person]")).to_contain_text("不可登记：不符合该项目的享受条件")
    page.locator("select[name=person]").select_option(index=1)
    page.locator("select[name=provider]").select_option(index=1)
    page.locator("input[name=visits_per_week]").fill("9")
    page.get_by_role("button", name="登记床位").click()
    expect(page.locator("main")).to_contain_text("每周上门次数应为 1–7 次")
    no_sideways_scroll(page)
    shot(page, "statements-06-bed-refused-phone")
    page.locator("input[name=visits_per_week]").fill("3")
    page.locator("textarea[name=plan]").fill("独居，行动不便，需助洁、助餐")
    # the start date is today where the city is (the form's default), not the browser's UTC date
    expect(page.locator("input[name=started_on]")).not_to_have_value("")
    page.get_by_role("button", name="登记床位").click()
    expect(page.locator(".notice-ok")).to_contain_text("已登记")
    expect(page.get_by_role("heading", level=1)).to_contain_text("家庭养老床位")
    no_raw_words(page)
    no_sideways_scroll(page)
    assert blocking_violations(page) == []
    shot(page, "statements-07-bed-phone")
