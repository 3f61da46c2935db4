"""Safe community (issue 17) in a real browser, on the demo city:

1. a neighbour dispute from a grid event: the resident reports a leak from upstairs with a photo;
   the community worker finds the event, hands it on to people's mediation (转办 → 转人民调解),
   picks the upstairs neighbour from the pool; the resident agrees on the phone, the worker records
   the neighbour's agreement and assigns the committee mediator; the mediator, on the phone, holds
   two sessions and records the written agreement; the agreement PDF speaks Chinese; the worker
   records the follow-up (performed in full) and closes the dispute;
2. 慧评理: the resident starts a case and sends the code; a neighbour joins; the reasoner proposes;
   the resident turns it into formal mediation; both sides agree on their phones; the community
   worker finds it in the queue (from 慧评理) and assigns the mediator;
3. a domestic-violence lead the community worker files becomes a restricted case: the judicial
   officer finds it in the list and reads it only after giving a reason; the community worker who
   filed it (assigned to other support cases, so the list exists for them) finds it neither in the
   list, the header search, the export nor by its address.

Screenshots at 390 and 1280 px; axe has no serious or critical finding on the main pages. Dates
are the city's (Asia/Shanghai), not the machine's."""

from __future__ import annotations

import io
import os
import re
import sqlite3
import subprocess
import sys
import uuid
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect
from test_grid_events import grid_worker_building, photo, staff
from test_journeys import blocking_violations, menu_link

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"  # as the conftest's
CITY = ZoneInfo("Asia/Shanghai")
NEIGHBOUR = "demo_neighbour_b"  # a demo resident account of the showcase community (the other side)
NEIGHBOUR_PASSWORD = "楼道-月季-4711-晴"
# English state names and raw codes that must not show on a Chinese page
RAW = re.compile(
    r"\b(consent|accepted|mediating|agreed|closed|failed|refused|withdrawn|pending|scheduled|held|"
    r"grid_event|reasoning|neighbour|domestic_violence|open|invited|settled|formal|written|full|"
    r"None|True|False)\b"
)
CLOSED = re.compile("已结案")
SEEN = "深夜多次听到邻居家中传出打骂声和孩子哭喊，第二天看到女主人手臂有淤青。"


# ---- helpers ---------------------------------------------------------------------------------


def city_now() -> datetime:
    return datetime.now(CITY)


def db(demo_site):
    return sqlite3.connect(demo_site.data_dir / "linli.sqlite3")


def mediator_name(demo_site) -> str:
    with db(demo_site) as con:
        return con.execute(
            """SELECT m.name FROM mediation_mediator m JOIN accounts_user u ON u.id = m.user_id
               WHERE u.username = 'demo_mediator'"""
        ).fetchone()[0]


def pool_resident(demo_site, *, skip: int = 0) -> str:
    """A resident of the showcase community without an account whose name is unique there."""
    with db(demo_site) as con:
        community = con.execute(
            """SELECT p.scope_path FROM accounts_posting p JOIN accounts_user u ON u.id = p.user_id
               WHERE u.username = 'demo_community_worker'"""
        ).fetchone()[0]
        rows = con.execute(
            """SELECT name FROM residents_resident WHERE path LIKE ? || '%' AND status = 'active'
               AND user_id IS NULL GROUP BY name HAVING count(*) = 1 ORDER BY name LIMIT 5""",
            (community,),
        ).fetchall()
    return rows[skip][0]


def set_password(demo_site, username: str, password: str) -> None:
    """The demo's neighbour accounts have no known password: give one (as an administrator would)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "linli.config.settings",
        "LINLI_DATA_DIR": str(demo_site.data_dir),
        "LINLI_LOG_LEVEL": "WARNING",
    }
    env.pop("LINLI_DATABASE_URL", None)
    env.pop("LINLI_REDIS_URL", None)
    code = (
        "from linli.accounts.models import User;"
        f"u = User.objects.get(username='{username}'); u.set_password('{password}'); u.save()"
    )
    linli = Path(sys.executable).with_name("linli")
    subprocess.run([str(linli), "shell", "-c", code], env=env, cwd=ROOT, check=True, capture_output=True, timeout=120)


def resident(page: Page, demo_site, username: str, password: str | None = None) -> Page:
    """Log in as a resident and start from the home page."""
    page.context.clear_cookies()
    page.goto("/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password or demo_site.password(username))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.goto("/")
    return page


def to_mediation_home(page: Page) -> None:
    page.locator("a.tile[href='/my/mediation/']").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("矛盾纠纷与调解")


def header_search(page: Page, text: str) -> None:
    page.locator("#bar-q").fill(text)
    with page.expect_navigation():
        page.locator("#bar-q").press("Enter")


def fits_the_phone(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at 390 px ({width}px)"


def chinese_only(page: Page) -> None:
    text = page.locator("main").inner_text()
    found = RAW.search(text)
    assert found is None, f"a raw code or English state on a Chinese page: {found.group(0)!r}"


def checked(page: Page, phone: bool = False) -> None:
    """What every main page passes: Chinese only, axe clean, and (on a phone) no sideways scroll."""
    chinese_only(page)
    if phone:
        fits_the_phone(page)
    assert blocking_violations(page) == []


def xlsx_text(data: bytes) -> str:
    """Every cell's text of a spreadsheet (the XML parts of the zip, read as text)."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return "".join(book.read(name).decode("utf-8") for name in book.namelist() if name.endswith(".xml"))


