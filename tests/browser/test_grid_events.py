"""One grid event's whole story in a real browser against the demo city (issue: 网格吹哨、部门报到):

1. a resident reports a problem with a photo from the phone (随手拍), placing it on the map;
2. the community registers it and dispatches it to the wrong department (民政局);
3. 民政局 returns it with a reason; the community dispatches it again (the category's default,
   城市管理局) and, as it needs more than one department, blows the whistle summoning
   城市管理局 (lead) and 住房和城乡建设局, who both check in (报到);
4. 城市管理局 reports the handling with a photo; the grid worker's verification fails (photo);
   it is handled again and passes verification: closed;
5. the resident rates it.

Locators use names, ids and URLs so that wording changes do not break the journey."""

from __future__ import annotations

import re
import sqlite3
import struct
import zlib

import pytest
from playwright.sync_api import Page, expect
from test_journeys import blocking_violations, log_in, menu_link

pytestmark = pytest.mark.browser


def png(width: int = 96, height: int = 64, rgb: tuple[int, int, int] = (90, 140, 200)) -> bytes:
    """A real (decodable) PNG, so the photo thumbnails render in the screenshots."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def photo(name: str, rgb=(90, 140, 200)) -> dict:
    return {"name": name, "mimeType": "image/png", "buffer": png(rgb=rgb)}


def grid_worker_building(demo_site) -> tuple[float, float]:
    """Where the demo grid worker's first building stands, read from the demo's database."""
    with sqlite3.connect(demo_site.data_dir / "linli.sqlite3") as db:
        return db.execute(
            """SELECT b.lat, b.lng FROM areas_building b
               JOIN accounts_posting p ON p.grid_id = b.grid_id
               JOIN accounts_user u ON u.id = p.user_id
               WHERE u.username = 'demo_grid_worker' ORDER BY b.path LIMIT 1"""
        ).fetchone()


def staff(page: Page, demo_site, username: str) -> Page:
    page.context.clear_cookies()
    log_in(page, username, demo_site.password(username))
    expect(page).to_have_url(re.compile(r"/staff/$"))
    return page


def step(page: Page, action: str, note: str = "", photos: list | None = None, **selects: str) -> None:
    form = page.locator(f"form[action$='/step/{action}/']")
    for name, label in selects.items():
        form.locator(f"select[name={name}]").select_option(label=label)
    if note:
        form.locator("textarea[name=note]").fill(note)
    if photos:
        form.locator("input[name=photos]").set_input_files(photos)
    form.locator("button[type=submit]").click()
    expect(page.locator(".notice-ok")).to_be_visible()


def test_one_event_from_photo_report_to_rating(phone: Page, desktop: Page, demo_site, screenshot):
    # 1. the resident's photo report
    phone.goto("/login/")
    phone.locator("#id_username").fill("demo_resident")
    phone.locator("#id_password").fill(demo_site.password("demo_resident"))
    phone.locator("main form button[type=submit]").click()
    phone.goto("/report/")
    phone.locator("input[name=photos]").set_input_files([photo("scene.png")])
    phone.locator("#id_description").fill("小区东门外的雨水井盖缺失，晚上很危险")
    phone.locator("#pick-map").click()  # the map opens on the resident's community
    expect(phone.locator("#id_lat")).not_to_have_value("")
    # the tap lands next to a building of the demo grid worker's grid (who later verifies on site)
    lat, lng = grid_worker_building(demo_site)
    phone.locator("#id_lat").evaluate("(el, v) => { el.value = v; }", f"{lat:.6f}")
    phone.locator("#id_lng").evaluate("(el, v) => { el.value = v; }", f"{lng:.6f}")
    screenshot(phone, "grid-01-resident-report")
    phone.locator("main form button[type=submit]").click()
    expect(phone).to_have_url(re.compile(r"/my/events/GE\d{6}-\d{8}-\d{5}/$"))
    number = phone.url.rstrip("/").rsplit("/", 1)[1]
    event_url = f"/staff/grid/events/{number}/"

    # 2. register, dispatch to the wrong department
    page = staff(desktop, demo_site, "demo_community_worker")
    page.goto(f"/staff/grid/?queue=to_register&q={number}")
    expect(page.locator(f"a[href='{event_url}']")).to_be_visible()
    screenshot(page, "grid-02-community-board")
    page.goto(event_url)
    page.locator("form[action$='/step/register/'] select[name=category]").select_option("C0103")
    page.locator("form[action$='/step/register/'] button[type=submit]").click()
    expect(page.locator(".notice-ok")).to_be_visible()
    civil = page.locator("form[action$='/step/dispatch/'] select[name=department_id] option", has_text="民政局")
    step(page, "dispatch", department_id=civil.first.inner_text())

    # 3. the wrong department returns it; re-dispatch; the whistle; check-ins
    page = staff(desktop, demo_site, "demo_department_officer")
    page.goto(event_url)
    step(page, "return", note="井盖维护不属民政职责，请改派城管")
    page = staff(desktop, demo_site, "demo_community_worker")
    page.goto(event_url)
    step(page, "dispatch")  # the category's default for the district
    expect(page.locator(".card-field", has_text="城市管理局").first).to_be_visible()
    whistle = page.locator("form[action$='/step/whistle/']")
    lead = whistle.locator("select[name=department_id] option", has_text="城市管理局").first.inner_text()
    whistle.locator("select[name=department_id]").select_option(label=lead)
    whistle.locator("label", has_text="住房和城乡建设局").first.locator("input").check()
    whistle.locator("textarea[name=note]").fill("井盖归属不清，需城管、住建联合处置")
    whistle.locator("button[type=submit]").click()
    expect(page.locator(".notice-ok")).to_be_visible()
    for officer in ("demo_urban_officer", "demo_housing_officer"):
        page = staff(desktop, demo_site, officer)
        page.goto(event_url)
        page.locator("form[action*='/check-in/'] button[type=submit]").first.click()
        expect(page.locator(".notice-ok")).to_be_visible()
    page.goto("/staff/grid/whistles/")
    expect(page.locator("tr", has_text=number).locator(".tag", has_text="已报到")).to_have_count(2)
    screenshot(page, "grid-03-whistle-board")

    # 4. handling, a failed verification, re-handling, a passed one
    page = staff(desktop, demo_site, "demo_urban_officer")
    page.goto(event_url)
    step(page, "report_handled", note="已临时加盖警示", photos=[photo("fix1.png", (200, 120, 60))])
    grid = staff(phone, demo_site, "demo_grid_worker")
    grid.goto(event_url)
    step(grid, "verify_fail", note="只是临时遮挡，井盖仍未更换", photos=[photo("check1.png", (160, 60, 60))])
    page = staff(desktop, demo_site, "demo_urban_officer")
    page.goto(event_url)
    step(page, "report_handled", note="已更换新井盖", photos=[photo("fix2.png", (60, 160, 90))])
    grid = staff(phone, demo_site, "demo_grid_worker")
    grid.goto(event_url)
    screenshot(grid, "grid-04-verify-phone")
    step(grid, "verify_pass", note="新井盖已安装牢固", photos=[photo("check2.png", (60, 160, 90))])
    expect(grid.locator(".big-tag")).to_have_text("已结案")

    # 5. the resident rates it
    phone.context.clear_cookies()
    phone.goto("/login/")
    phone.locator("#id_username").fill("demo_resident")
    phone.locator("#id_password").fill(demo_site.password("demo_resident"))
    phone.locator("main form button[type=submit]").click()
    phone.goto(f"/my/events/{number}/")
    phone.locator("#step-rate input[name=score][value='5']").check()
    phone.locator("#step-rate button[type=submit]").click()
    expect(phone.locator(".notice-ok")).to_be_visible()
    expect(phone.locator(".tag.state-evaluated")).to_be_visible()
    screenshot(phone, "grid-05-resident-rated")

    # the timeline tells the whole story, and the wrong department's clock stopped
    page = staff(desktop, demo_site, "demo_community_worker")
    page.goto(event_url)
    timeline = page.locator("ol.timeline")
    for label in (
        "上报",
        "立案",
        "派遣",
        "退回",
        "吹哨",
        "报到",
        "反馈处置结果",
        "核查不通过",
        "核查通过并结案",
        "评价",
    ):
        expect(timeline).to_contain_text(label)
    expect(page.locator(".plain-list li", has_text="民政局")).to_contain_text("退回")
    screenshot(page, "grid-06-event-timeline")


def test_supervision_board_and_map(desktop: Page, demo_site, screenshot):
    page = staff(desktop, demo_site, "demo_district_admin")
    page.goto("/staff/grid/supervision/")
    expect(page.locator("table.rates-table").first.locator("tbody tr").first).to_be_visible()
    expect(page.locator(".warn-tag-red, .warn-tag-yellow, .warn-tag-green").first).to_be_visible()
    screenshot(page, "grid-07-supervision")
    page.goto("/staff/grid/map/")
    expect(page.locator("#events-map")).to_have_attribute("data-count", re.compile(r"^[1-9]\d*$"))
    point = page.locator("#events-map path.leaflet-interactive").first
    expect(point).to_be_visible()
    assert point.bounding_box()["width"] <= 20  # a point, not a blob caught mid-zoom
    screenshot(page, "grid-08-map")


def _fill_report(page: Page, demo_site, text: str, photo_name: str) -> None:
    page.locator("#id_description").fill(text)
    page.locator("#id_category").select_option(label="暴露垃圾（E0102）")
    lat, lng = grid_worker_building(demo_site)
    page.locator("#id_lat").evaluate("(el, v) => { el.value = v; }", f"{lat + 0.0004:.6f}")
    page.locator("#id_lng").evaluate("(el, v) => { el.value = v; }", f"{lng:.6f}")
    page.locator("input[name=photos]").set_input_files([photo(photo_name, (170, 90, 60))])


def test_similar_events_keep_the_photo_and_speak_chinese(phone: Page, demo_site, screenshot):
    """The grid worker reports from a phone; the second report of the same problem is shown the
    first one (its state in Chinese, no router number), continues, and keeps its photo."""
    page = staff(phone, demo_site, "demo_grid_worker")
    menu_link(page, "反映问题").click()
    expect(page).to_have_url(re.compile(r"/staff/grid/report/$"))
    _fill_report(page, demo_site, "垃圾桶旁边堆满了生活垃圾，气味很大", "first.png")
    page.locator("main form button[type=submit]").click()
    if page.locator("#id_not_duplicate").count():  # the demo already had something near: continue
        page.locator("#id_not_duplicate").check()
        page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/staff/grid/events/GE\d{6}-\d{8}-\d{5}/$"))
    first = page.url.rstrip("/").rsplit("/", 1)[1]

    page.goto("/staff/")
    menu_link(page, "反映问题").click()
    _fill_report(page, demo_site, "垃圾桶旁的生活垃圾堆满了", "second.png")
    page.locator("main form button[type=submit]").click()
    similar = page.locator(".duplicate-list")
    expect(similar).to_contain_text(first)
    listed = similar.inner_text()
    assert re.search(r"\(\d\.\d+\)", listed) is None  # no router confidence
    assert re.search(r"\b[a-z_]{4,}\b", listed) is None, listed  # no state codes (reported, registered…)
    expect(similar.locator("li", has_text=first)).to_contain_text("已上报")
    assert similar.locator("li").first.inner_text().startswith(first)  # same category and words: first
    expect(page.locator("#held-photos")).to_contain_text("second.png")
    assert blocking_violations(page) == []
    screenshot(page, "grid-09-similar-events-phone")

    page.locator("#id_not_duplicate").check()
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/staff/grid/events/GE\d{6}-\d{8}-\d{5}/$"))
    assert page.url.rstrip("/").rsplit("/", 1)[1] != first
    photos = page.locator(".photo-list img")
    expect(photos).to_have_count(1)
    photos.first.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=photos.first.element_handle())
    assert page.locator("main").inner_text().find("(0.") == -1
    screenshot(page, "grid-10-reported-with-kept-photo")


def public_report_of_the_demo_community(demo_site) -> str:
    """A resident's report in the demo community worker's community: public from the start."""
    with sqlite3.connect(demo_site.data_dir / "linli.sqlite3") as db:
        community = db.execute(
            """SELECT o.path FROM areas_orgunit o JOIN accounts_posting p ON p.org_unit_id = o.id
               JOIN accounts_user u ON u.id = p.user_id WHERE u.username = 'demo_community_worker'"""
        ).fetchone()[0]
        return db.execute(
            "SELECT number FROM grid_events_gridevent WHERE is_public AND community_path = ? ORDER BY number LIMIT 1",
            (community,),
        ).fetchone()[0]


def test_a_public_report_is_hidden_with_a_reason_then_published_again(
    phone: Page, desktop: Page, demo_site, screenshot
):
    number = public_report_of_the_demo_community(demo_site)
    public_url = f"/open311/v2/requests/{number}.json"
    assert phone.request.get(public_url).status == 200  # on the public list before

    page = staff(phone, demo_site, "demo_community_worker")
    page.goto(f"/staff/grid/events/{number}/")
    expect(page.locator("#public-state")).to_contain_text("已公开")
    page.locator("details.confirm-publication summary").click()
    publication = page.locator("details.confirm-publication form")
    publication.locator("button[type=submit]").click()  # no reason, no confirmation: refused, nothing changes
    expect(page.locator("details.confirm-publication .error")).to_have_count(2)  # the reason and the check
    expect(page.locator("#public-state")).to_contain_text("已公开")
    screenshot(page, "grid-10-hide-refused-phone")
    publication = page.locator("details.confirm-publication form")
    publication.locator("textarea[name=reason], input[name=reason]").fill("描述中含有居民家庭住址细节，暂不公开")
    publication.locator("input[name=confirm]").check()
    publication.locator("button[type=submit]").click()
    expect(page.locator("#public-state")).to_contain_text("不公开")
    expect(page.locator("#public-state")).to_contain_text("暂不公开")
    screenshot(page, "grid-11-hidden-phone")
    assert phone.request.get(public_url).status == 404  # gone from the public list

    page = staff(desktop, demo_site, "demo_community_worker")
    page.goto(f"/staff/grid/events/{number}/")
    page.locator("details.confirm-publication summary").click()
    publication = page.locator("details.confirm-publication form")
    publication.locator("input[name=confirm]").check()
    publication.locator("button[type=submit]").click()
    expect(page.locator("#public-state")).to_contain_text("已公开")
    screenshot(page, "grid-12-published-desktop")
    assert desktop.request.get(public_url).status == 200
