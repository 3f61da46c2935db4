"""Home modification (适老化改造) in a real browser, on the demo city: the demo resident applies on
the phone for the elder she cares for; the community worker assesses the home on a phone with a
before photo; the resident confirms the plan; the works start; the worker accepts on site with an
after photo for each item; the street approves and pays the subsidy; then the progress page.
Screenshots at 390 and 1280 px, axe on each page, no raw codes on the Chinese pages."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest
from playwright.sync_api import Page, expect
from test_grid_events import staff
from test_journeys import blocking_violations, menu_link

from linli.care.demo_modifications import png

pytestmark = pytest.mark.browser
RAW = re.compile(r"\b(applied|assessed|confirmed|in_works|accepted|paid|refused|withdrawn|grab_bar|care\.mod)\b")


@pytest.fixture
def shot(screenshot):
    """The session's screenshot, and a copy kept beside it that another session cannot wipe."""

    def save(page: Page, name: str):
        path = screenshot(page, name)
        keep = path.parents[1] / "care-modifications-screenshots"
        keep.mkdir(exist_ok=True)
        shutil.copy(path, keep / path.name)
        return path

    return save


def photo(name: str) -> dict:
    return {"name": name, "mimeType": "image/png", "buffer": png(120, 90, (180, 160, 130))}


def checked(page: Page, *, width: int) -> None:
    """No sideways scroll, no serious or critical axe finding, no raw code on the page."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert blocking_violations(page) == []
    assert not RAW.search(page.locator("main").inner_text())


def resident(page: Page, demo_site) -> Page:
    page.context.clear_cookies()
    page.goto("/login/")
    page.locator("#id_username").fill("demo_resident")
    page.locator("#id_password").fill(demo_site.password("demo_resident"))
    page.locator("main form button[type=submit]").click()
    page.goto("/")
    page.get_by_role("link", name=re.compile("为民服务")).first.click()
    page.get_by_role("link", name=re.compile("适老化改造")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("老人住房适老化改造")
    return page


def test_a_modification_from_the_phone_to_the_subsidy_paid(phone: Page, desktop: Page, demo_site, shot):
    # the daughter applies on her phone
    page = resident(phone, demo_site)
    checked(page, width=390)
    shot(page, "mod-01-apply-phone")
    page.get_by_role("button", name="申请适老化改造").click()
    expect(page.locator(".big-tag")).to_have_text("已申请，待入户评估")
    number = page.locator(".big-tag + .muted").inner_text()
    mine = page.url
    checked(page, width=390)
    shot(page, "mod-02-applied-phone")

    # the community worker assesses the home on a phone, with a before photo
    worker = staff(phone, demo_site, "demo_community_worker")
    menu_link(worker, "适老化改造").click()
    expect(worker.get_by_role("heading", level=1)).to_have_text("适老化改造")
    checked(worker, width=390)
    shot(worker, "mod-03-queue-phone")
    worker.get_by_role("link", name=number).click()
    form = worker.locator("form.mod-checklist")
    form.locator("input[name=qty_grab_bar]").fill("2")
    form.locator("input[name=note_grab_bar]").fill("马桶旁、淋浴处")
    form.locator("input[name=qty_night_light]").fill("2")
    form.locator("input[name=qty_care_bed]").fill("1")
    form.locator("input[name=photos]").set_input_files([photo("卫生间.png")])
    form.get_by_role("button", name="保存评估和报价").click()
    expect(worker.locator(".big-tag")).to_have_text("已评估，方案待家属确认")
    expect(worker.locator("main")).to_contain_text("¥480.00")  # 2 × 180 + 2 × 60 subsidised
    item = worker.url
    checked(worker, width=390)
    shot(worker, "mod-04-assessed-phone")

    # the daughter confirms the plan on her phone
    page = resident(phone, demo_site)
    page.goto(mine)
    # the household's share: zh-hans groups digits by ten thousand (万), so 2800 shows without a comma
    expect(page.locator("main")).to_contain_text("¥2800.00")
    checked(page, width=390)
    shot(page, "mod-05-plan-phone")
    page.get_by_role("button", name="我同意这个方案").click()
    expect(page.locator(".big-tag")).to_have_text("方案已确认，待施工")

    # the works start (desktop), then the acceptance on site with after photos (phone)
    office = staff(desktop, demo_site, "demo_community_worker")
    office.goto(item)
    start = office.locator("form[action$='/start/']")
    start.locator("input[name=contractor]").fill("沈阳安居适老化工程有限公司")
    start.locator("input[name=finish]").fill((dt.date.today() + dt.timedelta(days=7)).isoformat())
    start.get_by_role("button", name="开始施工").click()
    expect(office.locator(".big-tag")).to_have_text("施工中")
    checked(office, width=1280)
    shot(office, "mod-06-works-desktop")

    worker = staff(phone, demo_site, "demo_community_worker")
    worker.goto(item)
    accept = worker.locator("form[action$='/accept/']")
    files = accept.locator("input[type=file]")
    for n in range(files.count()):
        files.nth(n).set_input_files([photo(f"after-{n}.png")])
    accept.get_by_role("button", name="记录验收").click()
    expect(worker.locator(".big-tag")).to_have_text("已验收，待发放补贴")
    checked(worker, width=390)
    shot(worker, "mod-07-accepted-phone")

    # the street approves and pays the subsidy, then the progress page
    street = staff(desktop, demo_site, "demo_street_officer")
    street.goto(item)
    street.get_by_role("button", name="审批并记录发放").click()
    expect(street.locator(".big-tag")).to_have_text("补贴已发放")
    expect(street.locator(".timeline")).to_contain_text("审批并发放补贴")
    checked(street, width=1280)
    shot(street, "mod-08-paid-desktop")
    menu_link(street, "适老化改造目标进度").click()
    expect(street.get_by_role("heading", level=1)).to_have_text("适老化改造目标进度")
    expect(street.locator("main")).to_contain_text("2025 年底前完成")
    checked(street, width=1280)
    shot(street, "mod-09-progress-desktop")