def pdf_text(data: bytes) -> str:
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True)
    return done.stdout.decode("utf-8")


# ---- 1. a neighbour dispute from a grid event to its close -----------------------------------


def test_neighbour_dispute_from_a_grid_event_to_its_close(phone: Page, desktop: Page, demo_site, screenshot):
    today = city_now().date()
    mediator = mediator_name(demo_site)
    upstairs = pool_resident(demo_site)
    title = f"楼上卫生间漏水渗到楼下（{uuid.uuid4().hex[:4].upper()}）"

    # the resident reports the leak from the phone (随手拍)
    page = resident(phone, demo_site, "demo_resident")
    page.locator("a.tile[href='/report/']").click()
    page.locator("input[name=photos]").set_input_files([photo("ceiling.png", (150, 150, 160))])
    page.locator("#id_description").fill("楼上邻居家卫生间漏水，渗到我家天花板，多次上门沟通没有结果，希望社区帮助调解")
    lat, lng = grid_worker_building(demo_site)
    page.locator("#id_lat").evaluate("(el, v) => { el.value = v; }", f"{lat:.6f}")
    page.locator("#id_lng").evaluate("(el, v) => { el.value = v; }", f"{lng:.6f}")
    page.locator("main form button[type=submit]").click()
    if page.locator("#id_not_duplicate").count():  # something similar nearby in the demo: continue
        page.locator("#id_not_duplicate").check()
        page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/my/events/GE\d{6}-\d{8}-\d{5}/$"))
    event = page.url.rstrip("/").rsplit("/", 1)[1]

    # the community worker finds the event and hands it on to people's mediation
    worker = staff(desktop, demo_site, "demo_community_worker")
    header_search(worker, event)
    worker.get_by_role("link", name=event).first.click()
    handoffs = worker.locator("#event-handoffs")
    expect(worker.get_by_role("heading", name="转办")).to_be_visible()
    handoffs.get_by_role("link", name="转人民调解").click()
    expect(worker.get_by_role("heading", level=1)).to_have_text("登记纠纷")
    expect(worker.locator("[name=source_ref]")).to_have_value(event)
    expect(worker.locator("[name=facts]")).to_have_value(re.compile("卫生间漏水"))
    expect(worker.locator("[name='parties-0-name']")).not_to_have_value("")  # the reporter, from the pool
    applicant = worker.locator("[name='parties-0-name']").input_value()
    worker.locator("#f-q").fill(upstairs)
    worker.get_by_role("button", name="查找").click()
    worker.get_by_role("link", name=f"被申请人 {upstairs}").first.click()
    expect(worker.locator("[name='parties-1-name']")).to_have_value(upstairs)
    expect(worker.locator("[name=source_ref]")).to_have_value(event)  # the event is kept
    worker.locator("[name=kind]").select_option("neighbour")
    worker.locator("[name=title]").fill(title)
    worker.locator("[name=claim]").fill("修好漏水点，赔偿天花板修复费用")
    checked(worker)
    screenshot(worker, "mediation-01-intake-from-event-desktop")
    worker.get_by_role("button", name="登记", exact=True).click()
    expect(worker.locator(".notice-ok, .messages").first).to_be_visible()
    number = worker.locator("h1 .muted").inner_text().strip()
    assert number, "no case number on the dispute page"
    dispute_url = worker.url
    expect(worker.locator("#dispute-state")).to_contain_text("待征得当事人同意")  # awaiting the parties' consent
    expect(worker.locator("#assign-form")).to_have_count(0)  # no mediator before both parties agree
    checked(worker)
    screenshot(worker, "mediation-02-dispute-registered-desktop")

    # the event page now links the dispute
    header_search(worker, event)
    worker.get_by_role("link", name=event).first.click()
    expect(worker.locator("#event-handoffs")).to_contain_text(number)

    # the resident agrees on the phone
    page = resident(phone, demo_site, "demo_resident")
    to_mediation_home(page)
    page.get_by_role("link", name=re.compile("我的纠纷调解")).click()
    page.get_by_role("link", name=re.compile(re.escape(title))).click()
    expect(page.get_by_role("heading", level=2, name="您是否同意调解？")).to_be_visible()
    checked(page, phone=True)
    screenshot(page, "mediation-03-resident-asked-phone")
    page.locator("input[name=consent][value=agreed]").check()
    page.get_by_role("button", name="提交我的意见").click()
    expect(page.locator("main")).not_to_contain_text("您是否同意调解？")
    screenshot(page, "mediation-04-resident-agreed-phone")

    # the worker records the upstairs neighbour's agreement (asked in person) and assigns the mediator
    worker = staff(desktop, demo_site, "demo_community_worker")
    menu_link(worker, "矛盾纠纷").click()
    expect(worker.get_by_role("heading", level=1)).to_have_text("矛盾纠纷")
    checked(worker)
    screenshot(worker, "mediation-05-dispute-queue-desktop")
    worker.get_by_role("link", name=number).click()
    own = worker.locator("form", has=worker.get_by_role("heading", name=re.compile(upstairs)))
    own.locator("input[name=note]").fill("上门当面征求意见")
    own.get_by_role("button", name=re.compile("^同意调解")).click()
    expect(worker.locator("#dispute-state")).to_contain_text("已受理")
    assign = worker.locator("#assign-form")
    assign.get_by_label(re.compile(re.escape(mediator))).check()
    assign.get_by_role("button", name="指定").click()
    expect(worker.locator("#dispute-state")).to_contain_text("调解中")
    expect(worker.locator("#dispute-mediator")).to_have_text(mediator)
    checked(worker)
    screenshot(worker, "mediation-06-assigned-desktop")

    # the mediator, on the phone: two sessions, then the written agreement
    page = staff(phone, demo_site, "demo_mediator")
    menu_link(page, "我的调解案件").click()
    checked(page, phone=True)
    screenshot(page, "mediation-07-mediator-queue-phone")
    page.get_by_role("link", name=number).click()
    for n, minutes in (
        (1, "双方到场陈述。楼上同意请维修人员检查防水层，下次会前给出检查结果。"),
        (2, "检查确认防水层破损。楼上同意重做防水并承担天花板修复费用，双方达成一致。"),
    ):
        at = city_now() - timedelta(minutes=30 - n)
        schedule = page.locator("#schedule-form")
        schedule.locator("[name=starts_at]").fill(at.strftime("%Y-%m-%dT%H:%M"))
        rooms = schedule.locator("[name=facility_ref] option")
        if rooms.count() > 1:
            schedule.locator("[name=facility_ref]").select_option(index=1)
        else:
            schedule.locator("[name=place]").fill("水源地社区人民调解室")
        schedule.get_by_role("button", name="安排").click()
        expect(page.locator("#session-table tbody tr")).to_have_count(n)
        record = page.locator("#record-form-1")
        for box in record.locator("input[name=attended]").all():
            box.check()
        record.locator("[name=minutes]").fill(minutes)
        record.get_by_role("button", name="保存调解笔录").click()
        expect(page.locator("#session-table")).to_contain_text("已举行")
        expect(page.locator("#session-table tbody tr", has_text="已举行")).to_have_count(n)
    fits_the_phone(page)
    screenshot(page, "mediation-08-two-sessions-phone")
    agreement = page.locator("#agreement-form")
    agreement.locator("[name=confirm]").check()
    agreement.get_by_role("button", name="登记调解协议").click()  # no terms: refused beside the box
    expect(page.locator("#agreement-form .field.has-error")).to_contain_text("协议")
    expect(page.locator("#agreement")).to_have_count(0)
    agreement = page.locator("#agreement-form")
    agreement.locator("[name=terms]").fill(
        "一、楼上住户于七日内请专业人员重做卫生间防水；二、楼上住户承担楼下天花板修复费用人民币一千二百元；三、双方今后友好相处。"
    )
    agreement.locator("[name=perform_by]").fill((today + timedelta(days=7)).isoformat())
    agreement.locator("[name=confirm]").check()
    agreement.get_by_role("button", name="登记调解协议").click()
    expect(page.locator("#agreement")).to_be_visible()
    checked(page, phone=True)
    screenshot(page, "mediation-09-agreement-phone")

    # the agreement as PDF: Chinese text, the parties named
    href = page.locator("#agreement-pdf").get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF")
    (SCREENSHOTS / "mediation-09-agreement.pdf").write_bytes(body)  # kept beside the screenshots
    text = pdf_text(body)
    assert "调解协议书" in text, text[:500]
    assert applicant in text and upstairs in text, text[:800]
    assert number in text, text[:800]

    # the worker follows up (performed in full) and closes the dispute
    worker = staff(desktop, demo_site, "demo_community_worker")
    menu_link(worker, "矛盾纠纷").click()
    worker.get_by_role("link", name=number).click()
    follow_up = worker.locator("#follow-up-form")
    follow_up.locator("[name=performance]").select_option("full")
    follow_up.locator("[name=note]").fill("电话回访：防水已重做，修复费用已付清，双方满意")
    follow_up.get_by_role("button", name="保存回访").click()
    expect(worker.locator("#follow-up-table")).to_contain_text("已全部履行")
    close = worker.locator("#close-form")
    close.locator("[name=confirm]").check()
    close.get_by_role("button", name="结案").click()
    expect(worker.locator("#dispute-state")).to_contain_text(CLOSED)
    expect(worker.locator("#close-form")).to_have_count(0)
    checked(worker)
    screenshot(worker, "mediation-10-closed-desktop")
    assert worker.url.split("#")[0] == dispute_url

    # the resident sees where it ended
    page = resident(phone, demo_site, "demo_resident")
    to_mediation_home(page)
    page.get_by_role("link", name=re.compile("我的纠纷调解")).click()
    page.get_by_role("link", name=re.compile(re.escape(title))).click()
    expect(page.locator("#dispute-state")).to_contain_text(CLOSED)
    checked(page, phone=True)
    screenshot(page, "mediation-11-resident-closed-phone")


