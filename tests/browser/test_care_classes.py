"""Happy-education classes in a real browser, on the demo city: a resident asks for a topic on a
phone and a neighbour supports it; the community worker plans a class from the request and
publishes it; both enrol (one place: the neighbour lands on the waiting list); the worker records
attendance on a phone; the resident rates the class; the figures page at 1280 px. Screenshots at
390 and 1280 px, axe on each page, no English or raw codes on the Chinese pages."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sqlite3

import pytest
from playwright.sync_api import Page, expect
from test_grid_events import staff
from test_journeys import blocking_violations, menu_link

pytestmark = pytest.mark.browser
NEIGHBOUR = "demo_class_neighbour_01"
TOPIC = "八段锦健身操"


@pytest.fixture
def shot(screenshot):
    def save(page: Page, name: str):
        path = screenshot(page, name)
        keep = path.parents[1] / "care-classes-screenshots"
        keep.mkdir(exist_ok=True)
        shutil.copy(path, keep / path.name)
        return path

    return save


def _db(demo_site):
    return sqlite3.connect(demo_site.data_dir / "linli.sqlite3")


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the page scrolls sideways"


def no_english(page: Page) -> None:
    text = page.locator("main").inner_text()
    for word in ("enrolled", "waiting", "open", "draft", "planned", "declined", "None", "care.", "elderly"):
        assert not re.search(rf"\b{re.escape(word)}\b", text), f"{word!r} on the Chinese page"


def checked(page: Page) -> None:
    no_english(page)
    assert blocking_violations(page) == []


def resident(page: Page, demo_site, username: str, password_of: str = "") -> Page:
    page.context.clear_cookies()
    page.goto("/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(demo_site.password(password_of or username))
    page.locator("main form button[type=submit]").click()
    page.goto("/")
    page.get_by_role("link", name=re.compile("为民服务")).first.click()
    page.get_by_role("link", name=re.compile("社区课堂")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("社区课堂")
    return page


def test_residents_order_a_class_enrol_attend_and_rate(phone: Page, desktop: Page, demo_site, shot):
    with _db(demo_site) as db:  # the neighbour's account gets the demo resident's password for the test
        db.execute(
            "UPDATE accounts_user SET password = (SELECT password FROM accounts_user WHERE username = ?)"
            " WHERE username = ?",
            ("demo_resident", NEIGHBOUR),
        )
    page = resident(phone, demo_site, "demo_resident")
    page.get_by_label("您想学什么？").fill(TOPIC)
    page.get_by_label("为什么想学（谁会来、学了做什么）").fill("楼里好几位老人想一起锻炼")
    page.get_by_role("button", name="提交给社区").click()
    expect(page.locator(".notice-ok")).to_contain_text("您的点单已提交给社区")
    expect(page.locator(".request-card", has_text=TOPIC)).to_contain_text("1 人支持")
    no_sideways_scroll(page)
    checked(page)
    shot(page, "classes-01-requested-phone")

    page = resident(phone, demo_site, NEIGHBOUR, "demo_resident")
    card = page.locator(".request-card", has_text=TOPIC)
    card.get_by_role("button", name="我也想学").click()
    expect(page.locator(".request-card", has_text=TOPIC)).to_contain_text("2 人支持")
    shot(page, "classes-02-supported-phone")

    worker = staff(desktop, demo_site, "demo_community_worker")
    menu_link(worker, "幸福教育课程").click()
    worker.get_by_role("link", name="居民点单").first.click()
    row = worker.locator("tr", has_text=TOPIC)
    expect(row).to_contain_text("2")
    checked(worker)
    shot(worker, "classes-03-requests-desktop")
    row.get_by_role("link", name="安排课程").click()
    worker.get_by_label("课程名称").fill(TOPIC)
    worker.get_by_label("名额").fill("1")
    worker.locator("select[name=audience]").select_option("elderly")
    worker.get_by_label("或其他地点").fill("社区广场")
    worker.get_by_label("第一次课日期").fill((dt.date.today() + dt.timedelta(days=1)).isoformat())
    worker.locator("input[name=starts]").fill("09:00")
    worker.locator("input[name=ends]").fill("10:00")
    expect(worker.locator("input[name=requests]:checked")).to_have_count(1)
    worker.get_by_role("button", name="保存课程安排").click()
    expect(worker.locator(".notice-ok")).to_contain_text("课程已安排")
    worker.get_by_role("button", name="发布并开始报名").click()
    expect(worker.get_by_role("heading", level=1)).to_contain_text("报名中")
    class_url = worker.url

    page = resident(phone, demo_site, "demo_resident")
    page.locator(".class-card", has_text=TOPIC).get_by_role("button", name="我要报名").click()
    expect(page.locator(".notice-ok")).to_contain_text("报名成功")
    page = resident(phone, demo_site, NEIGHBOUR, "demo_resident")
    page.locator(".class-card", has_text=TOPIC).get_by_role("button", name="报名候补").click()
    expect(page.locator(".notice-ok")).to_contain_text("课程已满，您已进入候补名单")
    expect(page.locator(".class-card", has_text=TOPIC).first).to_contain_text("候补第 1 位")
    no_sideways_scroll(page)
    checked(page)
    shot(page, "classes-04-waiting-list-phone")

    # the session moves to now: the worker records attendance at the class (any hour the test runs)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    with _db(demo_site) as db:
        db.execute(
            "UPDATE care_classsession SET starts_at = ?, ends_at = ? WHERE happy_class_id ="
            " (SELECT id FROM care_happyclass WHERE title = ? ORDER BY id DESC LIMIT 1)",
            (now - dt.timedelta(minutes=30), now + dt.timedelta(minutes=30), TOPIC),
        )
    worker = staff(phone, demo_site, "demo_community_worker")
    worker.goto(class_url)
    worker.get_by_role("link", name="登记出勤").click()
    worker.locator("input[name=present]").first.check()
    no_sideways_scroll(worker)
    checked(worker)
    shot(worker, "classes-05-attendance-phone")
    worker.get_by_role("button", name="保存出勤").click()
    expect(worker.locator("main")).to_contain_text("到课 1 人")

    page = resident(phone, demo_site, "demo_resident")
    form = page.locator(".class-card", has_text=TOPIC).locator("form.rate-form")
    form.locator("label.star", has_text="5 星").click()
    form.get_by_role("button", name="提交评价").click()
    expect(page.locator(".notice-ok")).to_contain_text("感谢您的评价")
    expect(page.locator(".class-card", has_text=TOPIC)).to_contain_text("您的评价：5 星")
    checked(page)
    shot(page, "classes-06-rated-phone")

    figures = staff(desktop, demo_site, "demo_street_officer")
    figures.goto("/staff/care/classes/figures/")
    expect(figures.get_by_role("heading", level=1)).to_contain_text("幸福教育开课率")
    expect(figures.locator("#classes-opening canvas, #classes-opening svg").first).to_be_visible()
    checked(figures)
    shot(figures, "classes-07-figures-desktop")
    figures.goto("/staff/care/")
    expect(figures.locator("main")).to_contain_text("幸福教育开课率")
    shot(figures, "classes-08-overview-desktop")
