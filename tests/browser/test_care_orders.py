"""Home-care orders in a real browser, on the demo city: the demo resident (a daughter) orders
home cleaning for her mother on a 390 px phone from the home page; the community worker approves
it; the provider's dispatcher assigns the demo carer; the carer checks in at the home (the
browser's position) and out with a photo; the daughter rates the visit. Refused on screen: an
order beyond the monthly cap, a check-in far from the home, a carer opening a visit not theirs."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sqlite3

import pytest
from playwright.sync_api import Page, expect
from test_grid_events import photo, staff
from test_journeys import blocking_violations, menu_link

pytestmark = pytest.mark.browser


@pytest.fixture
def shot(screenshot):
    """The session's screenshot, and a copy kept beside it that another session cannot wipe."""

    def save(page: Page, name: str):
        path = screenshot(page, name)
        keep = path.parents[1] / "care-orders-screenshots"
        keep.mkdir(exist_ok=True)
        shutil.copy(path, keep / path.name)
        return path

    return save


def _db(demo_site):
    return sqlite3.connect(demo_site.data_dir / "linli.sqlite3")


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width}px)"


def no_english(page: Page) -> None:
    text = page.locator("main").inner_text()
    for word in ("placed", "approved", "scheduled", "checked_in", "None", "care."):
        assert word not in text, f"{word!r} on the Chinese page"


def _resident_logs_in(page: Page, demo_site) -> None:
    page.context.clear_cookies()
    page.goto("/login/")
    page.locator("#id_username").fill("demo_resident")
    page.locator("#id_password").fill(demo_site.password("demo_resident"))
    page.locator("main form button[type=submit]").click()
    page.goto("/")