# ---- 2. a 慧评理 case turned into formal mediation ----------------------------------------------


def test_a_reasoning_case_turned_into_formal_mediation(phone: Page, desktop: Page, demo_site, screenshot):
    set_password(demo_site, NEIGHBOUR, NEIGHBOUR_PASSWORD)
    mediator = mediator_name(demo_site)
    title = f"楼道堆放杂物挡住通道（{uuid.uuid4().hex[:4].upper()}）"

    # the resident starts the case and gets the code
    page = resident(phone, demo_site, "demo_resident")
    to_mediation_home(page)
    page.get_by_role("link", name=re.compile("^慧评理")).click()
    page.get_by_role("link", name="发起评理").click()
    page.locator("[name=kind]").select_option("neighbour")
    page.locator("[name=title]").fill(title)
    page.locator("[name=statement]").fill("对门邻居把旧家具和纸箱堆在楼道里，老人推轮椅过不去，说了几次都不搬。")
    page.get_by_role("button", name="发起并获取邀请码").click()
    code = page.locator("#invitation .big-code").inner_text().strip()
    assert code
    checked(page, phone=True)
    screenshot(page, "mediation-12-reasoning-code-phone")

    # the neighbour joins with the code
    other = resident(phone, demo_site, NEIGHBOUR, NEIGHBOUR_PASSWORD)
    to_mediation_home(other)
    other.get_by_role("link", name=re.compile("^慧评理")).click()
    other.get_by_role("link", name="我有邀请码").click()
    other.locator("[name=code]").fill(code)
    other.locator("[name=statement]").fill("东西只是暂放几天，等新房装修好就搬走，没有故意挡路。")
    other.get_by_role("button", name="加入").click()
    expect(other.get_by_role("heading", level=1)).to_have_text(title)
    screenshot(other, "mediation-13-reasoning-joined-phone")

    # the community's reasoner proposes
    reasoner = resident(phone, demo_site, "demo_reasoner")
    to_mediation_home(reasoner)
    reasoner.get_by_role("link", name=re.compile("^慧评理")).click()
    reasoner.get_by_role("link", name=re.compile("本社区等待评理的案例")).click()
    reasoner.get_by_role("link", name=title).click()
    reasoner.locator("[name=text]").fill(
        "楼道是消防通道，不能长期堆放。建议三天内先把挡路的家具搬走，纸箱可暂放在自家门口一侧。"
    )
    reasoner.locator("[name=proposal]").check()
    reasoner.get_by_role("button", name="发送", exact=True).click()
    expect(reasoner.locator(".is-proposal")).to_have_count(1)
    checked(reasoner, phone=True)
    screenshot(reasoner, "mediation-14-reasoner-proposal-phone")

    # the resident does not accept it and asks for formal mediation
    page = resident(phone, demo_site, "demo_resident")
    to_mediation_home(page)
    page.get_by_role("link", name=re.compile("^慧评理")).click()
    page.get_by_role("link", name=title).click()
    expect(page.locator(".is-proposal")).to_be_visible()
    formal = page.locator("form[action$='/formal/']")
    formal.locator("[name=reason]").fill("对方不同意建议，希望社区正式调解")
    formal.locator("[name=confirm]").check()
    formal.get_by_role("button", name="转为人民调解").click()
    link = page.locator(".card-field", has_text="人民调解").get_by_role("link")
    expect(link).to_be_visible()
    number = link.inner_text().strip()
    checked(page, phone=True)
    screenshot(page, "mediation-15-reasoning-formal-phone")
    link.click()
    expect(page.locator("main")).to_contain_text(number)
    expect(page.locator("#dispute-state")).to_contain_text("待征得当事人同意")
    expect(page.locator("input[name=consent]")).to_have_count(0)  # asking for it is the applicant's consent
    checked(page, phone=True)
    screenshot(page, "mediation-16-formal-dispute-resident-phone")

    # the other side is asked on their own page and agrees
    other = resident(phone, demo_site, NEIGHBOUR, NEIGHBOUR_PASSWORD)
    to_mediation_home(other)
    other.get_by_role("link", name=re.compile("我的纠纷调解")).click()
    other.get_by_role("link", name=re.compile(re.escape(title))).first.click()
    expect(other.get_by_role("heading", level=2, name="您是否同意调解？")).to_be_visible()
    checked(other, phone=True)
    other.locator("input[name=consent][value=agreed]").check()
    other.get_by_role("button", name="提交我的意见").click()
    expect(other.locator("#dispute-state")).to_contain_text("已受理")
    screenshot(other, "mediation-17-other-side-agreed-phone")

    # the community worker finds it awaiting a mediator (from 慧评理) and assigns one
    worker = staff(desktop, demo_site, "demo_community_worker")
    menu_link(worker, "矛盾纠纷").click()
    worker.locator("#f-state").select_option("accepted")
    worker.get_by_role("button", name="显示").click()
    worker.get_by_role("link", name=number).click()
    expect(worker.locator("main")).to_contain_text("慧评理")
    expect(worker.locator("#dispute-state")).to_contain_text("已受理")
    assign = worker.locator("#assign-form")
    assign.get_by_label(re.compile(re.escape(mediator))).check()
    assign.get_by_role("button", name="指定").click()
    expect(worker.locator("#dispute-state")).to_contain_text("调解中")
    checked(worker)
    screenshot(worker, "mediation-18-formal-assigned-desktop")

    # the staff list of 慧评理 cases shows it as turned formal
    menu_link(worker, "慧评理案例").click()
    expect(worker.locator("main")).to_contain_text(title)
    checked(worker)
    screenshot(worker, "mediation-19-reasoning-list-desktop")


