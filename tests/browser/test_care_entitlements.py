"""Entitlements in a real browser, on the demo city: the city's civil-affairs officer publishes a new
version of the service list with a changed price (1280 px); a community worker assesses an elder on
a phone (390 px), is told what is missing, and sees the elder's entitlements change; the resident sees
"what we are entitled to" in normal and elder mode. Screenshots at 390 and 1280 px."""

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
        keep = path.parents[1] / "care-entitlements-screenshots"
        keep.mkdir(exist_ok=True)
        shutil.copy(path, keep / path.name)
        return path

    return save


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width}px)"


def no_raw_words(page: Page) -> None:
    text = page.locator("main").inner_text()
    for word in ("daily_care", "meals", "tekun", "dibao", "elderly_alone", "None", "care.", "in_force", "draft"):
        assert word not in text, f"{word!r} on the Chinese page"


def test_the_city_publishes_a_new_version_with_a_changed_price(desktop: Page, demo_site, shot):
    page = staff(desktop, demo_site, "demo_civil_affairs_city")
    menu_link(page, "基本养老服务清单").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("基本养老服务清单")
    expect(page.locator("main")).to_contain_text("助浴")
    no_raw_words(page)
    assert blocking_violations(page) == []
    shot(page, "entitlements-01-list-desktop")

    page.get_by_role("button", name="起草新版本（复制现行清单）").click()
    expect(page.locator(".notice-ok")).to_contain_text("起草第")
    page.get_by_role("link", name="ZY01", exact=True).click()
    page.locator("input[name=unit_price]").fill("九十")
    page.get_by_role("button", name="保存项目").click()
    expect(page.locator(".error").first).to_contain_text("单价应为不小于 0 的金额")
    shot(page, "entitlements-02-item-refused-desktop")
    page.locator("input[name=unit_price]").fill("90.00")
    page.get_by_role("button", name="保存项目").click()
    expect(page.locator(".notice-ok")).to_contain_text("项目已保存")

    form = page.locator("form[action$='/publish/']")
    form.get_by_role("button", name="发布").click()
    expect(page.locator("main")).to_contain_text("请填写发文文号")
    form = page.locator("form[action$='/publish/']")
    form.locator("input[name=effective_from]").fill(dt.date.today().isoformat())
    form.locator("input[name=document]").fill("沈民发〔2026〕18号")
    form.locator("input[name=reason]").fill("助浴服务成本上涨，调整单价")
    form.get_by_role("button", name="发布").click()
    expect(page.locator(".notice-ok")).to_contain_text("已发布")
    assert blocking_violations(page) == []
    shot(page, "entitlements-03-published-desktop")

    menu_link(page, "基本养老服务清单").click()
    expect(page.locator("p.lead")).to_contain_text(re.compile(r"现行：第 \d+ 版"))
    expect(page.locator("tr", has_text="ZY01")).to_contain_text("¥90.00")
    shot(page, "entitlements-04-in-force-desktop")


def _pick_an_elder(page: Page) -> None:
    """Search the showcase community for a common surname and open the first elder aged 60+."""
    for surname in ("王", "李", "张", "刘", "陈", "杨", "赵"):
        page.goto(f"/staff/care/assessments/new/?q={surname}")
        for link in page.locator("a.pick").all():
            age = int(re.search(r"(\d+) 岁", link.locator(".age").inner_text()).group(1))
            if age >= 60:
                link.click()
                return
    pytest.fail("no elder aged 60+ found in the showcase community")


def test_a_worker_assesses_an_elder_on_a_phone(phone: Page, demo_site, shot):
    page = staff(phone, demo_site, "demo_community_worker")
    # the menu says 能力评估 (the heading says which ones: those due for a new assessment)
    menu_link(page, "老年人能力评估").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("待复评的能力评估")
    no_sideways_scroll(page)
    shot(page, "entitlements-05-due-phone")

    page.get_by_role("link", name="评估老人").click()
    _pick_an_elder(page)
    expect(page.locator("fieldset.question")).to_have_count(26)
    no_sideways_scroll(page)
    shot(page, "entitlements-06-form-phone")
    # the third answer of each question (the last where there are fewer): 40 points, severely impaired
    for question in page.locator("fieldset.question").all():
        radios = question.locator("input[type=radio]")
        radios.nth(min(2, radios.count() - 1)).check()
    page.get_by_role("button", name="保存评估结果").click()
    expect(page.locator(".alert")).to_be_visible()
    expect(page.locator("main")).to_contain_text("请填写第二评估员姓名")
    no_sideways_scroll(page)
    shot(page, "entitlements-07-refused-phone")
    page.locator("input[name=second_assessor_name]").fill("李娟")
    page.get_by_role("button", name="保存评估结果").click()

    expect(page.locator(".notice-ok")).to_contain_text("评估已保存：40 分，重度失能")
    expect(page.locator("dl.card-fields")).to_contain_text("重度失能")
    bath = page.locator("tr", has_text="助浴")
    # severe impairment gives at least 70%; an elder who also has another status (低保, 特困) gets more
    expect(bath).to_contain_text(re.compile(r"(?<!\d)(70|7[5-9]|[89]\d|100)%"))
    no_sideways_scroll(page)
    no_raw_words(page)
    assert blocking_violations(page) == []
    shot(page, "entitlements-08-elder-phone")


def test_the_resident_sees_what_they_are_entitled_to(phone: Page, demo_site, shot):
    phone.context.clear_cookies()
    phone.goto("/login/")
    phone.locator("#id_username").fill("demo_resident")
    phone.locator("#id_password").fill(demo_site.password("demo_resident"))
    phone.locator("main form button[type=submit]").click()
    phone.goto("/")
    phone.locator("a.tile[href='/my/care/']").click()
    phone.get_by_role("link", name=re.compile("我家能享受的养老服务")).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("我家能享受的养老服务")
    # the demo resident (in her fifties) comes first: own-cost prices, some items not for her; the
    # elder she cares for (aged 60 or more) is subsidised
    cards = phone.locator(".entitled-person")
    expect(cards.first).to_contain_text("暂不能享受")
    elder = cards.filter(has_text=re.compile(r"(?<!\d)([6-9]\d|1\d\d) 岁"))
    expect(elder.first).to_contain_text("政府补贴")
    no_sideways_scroll(phone)
    no_raw_words(phone)
    assert blocking_violations(phone) == []
    shot(phone, "entitlements-09-entitled-phone")
    phone.get_by_role("button", name="长者模式").click()
    expect(phone.locator("html")).to_have_class(re.compile("elder"))
    no_sideways_scroll(phone)
    assert blocking_violations(phone) == []
    shot(phone, "entitlements-10-entitled-elder-mode-phone")
