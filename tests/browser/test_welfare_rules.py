"""The rules of social assistance in a real browser, on the demo city: the city's civil-affairs
officer opens the rules page from the staff home page, sees the example values marked and the
city's own edit (the demo's), adds a dated change with a reason (a past date asks for
confirmation first) and reads its history; a community worker uses the trial calculator on a
phone and reads the class, the amount and the trace line by line."""

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
        keep = path.parents[1] / "welfare-rules-screenshots"
        keep.mkdir(exist_ok=True)
        shutil.copy(path, keep / path.name)
        return path

    return save


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"the page scrolls sideways ({width}px > {viewport}px)"


def test_city_officer_sets_a_dated_value(desktop: Page, demo_site, shot):
    page = staff(desktop, demo_site, "demo_civil_affairs_city")
    menu_link(page, "救助规则与标准").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("救助规则与标准")
    expect(page.locator(".example-tag").first).to_have_text("示例值")
    urban = page.locator("#p-dibaostandardurban")
    expect(urban).to_contain_text("¥850.00")  # the demo's city edit from 2026-07-01
    expect(urban).to_contain_text("市级设定")
    expect(urban).to_contain_text("演示文号")
    assert blocking_violations(page) == []
    shot(page, "welfare-rules-01-table-1280")

    page.locator("#rules-change summary").click()
    form = page.locator("#rules-change form")
    form.locator("select[name=name]").select_option("dibao.minimum_amount")
    form.locator("input[name=value]").fill("40")
    form.locator("input[name=valid_from]").fill("2026-01-01")
    form.locator("input[name=reason]").fill("提高低保保底金额")
    form.locator("input[name=document]").fill("演示文号（非真实文件）")
    form.get_by_role("button", name="登记调整").click()
    expect(page.locator(".field.has-error")).to_contain_text("已作出的认定不会重算")
    shot(page, "welfare-rules-02-past-date-asks-1280")

    form = page.locator("#rules-change form")
    form.locator("input[name=valid_from]").fill((dt.date.today() + dt.timedelta(days=30)).isoformat())
    form.get_by_role("button", name="登记调整").click()
    expect(page.locator(".notice-ok, .messages, [role=status]").first).to_contain_text("已登记参数调整")
    minimum = page.locator("#p-dibaominimum_amount")
    expect(minimum).to_contain_text("¥40.00")
    expect(minimum).to_contain_text("提高低保保底金额")

    minimum.get_by_role("link").click()
    history = page.locator("#rules-history")
    expect(history).to_contain_text("¥40.00")
    expect(history).to_contain_text("¥30.00")
    expect(history).to_contain_text("示例值")
    assert blocking_violations(page) == []
    shot(page, "welfare-rules-03-history-1280")


def test_city_officer_reads_the_table_on_a_phone(phone: Page, demo_site, shot):
    page = staff(phone, demo_site, "demo_civil_affairs_city")
    menu_link(page, "救助规则与标准").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("救助规则与标准")
    no_sideways_scroll(page)
    shot(page, "welfare-rules-04-table-390")


def test_worker_tries_a_household_on_a_phone(phone: Page, demo_site, shot):
    page = staff(phone, demo_site, "demo_community_worker")
    menu_link(page, "救助规则与标准").click()
    page.get_by_role("link", name="试算").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("试算")
    page.locator("input[name=m1_age]").fill("46")
    page.locator("input[name=m1_wage]").fill("-1000")
    page.locator("input[name=m2_age]").fill("76")
    page.get_by_role("button", name="计算").click()
    expect(page.locator(".field.has-error")).to_contain_text("金额不能为负数")
    page.locator("input[name=m1_wage]").fill("1000")
    page.locator("input[name=m3_age]").fill("11")
    page.locator("input[name=medical_costs]").fill("200")
    page.get_by_role("button", name="计算").click()
    expect(page.locator("#trial-class")).to_have_text("最低生活保障")
    expect(page.locator("#trial-amount")).to_contain_text("¥")
    trace = page.locator("#trial-trace")
    expect(trace).to_contain_text("家庭月人均收入")
    expect(trace).to_contain_text("医疗支出扣减")
    expect(trace).to_contain_text("差额")
    no_sideways_scroll(page)
    assert blocking_violations(page) == []
    shot(page, "welfare-rules-05-trial-390")


def test_worker_tries_a_household_at_1280(desktop: Page, demo_site, shot):
    page = staff(desktop, demo_site, "demo_community_worker")
    page.goto("/staff/welfare/rules/trial/")
    page.locator("input[name=m1_age]").fill("76")
    page.locator("input[name=m1_transfer]").fill("200")
    page.locator("select[name=m1_care_need]").select_option("partial")
    page.get_by_role("button", name="计算").click()
    expect(page.locator("#trial-class")).to_have_text("特困人员救助供养")
    expect(page.locator("#trial-trace")).to_contain_text("照料护理标准")
    assert re.search(r"¥1,\d{3}\.\d{2}", page.locator("#trial-amount").inner_text())
    shot(page, "welfare-rules-06-trial-1280")
