"""The roll in a real browser, on the demo city (the issue's second journey): the city's
civil-affairs officer raises the yearly standard from next month on the rules page; the community
worker computes the reviews with the rules of that date and sees the differences; one household
whose income rose moves to gradual exit (渐退) after the worker updates its facts and confirms with
a reason, another's increase is confirmed; the district's officer generates next month's payroll,
sees the new amount, approves it (frozen: no approval form any more) and downloads the bank file.
Screenshots at 1280 and 390 px."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest
from playwright.sync_api import Page, expect
from test_grid_events import staff
from test_journeys import blocking_violations, menu_link

pytestmark = pytest.mark.browser


@pytest.fixture
def shot(screenshot):
    """The session's screenshot, and a copy kept beside it that another session cannot wipe."""

    def save(page: Page, name: str):
        path = screenshot(page, name)
        keep = path.parents[1] / "welfare-roll-screenshots"
        keep.mkdir(exist_ok=True)
        shutil.copy(path, keep / path.name)
        return path

    return save


def next_month() -> dt.date:
    today = dt.date.today()
    return (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"the page scrolls sideways ({width}px > {viewport}px)"


def test_standard_rises_reviews_recompute_one_household_phases_out_and_the_payroll_follows(
    desktop: Page, demo_site, shot
):
    # 1. the city raises the urban standard from next month
    page = staff(desktop, demo_site, "demo_civil_affairs_city")
    menu_link(page, "救助规则与标准").click()
    page.locator("#rules-change summary").click()
    form = page.locator("#rules-change form")
    form.locator("select[name=name]").select_option("dibao.standard.urban")
    form.locator("input[name=value]").fill("950")
    form.locator("input[name=valid_from]").fill(next_month().isoformat())
    form.locator("input[name=reason]").fill("年度调整城市低保标准")
    form.locator("input[name=document]").fill("演示文号（非真实文件）")
    form.get_by_role("button", name="登记调整").click()
    expect(page.locator("#p-dibaostandardurban")).to_contain_text("¥950.00")

    # 2. the community worker computes the reviews with the rules of next month
    page = staff(desktop, demo_site, "demo_community_worker")
    menu_link(page, "到期复核").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("动态复核")
    page.locator("#recompute-form input[name=on]").fill(next_month().isoformat())
    page.locator("#recompute-form").get_by_role("button", name="开始计算").click()
    expect(page.locator("[role=status], .messages, .notice-ok").first).to_contain_text("户与名册不同")
    increases = page.locator("#review-list tr:has(.outcome-increase) a")
    expect(increases.first).to_be_visible()
    assert increases.count() >= 2
    assert blocking_violations(page) == []
    shot(page, "welfare-roll-01-reviews-1280")

    # 3. one household's income rose: the worker updates its facts, the rules propose 渐退
    first, second = increases.nth(0).get_attribute("href"), increases.nth(1).get_attribute("href")
    page.goto(first)
    page.locator("#facts-form input[name=wage_1]").fill("6000")
    page.locator("#facts-form input[name=reason]").fill("户主已就业，月薪6000元")
    page.locator("#facts-form").get_by_role("button", name="保存并重新认定").click()
    expect(page.locator("#review-outcome")).to_have_text("渐退")
    proposal = page.locator("#review-proposal")
    proposal.get_by_role("button", name="确认结果").click()
    expect(page.locator(".error, .errorlist").first).to_contain_text("请填写变更理由")
    page.locator("#review-proposal input[name=reason]").fill("收入超过低保标准，按规定进入渐退期")
    page.locator("#review-proposal").get_by_role("button", name="确认结果").click()
    expect(page.locator(".big-tag")).to_have_text("渐退期")
    expect(page.locator("#recipient-changes")).to_contain_text("收入超过低保标准")
    assert blocking_violations(page) == []
    shot(page, "welfare-roll-02-gradual-exit-1280")

    # 4. another household's increase is confirmed
    page.goto(second)
    before = page.locator("#recipient-amount").inner_text()
    page.locator("#review-proposal input[name=reason]").fill("城市低保标准提高，按新标准增发")
    page.locator("#review-proposal").get_by_role("button", name="确认结果").click()
    expect(page.locator("#recipient-changes")).to_contain_text("增发")
    after = page.locator("#recipient-amount").inner_text()
    assert after != before
    new_amount = re.search(r"¥[\d,]+\.\d\d", after).group(0)
    household = second.rstrip("/").rsplit("/", 1)[-1]

    # 5. the district's officer generates next month's payroll, approves it, downloads the file
    page = staff(desktop, demo_site, "demo_civil_affairs_officer")
    menu_link(page, "月度发放名册").click()
    form = page.locator("#generate-form")
    form.locator("input[name=month]").fill(next_month().strftime("%Y-%m"))
    form.get_by_role("button", name="生成名册").click()
    expect(page.locator("#payroll-state")).to_have_text("草稿，待审批")
    line = page.locator(f"#payroll-lines tr:has(a[href*='{household}'])")
    expect(line).to_contain_text(new_amount)
    expect(page.locator("#payroll-totals")).to_contain_text("¥")
    shot(page, "welfare-roll-03-payroll-draft-1280")
    page.locator("#approve-form").get_by_role("button", name="审批并冻结").click()
    expect(page.locator(".alert")).to_contain_text("请勾选确认")
    page.locator("#approve-form input[name=confirm]").check()
    page.locator("#approve-form").get_by_role("button", name="审批并冻结").click()
    expect(page.locator("#payroll-state")).to_have_text("已审批冻结")
    expect(page.locator("#approve-form")).to_have_count(0)
    with page.expect_download() as download:
        page.locator("#export-xlsx").click()
    assert download.value.suggested_filename.endswith("-masked.xlsx")
    assert blocking_violations(page) == []
    shot(page, "welfare-roll-04-payroll-frozen-1280")


def test_worker_reads_the_roll_and_a_household_on_a_phone(phone: Page, demo_site, shot):
    page = staff(phone, demo_site, "demo_community_worker")
    menu_link(page, "救助名册").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("救助名册")
    expect(page.locator("#roll-figures")).to_contain_text("最低生活保障")
    text = page.locator("#roll-list").inner_text()
    assert re.search(r"[\u4e00-\u9fff]\*", text), "heads are masked (张*明)"
    no_sideways_scroll(page)
    shot(page, "welfare-roll-05-roll-390")
    page.locator("#roll-list a").first.click()
    expect(page.locator("#recipient-amount")).to_contain_text("¥")
    no_sideways_scroll(page)
    assert blocking_violations(page) == []
    shot(page, "welfare-roll-06-household-390")
    menu_link(page, "到期复核").click()
    no_sideways_scroll(page)
    shot(page, "welfare-roll-07-reviews-390")


def test_officer_reads_the_payrolls_on_a_phone(phone: Page, demo_site, shot):
    page = staff(phone, demo_site, "demo_civil_affairs_officer")
    menu_link(page, "月度发放名册").click()
    expect(page.locator("#payroll-list")).to_contain_text("已审批冻结")
    page.locator("#payroll-list a").first.click()
    expect(page.locator("#payroll-totals")).to_contain_text("¥")
    no_sideways_scroll(page)
    assert blocking_violations(page) == []
    shot(page, "welfare-roll-08-payroll-390")
