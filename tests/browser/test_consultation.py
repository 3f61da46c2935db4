"""Deliberation (issue 18) in a real browser, on the demo city with issue 18's demo data:

1. a parking topic, end to end: the resident proposes it from the home tile on the phone; ten
   neighbours support it (SUPPORTERS_NEEDED = 10 puts it to the committees); the community worker,
   on the desktop, puts it to consultation and prepares one with two options (quorum 0 %), opens
   comments, shows the resident's comment, opens the vote; the resident votes online (a second
   ballot is refused); a meeting (begun an hour ago) with a neighbour signed in on the tablet page,
   minutes, the neighbour's vote recorded; close and count (carried); the decision published, a
   task added, progressed, done; the resident evaluates; the worker completes; the decision on the
   community's public board, anonymous;
4. the public board, anonymous at 390 px: find the showcase community (水源地社区), its board
   with the convention in force, the print view.

Every page is checked as the user reads it: Chinese, no raw codes or English state names, no
sideways scroll at 390 px. Screenshots go to test-artifacts/screenshots/consultation-*.png."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect
from test_grid_events import staff
from test_journeys import menu_link

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CITY = ZoneInfo("Asia/Shanghai")
SHOWCASE = "水源地社区"
NEIGHBOURS = [f"demo_class_neighbour_{n:02d}" for n in range(1, 11)]  # resident accounts of the showcase
NEIGHBOUR_PASSWORD = "楼道-月季-4711-晴"
ATTENDEE, ATTENDEE_SHOWN = "李丽丽", "李*丽"  # demo_class_neighbour_01 in the demo pool; signed in at the meeting
# English state names and raw codes that must not show on a Chinese page
RAW = re.compile(
    r"\b(gathering|submitted|accepted|declined|consulting|lapsed|withdrawn|draft|discussion|voting|counted|"
    r"decided|published|community|building|grid|committee|resident|None|True|False)\b"
)


# ---- helpers ---------------------------------------------------------------------------------


def set_passwords(demo_site, usernames: list[str], password: str) -> None:
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
        "from linli.accounts.models import User\n"
        f"for name in {usernames!r}:\n"
        f"    u = User.objects.get(username=name); u.set_password({password!r}); u.save()\n"
    )
    linli = Path(sys.executable).with_name("linli")
    subprocess.run([str(linli), "shell", "-c", code], env=env, cwd=ROOT, check=True, capture_output=True, timeout=180)


def resident(page: Page, username: str, password: str) -> Page:
    """Log in as a resident and start from the home page."""
    page.context.clear_cookies()
    page.goto("/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.goto("/")
    return page


def fits_the_phone(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at 390 px ({width}px)"


def chinese_only(page: Page) -> None:
    text = page.locator("main").inner_text()
    found = RAW.search(text)
    assert found is None, f"a raw code or English word on a Chinese page: {found.group(0)!r}"


def to_deliberation(page: Page) -> None:
    page.locator("a.tile[href='/my/consultation/']").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("社区议事")


# ---- 1. a parking topic, from a resident's proposal to the decision on the public board ---------


def test_parking_topic_from_proposal_to_the_public_board(phone: Page, desktop: Page, demo_site, screenshot):
    title = f"晚上小区停车位不够（{uuid.uuid4().hex[:4].upper()}）"
    set_passwords(demo_site, NEIGHBOURS, NEIGHBOUR_PASSWORD)

    # the resident proposes the topic from the home tile
    page = resident(phone, "demo_resident", demo_site.password("demo_resident"))
    to_deliberation(page)
    screenshot(page, "consultation-01-resident-home")
    page.locator("a[href='/my/consultation/topics/new/']").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("提出协商议题")
    page.locator("input[name=title]").fill(title)
    page.locator("textarea[name=body]").fill("小区晚上停车位不够，车辆占用消防通道，希望社区协商划线和错时停车。")
    page.locator("input[name=concerns][value=community]").check()
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("main")).to_contain_text("您的议题已提出，正在征集附议。")
    expect(page.locator("main")).to_contain_text("征集附议中")
    chinese_only(page)
    fits_the_phone(page)
    screenshot(page, "consultation-02-topic-proposed")

    # ten neighbours support it, each from the home page; the tenth puts it to the committees
    for number, neighbour in enumerate(NEIGHBOURS):
        page = resident(phone, neighbour, NEIGHBOUR_PASSWORD)
        to_deliberation(page)
        page.locator("a[href='/my/consultation/topics/']").first.click()
        page.get_by_role("link", name=title).click()
        page.get_by_role("button", name="我要附议").click()
        expect(page.locator("main")).to_contain_text("您已附议")
        if number == 0:
            chinese_only(page)
            fits_the_phone(page)
            screenshot(page, "consultation-03-topic-supported")
    expect(page.locator("main")).to_contain_text("待两委决定")
    screenshot(page, "consultation-04-topic-submitted")

    # the community worker puts it to consultation with a public reason
    worker = staff(desktop, demo_site, "demo_community_worker")
    menu_link(worker, "协商议题").click()
    expect(worker.get_by_role("heading", level=1)).to_have_text("协商议题")
    worker.locator("tr", has_text=title).get_by_role("link").first.click()
    worker.locator("textarea[name=reason]").fill("停车问题涉及全体居民，两委同意提交协商。")
    worker.get_by_role("button", name="提交协商").click()
    expect(worker.locator("main")).to_contain_text("待协商")
    expect(worker.locator("main")).to_contain_text("停车问题涉及全体居民，两委同意提交协商。")
    chinese_only(worker)
    screenshot(worker, "consultation-05-topic-accepted")

    # … and prepares a consultation from it with two options
    worker.get_by_role("link", name="发起协商").click()
    expect(worker.get_by_role("heading", level=1)).to_have_text("发起协商")
    worker.locator("input[name=title]").fill(f"协商：{title}")
    worker.locator("textarea[name=question]").fill("小区停车位如何划分？")
    worker.locator("select[name=scope_kind]").select_option(label="全社区居民")
    worker.locator("select[name=vote_unit]").select_option(label="一人一票（成年居民）")
    worker.locator("input[name=quorum_percent]").fill("0")  # a pilot: the votes cast decide, however few
    options = worker.locator("input[name=option]")
    options.nth(0).fill("划线停车，一户一位")
    options.nth(1).fill("错时停车，夜间开放单位车位")
    screenshot(worker, "consultation-06-consultation-form")
    worker.locator("main form button[type=submit]").last.click()
    expect(worker.get_by_role("heading", level=1)).to_contain_text(f"协商：{title}")
    expect(worker.locator("main")).to_contain_text("划线停车，一户一位")
    expect(worker.locator("main")).to_contain_text("错时停车，夜间开放单位车位")
    chinese_only(worker)
    screenshot(worker, "consultation-07-consultation-prepared")

    # the worker opens it for comments; a resident comments (held until the worker shows it)
    worker.get_by_role("button", name="开放征求意见").click()
    expect(worker.locator("main")).to_contain_text("征求意见中")
    consultation_title = f"协商：{title}"
    page = resident(phone, "demo_resident", demo_site.password("demo_resident"))
    to_deliberation(page)
    page.locator("a[href='/my/consultation/consultations/']").first.click()
    page.get_by_role("link", name=consultation_title).click()
    comment = "建议把3号楼前的空地也划成停车位。"
    page.locator("textarea[name=body]").fill(comment)
    page.get_by_role("button", name="发表意见").click()
    expect(page.locator("main")).to_contain_text("居委会审阅后，您的意见就会显示出来")
    chinese_only(page)
    fits_the_phone(page)
    screenshot(page, "consultation-08-comment-pending")
    worker.reload()
    worker.locator("main form", has=worker.get_by_role("button", name="显示")).first.get_by_role(
        "button", name="显示"
    ).click()
    expect(worker.locator("main")).to_contain_text("已显示")
    expect(worker.locator("main")).to_contain_text(comment)

    # the worker opens voting (the roll is frozen, after confirming)
    opening = worker.locator("form[action$='/open/']", has=worker.locator("input[name=confirm]"))
    until = (datetime.now(CITY) + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    opening.locator("input[name=voting_until]").fill(until)
    opening.locator("input[name=confirm]").check()
    worker.get_by_role("button", name="开始投票").click()
    expect(worker.locator("main")).to_contain_text("投票中")
    chinese_only(worker)
    screenshot(worker, "consultation-09-voting-open")

    # the resident votes on the phone; the same ballot sent again is refused with a clear message
    page.reload()
    expect(page.locator("main")).to_contain_text(comment)  # shown now, under the masked name
    stale = page.context.new_page()  # the same ballot, open in a second tab
    stale.goto(page.url)
    ballot = page.locator("#voting-ballot-form")
    ballot.get_by_text("划线停车，一户一位").click()
    fits_the_phone(page)
    screenshot(page, "consultation-10-ballot")
    ballot.get_by_role("button", name="提交我的投票").click()
    expect(page.locator("#voting-receipt")).to_be_visible()
    chinese_only(page)
    screenshot(page, "consultation-11-voted")
    stale.locator("#voting-ballot-form").get_by_text("错时停车，夜间开放单位车位").click()
    stale.locator("#voting-ballot-form").get_by_role("button", name="提交我的投票").click()
    expect(stale.locator("main")).to_contain_text("每位投票人只能投一票")
    fits_the_phone(stale)
    screenshot(stale, "consultation-12-second-vote-refused")
    stale.close()

    # the worker schedules a meeting (it began an hour ago) and signs a neighbour in on the tablet page
    worker.reload()
    meeting_form = worker.locator("#meeting-form")
    began = (datetime.now(CITY) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    meeting_form.locator("input[name=starts_at]").fill(began)
    meeting_form.locator("input[name=place]").fill("社区活动室")
    meeting_form.get_by_role("button", name="安排会议").click()
    # scheduling opens the tablet page at the door
    expect(worker.get_by_role("heading", level=1)).to_have_text("会议签到")
    worker.locator("#door-q").fill(ATTENDEE)
    worker.locator("#door-search").get_by_role("button").click()
    worker.locator("#door-hits").get_by_role("button", name=re.compile(ATTENDEE_SHOWN)).click()
    expect(worker.locator("#sign-in-list")).to_contain_text(ATTENDEE_SHOWN)
    expect(worker.locator("main")).not_to_contain_text(ATTENDEE)  # the real name is not on the tablet
    chinese_only(worker)
    screenshot(worker, "consultation-13-meeting-sign-in")
    minutes = "到会居民同意划线停车，一户一位；物业负责划线。"
    worker.locator("#minutes-form textarea[name=minutes]").fill(minutes)
    worker.locator("#minutes-form").get_by_role("button", name="保存会议纪要").click()
    expect(worker.locator("#minutes-part")).to_contain_text(minutes)
    screenshot(worker, "consultation-14-meeting-minutes")

    # back on the consultation: the signed-in neighbour's vote at the meeting is recorded
    worker.locator("p.crumb a").click()
    recording = worker.locator("#voting-record-form")
    attendee = recording.locator("select[name=resident] option", has_text=ATTENDEE_SHOWN).get_attribute("value")
    recording.locator("select[name=resident]").select_option(attendee)
    recording.get_by_text("划线停车，一户一位").click()
    recording.get_by_role("button", name="登记投票").click()
    expect(worker.locator("main")).not_to_contain_text("每位投票人只能投一票")

    # the worker closes the vote early (a reason, confirmed) and counts: quorum 0 %, two votes for one option
    closing = worker.locator("#voting-close-form")
    closing.locator("input[name=reason]").fill("试点协商提前结束投票。")
    closing.locator("input[name=confirm]").check()
    closing.get_by_role("button", name="结束并计票").click()
    expect(worker.locator("main")).to_contain_text("划线停车，一户一位")
    expect(worker.locator("main")).not_to_contain_text("未达到最低参与比例")
    chinese_only(worker)
    screenshot(worker, "consultation-15-counted")
    page.reload()
    expect(page.locator("#voting-result")).to_contain_text("划线停车，一户一位")
    fits_the_phone(page)
    screenshot(page, "consultation-16-result-resident")

    # the worker publishes the decision (prefilled with the result), adds a task, records progress, marks it done
    publishing = worker.locator("#decisions-publish-form")
    expect(publishing.locator("textarea[name=text]")).to_contain_text("划线停车，一户一位")
    publishing.locator("textarea[name=text]").press("End")
    publishing.locator("textarea[name=text]").type("物业在两周内完成划线。")
    publishing.locator("input[name=confirm]").check()
    publishing.get_by_role("button", name="公布决定").click()
    expect(worker.locator("#decisions-text")).to_contain_text("物业在两周内完成划线。")
    task = "小区停车位划线"
    tasking = worker.locator("#decisions-task-form")
    tasking.locator("input[name=what]").fill(task)
    tasking.locator("input[name=who]").fill("物业服务中心")
    tasking.locator("input[name=due_on]").fill((datetime.now(CITY) + timedelta(days=14)).strftime("%Y-%m-%d"))
    tasking.get_by_role("button", name="添加任务").click()
    expect(worker.locator("#decisions")).to_contain_text(task)
    chinese_only(worker)
    screenshot(worker, "consultation-17-decision-task")
    progress = worker.locator("#decisions form[action$='/progress/']").first
    progress.locator("input[name=note]").fill("已划好1号楼和2号楼前的车位。")
    progress.locator("input[name=percent]").fill("50")
    progress.get_by_role("button", name="登记进展").click()
    expect(worker.locator("#decisions")).to_contain_text("已划好1号楼和2号楼前的车位。")
    done = worker.locator("#decisions form[action$='/done/']").first
    done.locator("input[name=note]").fill("全部车位已划线并编号。")
    done.locator("input[name=confirm]").check()
    done.get_by_role("button", name="标记为完成").click()
    expect(worker.locator("#decisions-complete-form")).to_be_visible()
    screenshot(worker, "consultation-18-task-done")

    # the resident evaluates on the phone (five levels, once)
    page.reload()
    evaluating = page.locator("#decisions-evaluate-form")
    for level in ("非常满意", "满意", "一般", "不满意", "非常不满意"):
        expect(evaluating).to_contain_text(level)
    evaluating.get_by_text("满意", exact=True).click()
    fits_the_phone(page)
    screenshot(page, "consultation-19-evaluate")
    evaluating.get_by_role("button", name="提交评价").click()
    expect(page.locator("#decisions-mine")).to_contain_text("满意")
    chinese_only(page)
    fits_the_phone(page)
    screenshot(page, "consultation-20-evaluated")

    # the worker completes the consultation
    worker.reload()
    completing = worker.locator("#decisions-complete-form")
    completing.locator("input[name=confirm]").check()
    completing.get_by_role("button", name="办结").click()
    expect(worker.locator("main")).to_contain_text("已落实并评价")
    chinese_only(worker)
    screenshot(worker, "consultation-21-completed")

    # anyone sees the decision on the community's public board, without logging in
    board = phone
    board.context.clear_cookies()
    board.goto("/board/")
    board.get_by_label("社区或村名称").fill("水源地")
    with board.expect_navigation():
        board.get_by_label("社区或村名称").press("Enter")
    board.locator("main").get_by_role("link", name=SHOWCASE).click()
    expect(board.get_by_role("heading", level=1)).to_have_text(f"{SHOWCASE}公开栏")
    notice = board.locator("article.board-notice", has_text=f"协商决定：{consultation_title}").first
    expect(notice).to_be_visible()
    notice.get_by_role("link").click()
    expect(board.locator("main")).to_contain_text("物业在两周内完成划线。")
    expect(board.locator("main")).to_contain_text(task)
    expect(board.locator("main")).not_to_contain_text(ATTENDEE)
    chinese_only(board)
    fits_the_phone(board)
    screenshot(board, "consultation-22-board-decision")


# ---- 4. the public board, anonymous on a phone ------------------------------------------------


def test_public_board_anonymous_on_a_phone(phone: Page, screenshot):
    page = phone
    page.goto("/board/")
    expect(page.get_by_role("heading", level=1)).to_have_text("公开栏")
    page.get_by_label("社区或村名称").fill("水源地")
    with page.expect_navigation():
        page.get_by_label("社区或村名称").press("Enter")
    expect(page.locator("main")).to_contain_text("查到的社区和村")
    fits_the_phone(page)
    screenshot(page, "consultation-41-board-search")

    page.locator("main").get_by_role("link", name=SHOWCASE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{SHOWCASE}公开栏")
    main = page.locator("main")
    expect(main).to_contain_text("协商决定：3号楼加装电梯")  # the demo's published decision
    expect(main).to_contain_text("冬季供暖报修电话")  # a notice
    expect(main).to_contain_text("现行公约章程")
    expect(main).to_contain_text("居民公约")
    assert re.search(r"\d{15,18}[0-9X]|1[3-9]\d{9}", main.inner_text()) is None  # no ID number, no phone
    chinese_only(page)
    fits_the_phone(page)
    screenshot(page, "consultation-42-board")

    page.get_by_role("link", name="打印张贴版").click()
    expect(page).to_have_url(re.compile(r"/board/\d{12}/print/$"))
    expect(page.locator("body")).to_contain_text(SHOWCASE)
    expect(page.locator("body")).to_contain_text("居民公约")
    screenshot(page, "consultation-43-board-print")


# ---- 2. a village major matter through the six steps, the villagers' meeting failing once -------


def village_step(page: Page, held_on: date, **fields: str) -> None:
    """Follow 登记下一步骤 from the matter's page and record the step's form."""
    page.get_by_role("link", name="登记下一步骤").click()
    form = page.locator("form.step-form")
    form.locator("input[name=held_on]").fill(held_on.isoformat())
    for name, value in fields.items():
        field = form.locator(f"[name={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    form.get_by_role("button", name="登记").click()


def test_village_matter_through_the_six_steps(desktop: Page, demo_site, screenshot):
    today = datetime.now(CITY).date()
    title = f"村东主路硬化（{uuid.uuid4().hex[:4].upper()}）"
    page = staff(desktop, demo_site, "demo_village_worker")
    menu_link(page, "村级重大事项").click()
    page.get_by_role("link", name="提议重大事项").click()
    page.locator("select[name=kind_id]").select_option(label="村级工程项目（10万元以上）")
    page.locator("input[name=title]").fill(title)
    page.locator("textarea[name=proposal]").fill("硬化村东主路1.2公里，预算26万元，由村集体经济收入支出。")
    page.locator("input[name=amount]").fill("260000")
    page.locator("input[name=held_on]").fill(today.isoformat())
    page.locator("main form button[type=submit]").last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("main")).to_contain_text("事项已提议。")
    chinese_only(page)
    screenshot(page, "consultation-21-village-proposed")

    village_step(page, today, present="7", minutes="两委同意提交党员大会。", adopted_text="同意提交党员大会审议。")
    expect(page.locator("main")).to_contain_text("党员大会审议")
    village_step(
        page,
        today,
        roll_total="20",
        present="16",
        votes_for="15",
        votes_against="1",
        abstentions="0",
        minutes="党员大会审议通过。",
        adopted_text="同意提交村民会议表决。",
    )

    # the villagers' meeting with too few present: refused, the failed attempt stays
    village_step(
        page,
        today,
        assembly="村民会议",
        present="1",
        households_present="1",
        votes_for="1",
        votes_against="0",
        abstentions="0",
        minutes="到会人数不足。",
        adopted_text="同意硬化村东主路。",
    )
    expect(page.get_by_role("alert").first).to_be_visible()
    refusal = page.locator("main").inner_text()
    adults = re.search(r"应到 (\d+) 人", refusal)
    households = re.search(r"应到 (\d+) 户", refusal)
    assert adults and households, refusal[:600]
    chinese_only(page)
    screenshot(page, "consultation-22-village-no-quorum")
    page.get_by_role("link", name=title).first.click()
    expect(page.locator("main")).to_contain_text("到会人数不足。")  # the failed attempt is kept

    # … again with everyone there
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("link", name="登记下一步骤").click()
    fits_the_phone(page)
    screenshot(page, "consultation-23-village-step-form-phone")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.go_back()
    village_step(
        page,
        today,
        assembly="村民会议",
        present=adults.group(1),
        households_present=households.group(1),
        votes_for=adults.group(1),
        votes_against="0",
        abstentions="0",
        minutes="村民会议表决通过。",
        adopted_text="同意硬化村东主路1.2公里，预算26万元。",
    )
    expect(page.locator("main")).to_contain_text("乡镇审核")
    screenshot(page, "consultation-24-village-resolved")
    matter_url = page.url

    # the town reviews and approves
    town = staff(desktop, demo_site, "demo_town_officer")
    menu_link(town, "乡镇审核村级事项").click()
    town.locator("tr", has_text=title).get_by_role("link", name="审核").click()
    town.get_by_label("审核通过").check()
    screenshot(town, "consultation-25-village-review")
    town.get_by_role("button", name="登记审核意见").click()
    chinese_only(town)

    # the village publishes the resolution, then the result
    page = staff(desktop, demo_site, "demo_village_worker")
    menu_link(page, "村级重大事项").click()
    page.locator("tr", has_text=title).get_by_role("link").first.click()
    assert page.url == matter_url
    until = (today + timedelta(days=10)).isoformat()
    village_step(page, today, adopted_text="决议：同意硬化村东主路1.2公里，预算26万元。", public_until=until)
    village_step(page, today, adopted_text="结果：村东主路硬化已完工，实际支出25.8万元。", public_until=until)
    chinese_only(page)
    screenshot(page, "consultation-26-village-published")

    # the public board shows both without log-in
    page.context.clear_cookies()
    page.goto("/board/")
    page.get_by_label("社区或村名称").fill("满融村")
    with page.expect_navigation():
        page.get_by_label("社区或村名称").press("Enter")
    page.locator("main a", has_text="满融村").first.click()
    expect(page.locator("main")).to_contain_text("决议：同意硬化村东主路1.2公里")
    expect(page.locator("main")).to_contain_text("结果：村东主路硬化已完工")
    chinese_only(page)
    screenshot(page, "consultation-27-village-board")


# ---- 3. refusals a user meets ------------------------------------------------------------------


def test_refusals_a_user_meets(desktop: Page, demo_site, screenshot):
    today = datetime.now(CITY).date()
    title = f"村集体鱼塘承包（{uuid.uuid4().hex[:4].upper()}）"

    # a skipped step: the form offers only the next one; the API, forced, names the step that comes first
    page = staff(desktop, demo_site, "demo_village_worker")
    menu_link(page, "村级重大事项").click()
    page.get_by_role("link", name="提议重大事项").click()
    page.locator("select[name=kind_id]").select_option(label="村级工程项目（10万元以上）")
    page.locator("input[name=title]").fill(title)
    page.locator("textarea[name=proposal]").fill("村集体鱼塘对外承包五年。")
    page.locator("input[name=amount]").fill("150000")
    page.locator("input[name=held_on]").fill(today.isoformat())
    page.locator("main form button[type=submit]").last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    matter = page.url.rstrip("/").rsplit("/", 1)[1]
    page.get_by_role("link", name="登记下一步骤").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("两委会商议")
    screenshot(page, "consultation-31-village-next-step-only")
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    answer = page.request.post(
        f"/api/v1/consultation/village/matters/{matter}/steps",
        data={"step": "deliberate", "held_on": today.isoformat(), "roll_total": 20, "present": 16, "votes_for": 16},
        headers={"X-CSRFToken": csrf, "Referer": demo_site.url + "/staff/", "Accept-Language": "zh-CN"},
    )
    assert answer.status == 409, answer.text()
    assert "须先完成「两委会商议」" in answer.text()
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("两委会商议")  # nothing recorded

    # a certificate of a kind not on the list: only the list's kinds are offered; none chosen is refused
    page = staff(desktop, demo_site, "demo_community_worker")
    menu_link(page, "已出具证明").click()
    page.get_by_role("link", name="出具证明", exact=True).click()
    expect(page.locator("main")).to_contain_text("只能选择本区清单中的证明事项，清单以外的一律不予出具。")
    kinds = page.locator("select[name=kind_id] option").all_inner_texts()
    assert "无犯罪记录证明" not in kinds
    page.locator("input[name=subject_name]").fill("测试居民")
    page.locator("input[name=purpose]").fill("开具无犯罪记录证明")
    page.get_by_role("button", name="出具").click()
    expect(page.locator("main")).to_contain_text("请修改标出的字段。")
    expect(page.locator("input[name=purpose]")).to_have_value("开具无犯罪记录证明")
    chinese_only(page)
    screenshot(page, "consultation-32-certificate-refused")

    # a department's task request without funds
    page = staff(desktop, demo_site, "demo_department_officer")
    menu_link(page, "工作事项准入申请").click()
    page.get_by_role("link", name="申请社区工作事项准入").click()
    page.locator("input[name=title]").fill("入户核查宠物登记")
    page.locator("input[name=legal_basis]").fill("《沈阳市养犬管理规定》")
    page.locator("textarea[name=work]").fill("社区入户核查辖区犬只登记情况。")
    page.get_by_role("button", name="提交区审核").click()
    expect(page.locator("main")).to_contain_text("没有经费的事项不予准入（费随事转）")
    expect(page.locator("input[name=title]")).to_have_value("入户核查宠物登记")
    chinese_only(page)
    screenshot(page, "consultation-33-task-request-without-funds")