def _slot_now(demo_site, number: str) -> None:
    """Move the order's visit to a slot that started five minutes ago: the test runs at any hour,
    and a carer may check in only around the slot (the rule is tested in the service tests)."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    start, end = now - dt.timedelta(minutes=5), now + dt.timedelta(minutes=115)
    with _db(demo_site) as db:
        order_id = db.execute("SELECT id FROM care_order WHERE number = ?", (number,)).fetchone()[0]
        db.execute("UPDATE care_order SET slot_start = ?, slot_end = ? WHERE id = ?", (start, end, order_id))
        db.execute("UPDATE care_visit SET slot_start = ?, slot_end = ? WHERE order_id = ?", (start, end, order_id))


def _home(demo_site, number: str) -> tuple[float, float]:
    with _db(demo_site) as db:
        return db.execute("SELECT home_lat, home_lng FROM care_order WHERE number = ?", (number,)).fetchone()


def _someone_elses_visit(demo_site) -> str:
    with _db(demo_site) as db:
        row = db.execute(
            """SELECT v.public_id FROM care_visit v LEFT JOIN care_providermember m ON m.id = v.carer_id
               LEFT JOIN accounts_user u ON u.id = m.user_id
               WHERE u.username IS NULL OR u.username != 'demo_carer' LIMIT 1"""
        ).fetchone()
    value = row[0]
    return str(value) if "-" in str(value) else f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"


def test_a_daughter_orders_home_care_the_carer_serves_and_she_rates_it(phone: Page, desktop: Page, demo_site, shot):
    # 1. the daughter, on her phone, from the home page
    page = phone
    _resident_logs_in(page, demo_site)
    page.get_by_role("link", name=re.compile("为民服务")).first.click()
    page.get_by_role("link", name=re.compile("预约上门服务")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("预约上门服务")
    page.locator(".choice-list a").last.click()  # her mother, linked to her account
    shot(page, "care-orders-01-items-phone")

    # beyond the monthly cap of a service that cannot be bought at own cost: refused with the reason
    page.get_by_role("link", name=re.compile("探访关爱")).click()
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    page.locator("input[name=day]").fill(tomorrow)
    page.locator("input[name=slot][value='10']").check()
    page.locator("input[name=quantity]").fill("5")
    page.get_by_role("button", name="提交预约").click()
    expect(page.locator(".alert")).to_contain_text("超出每月上限 4 次")
    no_sideways_scroll(page)
    shot(page, "care-orders-02-beyond-the-cap-phone")

    # home cleaning tomorrow, with the showcase provider
    page.get_by_role("link", name="换一项").click()
    page.get_by_role("link", name=re.compile("助洁（居室清洁）")).click()
    expect(page.locator(".price-split")).to_contain_text("政府补贴")
    page.get_by_label("沈阳颐康居家养老服务有限公司").check()
    page.locator("input[name=day]").fill(tomorrow)
    page.locator("input[name=slot][value='10']").check()
    page.locator("textarea[name=needs]").fill("母亲右腿不便，请先打电话再敲门")
    own_cost = page.locator("input[name=own_cost_ok]")
    if own_cost.count():
        own_cost.check()
    assert blocking_violations(page) == []
    no_sideways_scroll(page)
    shot(page, "care-orders-03-order-form-phone")
    page.get_by_role("button", name="提交预约").click()
    expect(page).to_have_url(re.compile(r"/my/care/orders/YL\d+/$"))
    number = page.url.rstrip("/").rsplit("/", 1)[1]
    expect(page.locator("main")).to_contain_text("待审核")
    no_english(page)
    shot(page, "care-orders-04-ordered-phone")

    # 2. the community worker approves (desktop)
    worker = staff(desktop, demo_site, "demo_community_worker")
    menu_link(worker, "上门服务订单").click()
    worker.get_by_role("link", name=number).click()
    worker.get_by_role("button", name="审核通过").click()
    expect(worker.locator("main")).to_contain_text("待服务商接单")
    expect(worker.locator(".timeline")).to_contain_text("社区审核通过")
    assert blocking_violations(worker) == []
    shot(worker, "care-orders-05-approved-desktop")

    # 3. the provider's dispatcher, on a phone, from the workbench
    dispatcher = staff(phone, demo_site, "demo_care_provider")
    dispatcher.locator("main a[href='/provider/orders/']").first.click()
    dispatcher.locator(f"a[href='/provider/orders/{number}/']").click()
    dispatcher.get_by_role("button", name="接单并派给护理员").click()
    expect(dispatcher.locator("main")).to_contain_text("已派护理员")
    no_sideways_scroll(dispatcher)
    assert blocking_violations(dispatcher) == []
    shot(dispatcher, "care-orders-06-assigned-phone")

    # 4. the carer at the home
    _slot_now(demo_site, number)
    lat, lng = _home(demo_site, number)
    carer = staff(phone, demo_site, "demo_carer")
    carer.context.grant_permissions(["geolocation"], origin=demo_site.url)
    carer.context.set_geolocation({"latitude": lat + 0.01, "longitude": lng, "accuracy": 20})
    carer.locator("main a[href='/provider/today/']").first.click()
    expect(carer.get_by_role("heading", level=1)).to_contain_text("今日上门服务")
    carer.locator(".visit-card").filter(has_text="助洁").first.click()
    expect(carer.locator("main")).to_contain_text("母亲右腿不便")
    carer.get_by_role("button", name="在这里签到").click()
    expect(carer.locator(".alert")).to_contain_text("超出 300 米签到范围")
    no_sideways_scroll(carer)
    shot(carer, "care-orders-07-check-in-far-phone")
    carer.context.set_geolocation({"latitude": lat + 0.0003, "longitude": lng, "accuracy": 15})
    carer.get_by_role("button", name="在这里签到").click()
    expect(carer.locator(".notice-ok")).to_contain_text("已签到")
    carer.locator("textarea[name=record]").fill("打扫卧室、厨房和卫生间，倒垃圾")
    carer.locator("input[name=photos]").set_input_files([photo("kitchen.png")])
    carer.get_by_role("button", name="签退").click()
    expect(carer.locator(".notice-ok")).to_contain_text("已签退")
    assert blocking_violations(carer) == []
    shot(carer, "care-orders-08-checked-out-phone")

    # a visit that is not theirs: the same page as a missing one
    answer = carer.goto(f"/provider/visits/{_someone_elses_visit(demo_site)}/")
    assert answer.status == 404
    shot(carer, "care-orders-09-not-theirs-phone")

    # 5. the daughter rates it
    _resident_logs_in(page, demo_site)
    page.get_by_role("link", name=re.compile("为民服务")).first.click()
    page.get_by_role("link", name=re.compile("我的养老服务订单")).click()
    page.locator(f"a[href='/my/care/orders/{number}/']").click()
    expect(page.locator("main")).to_contain_text("已完成")
    page.get_by_label("非常满意").check()
    page.locator("textarea[name=comment]").fill("打扫得很干净，谢谢")
    page.get_by_role("button", name="提交评价").click()
    expect(page.locator(".notice-ok")).to_contain_text("感谢您的评价")
    expect(page.locator("main")).to_contain_text("非常满意")
    expect(page.locator(".timeline")).to_contain_text("社区审核通过")
    no_english(page)
    no_sideways_scroll(page)
    assert blocking_violations(page) == []
    shot(page, "care-orders-10-rated-phone")
