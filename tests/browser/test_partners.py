"""Social organisations in a real browser, on the demo city: the civil-affairs officer registers an
organisation (an invalid credit code refused first, naming the field), evaluates it, and reads the
figures with their chart; the officer's register and the organiser's own page on a phone."""

from __future__ import annotations

import re
import shutil

import pytest
from playwright.sync_api import Page, expect
from test_facilities import showcase_building
from test_grid_events import staff
from test_journeys import blocking_violations, menu_link

from linli.partners.domain import credit_check_char

pytestmark = pytest.mark.browser

BODY = "52210102600037341"  # 民政 · 民办非企业单位 · 和平区 · an organisation code with its own check
GOOD_CODE = BODY + credit_check_char(BODY)
BAD_CODE = BODY + ("0" if GOOD_CODE[-1] != "0" else "1")
NAME = "水源地银龄互助服务中心"


@pytest.fixture
def shot(screenshot):
    """The session's screenshot, and a copy kept beside it that another session cannot wipe."""

    def save(page: Page, name: str):
        path = screenshot(page, name)
        keep = path.parents[1] / "partners-screenshots"
        keep.mkdir(exist_ok=True)
        shutil.copy(path, keep / path.name)
        return path

    return save


def test_officer_registers_evaluates_and_reads_the_figures(desktop: Page, demo_site, shot):
    page = staff(desktop, demo_site, "demo_civil_affairs_officer")
    community, _lat, _lng = showcase_building(demo_site)
    expect(page.locator("#work-partners")).to_contain_text("年度未评估")
    shot(page, "partners-01-workbench")

    menu_link(page, "社会组织").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("社会组织")
    expect(page.locator("table.grid-table tbody tr").first).to_be_visible()
    assert blocking_violations(page) == []
    shot(page, "partners-02-register")

    page.get_by_role("link", name="登记社会组织").click()
    page.get_by_label("名称", exact=True).fill(NAME)
    page.get_by_label("组织类别").select_option("mutual_aid")
    page.get_by_label("登记（有统一社会信用代码）").check()
    page.get_by_role("textbox", name=re.compile("^统一社会信用代码")).fill(BAD_CODE)
    page.get_by_label("所在地").select_option(community)
    page.get_by_label("负责人", exact=True).fill("刘淑芬")
    page.get_by_label("负责人电话").fill("13940001234")
    page.get_by_label("服务内容").fill("高龄老人探访、邻里守望、助餐送餐")
    page.get_by_role("button", name="保存").click()
    error = page.locator(".field.has-error .error")
    expect(error).to_have_count(1)
    expect(error).to_contain_text("校验位")
    expect(page.locator(".field.has-error label")).to_contain_text("统一社会信用代码")
    assert blocking_violations(page) == []
    shot(page, "partners-03-code-refused")

    page.get_by_role("textbox", name=re.compile("^统一社会信用代码")).fill(GOOD_CODE)
    page.get_by_label("负责人电话").fill("13940001234")
    page.get_by_role("button", name="保存").click()
    expect(page).to_have_url(re.compile(r"/staff/partners/orgs/[0-9a-f-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    expect(page.locator(".card-fields")).to_contain_text("139****1234")
    expect(page.locator(".card-fields")).not_to_contain_text("13940001234")

    page.get_by_role("link", name="年度评估").click()
    page.get_by_label(re.compile("^基础条件")).fill("18")
    page.get_by_label(re.compile("^内部治理")).fill("30")  # out of range: refused naming the criterion
    page.get_by_label(re.compile("^工作绩效")).fill("31")
    page.get_by_label(re.compile("^社会评价")).fill("17")
    page.get_by_role("button", name="保存评估").click()
    expect(page.locator(".field.has-error .error")).to_contain_text("内部治理")
    page.get_by_label(re.compile("^内部治理")).fill("22")
    page.get_by_role("button", name="保存评估").click()
    expect(page.locator(".notice-ok")).to_contain_text("88")
    expect(page.locator("#evaluations")).to_contain_text("4A")
    assert blocking_violations(page) == []
    shot(page, "partners-04-evaluated")

    menu_link(page, "社会组织统计").click()
    expect(page.locator("#orgs-by-kind .chart-canvas canvas, #orgs-by-kind .chart-canvas svg").first).to_be_visible()
    expect(page.locator("#station-coverage")).to_be_visible()
    expect(page.locator("#orgs-table")).to_contain_text("合计")
    assert blocking_violations(page) == []
    shot(page, "partners-05-figures")


def test_register_and_figures_on_a_phone_and_the_organisers_page(phone: Page, demo_site, shot):
    page = staff(phone, demo_site, "demo_civil_affairs_officer")
    menu_link(page, "社会组织统计").click()
    expect(page.locator("#orgs-by-kind")).to_be_visible()
    assert blocking_violations(page) == []
    shot(page, "partners-06-figures-phone")
    page.goto("/staff/partners/stations/")
    expect(page.locator("table.grid-table tbody tr").first).to_be_visible()
    shot(page, "partners-07-stations-phone")

    page = staff(phone, demo_site, "demo_organiser")
    menu_link(page, "我的组织").click()
    expect(page).to_have_url(re.compile(r"/staff/partners/orgs/[0-9a-f-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="年度评估")).to_have_count(0)
    assert blocking_violations(page) == []
    shot(page, "partners-08-organiser-phone")
