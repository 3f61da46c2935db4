"""The resident portal without traps (issue 12), in a real browser against the demo city:

1. the demo resident starts at the home page, applies, sends a photo of a named material (the
   checklist ticks it), sees the step bar with the expected date, and withdraws only after
   confirming with a reason — dismissing the confirmation changes nothing — then applies again
   with what was already given;
2. a report of theirs is handled and checked; its page shows the result, the after-photo, their
   own photo and the map before the rating form;
3. the community worker prints an acceptance receipt at the window;
4. elder mode on a 390 px phone: no header word breaks mid-word, every button at least 44 px.

Every page is checked with axe (0 serious or critical) and saved as a screenshot."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from test_grid_events import grid_worker_building, photo, staff, step
from test_journeys import _fits_the_screen, blocking_violations

pytestmark = pytest.mark.browser
ITEM = "SQ007"  # 高龄津贴申请
MIN_TAP = 44


def start_as_resident(page: Page, demo_site) -> None:
    """From the home page: the 我的申请 tile asks to log in, then lands on the applications."""
    page.goto("/")
    page.locator("a.tile[href='/my/cases/']").click()
    expect(page).to_have_url(re.compile(r"/login/"))
    page.locator("#id_username").fill("demo_resident")
    page.locator("#id_password").fill(demo_site.password("demo_resident"))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/my/cases/$"))


def state_of(page: Page) -> str:
    return page.locator("main .card-fields .tag").first.get_attribute("class")


def test_withdraw_asks_first_and_the_application_can_be_made_again(phone: Page, demo_site, screenshot):
    start_as_resident(phone, demo_site)
    assert blocking_violations(phone) == []
    phone.goto(f"/services/{ITEM}/apply/")
    phone.locator("input[name='checklist.m3']").check()
    phone.locator("main form button[type=submit]").click()
    expect(phone).to_have_url(re.compile(r"/my/cases/[0-9a-f-]{36}/$"))
    first_url = phone.url
    number = phone.locator("dd.code").inner_text()

    # the step bar and the expected date come first
    expect(phone.locator(".progress-steps .progress-step")).to_have_count(5)
    expect(phone.locator(".progress-step.is-current")).to_contain_text("提交申请")
    expect(phone.locator(".progress-expected")).to_contain_text(re.compile(r"预计 \d{4}-\d{2}-\d{2} 前办结"))

    # a photo of a named material ticks it
    provided = phone.locator(".checklist li.check-provided").count()
    bank_card = phone.locator("#material-key option", has_text="银行卡").get_attribute("value")
    phone.locator("#material-key").select_option(bank_card)
    phone.locator(".upload-form input[type=file]").set_input_files([photo("银行卡.png")])
    phone.locator(".upload-form button[type=submit]").click()
    expect(phone.locator(".notice-ok")).to_be_visible()
    expect(phone.locator(".checklist li.check-provided")).to_have_count(provided + 1)
    screenshot(phone, "res-01-case-with-progress-phone")
    assert blocking_violations(phone) == []

    # withdrawing sits below the materials and is not the first button on the page
    withdraw = phone.locator("#withdraw-start")
    assert withdraw.bounding_box()["y"] > phone.locator(".checklist").bounding_box()["y"]
    assert phone.locator("main .button, main button").first.get_attribute("id") != "withdraw-start"
    assert phone.locator("form[action$='/step/withdraw/']").count() == 0

    # dismissing the confirmation changes nothing
    withdraw.click()
    expect(phone.locator("h1")).to_have_text("确定撤回这件申请吗？")
    screenshot(phone, "res-02-withdraw-confirm-phone")
    assert blocking_violations(phone) == []
    phone.locator("#keep-application").click()
    expect(phone).to_have_url(first_url)
    assert "state-submitted" in state_of(phone)
    expect(phone.locator("#withdraw-start")).to_be_visible()

    # without a reason: refused, still submitted
    phone.locator("#withdraw-start").click()
    phone.locator("#confirm-withdraw").click()
    expect(phone.locator("#withdraw-reason-error")).to_contain_text("请填写撤回的原因")
    phone.goto(first_url)
    assert "state-submitted" in state_of(phone)

    # confirmed with a reason
    phone.locator("#withdraw-start").click()
    phone.locator("#withdraw-reason").fill("材料没备齐，下周再来")
    phone.locator("#confirm-withdraw").click()
    expect(phone).to_have_url(first_url)
    assert "state-withdrawn" in state_of(phone)
    expect(phone.locator(".progress-step.is-stopped")).to_have_count(1)
    expect(phone.locator(".case-timeline")).to_contain_text("材料没备齐，下周再来")
    screenshot(phone, "res-03-withdrawn-phone")

    # apply again: the form starts from what was given
    phone.locator("#apply-again").click()
    expect(phone.locator("h1")).to_have_text("重新申请")
    expect(phone.locator(".carried-list")).to_contain_text("银行卡.png")
    expect(phone.locator("input[name='checklist.m3']")).to_be_checked()
    expect(phone.locator(f"input[name='checklist.{bank_card}']")).to_be_checked()
    screenshot(phone, "res-04-apply-again-phone")
    assert blocking_violations(phone) == []
    phone.locator("main form button[type=submit]").click()
    expect(phone).to_have_url(re.compile(r"/my/cases/[0-9a-f-]{36}/$"))
    assert phone.url != first_url and phone.locator("dd.code").inner_text() != number
    expect(phone.locator(".file-list")).to_contain_text("银行卡.png")
    expect(phone.locator(".case-timeline")).to_be_visible()

    # the list shows a step bar and a date on each application
    phone.goto("/my/cases/")
    expect(phone.locator(".case-list .result").first.locator(".progress-steps")).to_be_visible()
    screenshot(phone, "res-05-my-applications-phone")
    assert blocking_violations(phone) == []


def test_the_outcome_of_a_report_comes_before_the_rating(phone: Page, desktop: Page, demo_site, screenshot):
    start_as_resident(phone, demo_site)
    phone.goto("/report/")
    phone.locator("input[name=photos]").set_input_files([photo("路灯.png", (40, 40, 60))])
    phone.locator("#id_description").fill("3号楼前的路灯一直不亮")
    lat, lng = grid_worker_building(demo_site)
    phone.locator("#id_lat").evaluate("(el, v) => { el.value = v; }", f"{lat:.6f}")
    phone.locator("#id_lng").evaluate("(el, v) => { el.value = v; }", f"{lng:.6f}")
    phone.locator("main form button[type=submit]").click()
    expect(phone).to_have_url(re.compile(r"/my/events/GE[\d-]+/$"))
    number = phone.url.rstrip("/").rsplit("/", 1)[1]
    event_url = f"/staff/grid/events/{number}/"

    page = staff(desktop, demo_site, "demo_community_worker")
    page.goto(event_url)
    page.locator("form[action$='/step/register/'] select[name=category]").select_option("C0118")
    page.locator("form[action$='/step/register/'] button[type=submit]").click()
    expect(page.locator(".notice-ok")).to_be_visible()
    step(page, "self_handle")
    step(page, "report_handled", note="已更换灯头，恢复照明", photos=[photo("修好.png", (250, 220, 90))])
    grid = staff(desktop, demo_site, "demo_grid_worker")
    grid.goto(event_url)
    step(grid, "verify_pass", note="夜间复查，灯已亮", photos=[photo("复查.png", (90, 200, 120))])

    # the resident finds it from the home page
    phone.goto("/")
    phone.locator(".main-nav a[href='/my/events/']").click()
    phone.locator(f"a[href='/my/events/{number}/']").click()
    outcome = phone.locator("#outcome")
    expect(outcome).to_contain_text("已更换灯头，恢复照明")
    expect(outcome).to_contain_text("夜间复查，灯已亮")
    expect(phone.locator(".after-photos img")).to_have_count(2)
    expect(phone.locator(".report-photos img")).to_have_count(1)
    expect(phone.locator("#event-map.leaflet-container")).to_be_visible()
    for img in phone.locator("main img").all():  # every photo really loads
        img.scroll_into_view_if_needed()
        expect(img).to_have_js_property("complete", True)
        assert img.evaluate("i => i.naturalWidth") > 0
    y = {
        name: phone.locator(sel).bounding_box()["y"]
        for name, sel in (
            ("outcome", "#outcome"),
            ("after", ".after-photos"),
            ("own", ".report-photos"),
            ("map", "#event-map"),
            ("rate", "#step-rate"),
        )
    }
    assert y["outcome"] < y["after"] < y["own"] < y["map"] < y["rate"], y
    screenshot(phone, "res-06-report-outcome-phone")
    assert blocking_violations(phone) == []
    desktop.context.clear_cookies()
    start_as_resident(desktop, demo_site)
    desktop.goto(f"/my/events/{number}/")
    expect(desktop.locator("#outcome")).to_be_visible()
    screenshot(desktop, "res-07-report-outcome-desktop")

    phone.locator("#step-rate input[name=score][value='5']").check()
    phone.locator("#step-rate button[type=submit]").click()
    expect(phone.locator(".notice-ok")).to_be_visible()
    expect(phone.locator("#outcome")).to_be_visible()  # the answer stays after rating


def test_the_community_worker_prints_an_acceptance_receipt(desktop: Page, demo_site, screenshot):
    page = staff(desktop, demo_site, "demo_community_worker")
    page.goto("/staff/desk/?queue=mine")
    page.locator("main a[href^='/staff/desk/cases/']").first.click()
    number = page.locator("h1 .code").inner_text()
    page.locator("#receipt-link").click()
    expect(page).to_have_url(re.compile(r"/receipt/$"))
    expect(page.locator(".receipt-number")).to_have_text(number)
    expect(page.locator(".window-fields")).to_contain_text("024-")  # the demo windows have a phone
    expect(page.locator(".checklist li").first).to_be_visible()
    assert blocking_violations(page) == []
    screenshot(page, "res-08-receipt-desktop")
    page.evaluate("window.print = () => { window.__printed = true; }")
    page.locator("button[data-print]").click()
    assert page.evaluate("window.__printed") is True
    pdf = page.request.get(page.locator("a[href$='/receipt.pdf']").get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:5] == b"%PDF-"


# Each text of the header (a link's or a button's words) must sit on one line: a word broken across
# lines ("长者模" / "式") is what elder mode used to do on a phone.
HEADER_WORDS = """els => els.filter(e => e.offsetParent !== null).flatMap(e => {
  const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
  const broken = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const range = document.createRange(); range.selectNodeContents(node);
    const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top / 4)));
    if (tops.size > 1) broken.push(node.textContent.trim());
  }
  return broken;
})"""
SMALL_TARGETS = f"""els => els.filter(e => e.offsetParent !== null).map(e => {{
  const b = e.getBoundingClientRect();
  return {{text: (e.innerText || e.value || e.getAttribute('aria-label') || '').trim(), w: b.width, h: b.height}};
}}).filter(b => b.w < {MIN_TAP} - 0.5 || b.h < {MIN_TAP} - 0.5)"""
TARGETS = "main button, main .button, main a.tile, header button, header .main-nav a, header .brand"


def test_elder_mode_on_a_phone_keeps_words_whole_and_buttons_large(phone: Page, demo_site, screenshot):
    start_as_resident(phone, demo_site)
    phone.goto("/")
    phone.get_by_role("button", name="长者模式").click()
    expect(phone.locator("html")).to_have_class(re.compile(r"\belder\b"))
    case_link = None
    for path in ("/", "/my/cases/", "CASE", "/my/events/", "/services/"):
        if path == "CASE":
            phone.goto("/my/cases/")
            case_link = phone.locator(".case-list a.result-name").first.get_attribute("href")
            path = case_link
        phone.goto(path)
        assert _fits_the_screen(phone), f"{path}: wider than the phone"
        broken = phone.locator("header a, header button").evaluate_all(HEADER_WORDS)
        assert broken == [], f"{path}: header words broken across lines: {broken}"
        small = phone.locator(TARGETS).evaluate_all(SMALL_TARGETS)
        assert small == [], f"{path}: targets under {MIN_TAP}px: {small}"
        assert blocking_violations(phone) == []
        screenshot(phone, f"res-09-elder{path.replace('/', '-').rstrip('-') or '-home'}-phone")
    assert case_link is not None