# ---- 3. a restricted case: the judicial officer reads it with a reason; the filer cannot find it


def test_a_restricted_case_is_found_only_by_those_who_hold_it(phone: Page, desktop: Page, demo_site, screenshot):
    person = pool_resident(demo_site, skip=1)

    # the community worker files a domestic-violence lead and keeps only the receipt
    worker = staff(phone, demo_site, "demo_community_worker")
    menu_link(worker, "上报家庭暴力线索").click()
    worker.locator("#f-q").fill(person)
    worker.locator("main").get_by_role("button", name="查询").click()
    worker.locator(".choice-list a", has_text=person).first.click()
    expect(worker.locator("#chosen-person")).to_contain_text(person)
    worker.locator("[name=what_was_seen]").fill(SEEN)
    checked(worker, phone=True)
    screenshot(worker, "mediation-20-lead-form-phone")
    worker.get_by_role("button", name="上报线索").click()
    expect(worker.get_by_role("heading", level=1)).to_have_text("线索已收到")
    receipt = worker.locator("#receipt-number").inner_text().strip()
    assert receipt
    assert SEEN not in worker.content()
    checked(worker, phone=True)
    screenshot(worker, "mediation-21-lead-receipt-phone")

    # the judicial officer finds it in the restricted list; reading it asks for a reason
    officer = staff(desktop, demo_site, "demo_judicial_officer")
    menu_link(officer, "受限帮扶个案").click()
    expect(officer.get_by_role("heading", level=1)).to_have_text("受限帮扶个案")
    assert person not in officer.locator("#support-cases").inner_text()  # names masked in the list
    checked(officer)
    screenshot(officer, "mediation-22-restricted-list-desktop")
    officer.get_by_role("link", name=receipt).click()
    case_url = officer.url
    expect(officer.locator("main").get_by_role("heading", level=2)).to_contain_text("您为什么查阅此个案")
    assert SEEN not in officer.content() and person not in officer.content()
    screenshot(officer, "mediation-23-reason-asked-desktop")
    officer.locator("[name=reason]").fill("接到家暴线索，核实并制定帮扶计划")
    officer.get_by_role("button", name="查阅个案").click()
    expect(officer.locator("#case-person")).to_have_text(person)
    expect(officer.locator("#case-entries")).to_contain_text("打骂声")
    entry = officer.locator("form", has=officer.locator("input[name=act][value=entry]"))
    entry.locator("[name=note]").fill("已与社区民警一同上门，向当事人告知反家暴法和申请人身安全保护令的途径")
    entry.get_by_role("button", name="登记").click()
    expect(officer.locator("#case-entries")).to_contain_text("人身安全保护令")
    checked(officer)
    screenshot(officer, "mediation-24-case-read-desktop")
    header_search(officer, receipt)
    expect(officer.locator(f"main a[href='{case_url.removeprefix(demo_site.url)}']")).to_have_count(1)

    # the worker without the role (assigned to a few other support cases, so the list exists for
    # them): the lead is not in the list, the search, the export, nor behind its address
    worker = staff(phone, demo_site, "demo_community_worker")
    menu_link(worker, "今日工作")  # unfolds the menu on the phone
    nav = worker.get_by_role("navigation", name="主导航")
    expect(nav.get_by_role("link", name="受限帮扶个案", exact=True)).to_have_count(0)
    worker.goto("/staff/mediation/support/")  # typed: only the cases assigned to them
    expect(worker.get_by_role("heading", level=1)).to_have_text("受限帮扶个案")
    expect(worker.get_by_role("link", name=re.compile("导出含姓名"))).to_have_count(0)
    worker.locator("#f-state").select_option("all")
    worker.locator("main").get_by_role("button", name="筛选").click()
    expect(worker.locator("#support-cases")).not_to_contain_text(receipt)
    checked(worker, phone=True)
    screenshot(worker, "mediation-25-worker-list-phone")
    href = worker.get_by_role("link", name=re.compile("导出不含姓名")).get_attribute("href")
    export = worker.request.get(href)
    assert export.status == 200
    cells = xlsx_text(export.body())
    assert receipt not in cells and person not in cells
    for kind in ("domestic_violence", ""):
        export = worker.request.get(f"/staff/mediation/support/export/?kind={kind}&state=all")
        assert export.status == 200 and receipt not in xlsx_text(export.body())
    for text in (receipt, person):
        header_search(worker, text)
        expect(worker.locator("main a[href*='/mediation/support/']:not([href*='/receipts/'])")).to_have_count(0)
        assert SEEN not in worker.content()
    screenshot(worker, "mediation-26-worker-search-phone")
    path = case_url.removeprefix(demo_site.url)
    assert worker.request.get(path).status == 404
    response = worker.goto(path)
    assert response.status == 404
    expect(worker.get_by_role("heading", level=1)).to_contain_text("不存在或无权访问")
    assert SEEN not in worker.content() and person not in worker.content()
    fits_the_phone(worker)
    screenshot(worker, "mediation-27-case-url-refused-phone")

    # the receipt stays the worker's, with nothing of the case
    worker = staff(phone, demo_site, "demo_community_worker")
    menu_link(worker, "上报家庭暴力线索").click()
    worker.get_by_role("link", name="我的回执").click()
    expect(worker.locator("main")).to_contain_text(receipt)
    assert SEEN not in worker.content()
    checked(worker, phone=True)
    screenshot(worker, "mediation-28-my-receipts-phone")
