"""The service desk's whole story in a real browser against the demo city (issue: 全市通办):

1. a resident of 和平区 applies online at night for 高龄津贴 from a phone;
2. a community worker of another district accepts a second case at the window, by proxy, for
   a 和平区 resident — the case goes to 和平区, not to the window's district;
3. the deciding office (和平区民政局) requests a supplement: the clock pauses; the resident
   answers from the phone: it runs again;
4. the case is decided, delivered and closed; the resident rates it 不满意;
5. the community rectifies the bad rating and records the follow-up call —

and at each step the case is visible to the people concerned and a 404 for the others.
Locators use names, ids and URLs so that wording changes do not break the journey."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect
from test_journeys import log_in

from linli.residents.domain import id_number_make

pytestmark = pytest.mark.browser
ITEM = "SQ007"  # 高龄津贴申请: decided by the district's civil-affairs bureau
BIRTH = date(1940, 8, 8)
PROXY_APPLICANT = id_number_make("210102", BIRTH, 777, "male")


def resident_log_in(page: Page, demo_site) -> None:
    page.goto("/login/")
    page.locator("#id_username").fill("demo_resident")
    page.locator("#id_password").fill(demo_site.password("demo_resident"))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/my/cases/$"))


def step(page: Page, action: str, note: str = "", **selects: str) -> None:
    form = page.locator(f"form[action$='/step/{action}/']")
    for name, value in selects.items():
        form.locator(f"select[name={name}]").select_option(value)
    if note:
        form.locator("textarea[name=note]").fill(note)
    form.locator("button[type=submit]").click()
    expect(page.locator(".notice-ok")).to_be_visible()


def staff(browser_page: Page, demo_site, username: str) -> Page:
    browser_page.context.clear_cookies()
    log_in(browser_page, username, demo_site.password(username))
    expect(browser_page).to_have_url(re.compile(r"/staff/$"))
    return browser_page


def test_the_whole_desk_story(phone: Page, desktop: Page, demo_site, screenshot):
    # 1. the resident applies online
    resident_log_in(phone, demo_site)
    phone.goto("/services/?q=高龄津贴")
    phone.locator(f".service-list a[href='/services/{ITEM}/']").click()
    screenshot(phone, "40-desk-guide-phone")
    phone.locator(f"a[href='/services/{ITEM}/apply/']").click()
    for key in ("m2", "m3", "m4"):
        phone.locator(f"input[name='checklist.{key}']").check()
    screenshot(phone, "41-desk-apply-phone")
    phone.locator("main form button[type=submit]").click()
    expect(phone).to_have_url(re.compile(r"/my/cases/[0-9a-f-]{36}/$"))
    online_case = phone.url.rsplit("/", 2)[-2]
    number = phone.locator("dd.code").inner_text()
    assert re.fullmatch(r"210102-\d{8}-\d{5}", number)
    screenshot(phone, "42-desk-submitted-phone")

    # the home community's front desk accepts it
    staff(desktop, demo_site, "demo_community_worker")
    desktop.goto("/staff/desk/?queue=intake")
    desktop.locator(f"a[href='/staff/desk/cases/{online_case}/']").click()
    step(desktop, "accept")
    expect(desktop.locator(".big-tag")).to_have_class(re.compile("state-accepted"))

    # 2. register a 和平区 resident in the pool, then serve him at another district's window by proxy
    desktop.goto("/staff/residents/households/new/")
    desktop.locator("#id_building").select_option(index=2)
    desktop.locator("#id_room").fill("7-707")
    desktop.locator("#id_residence_type").select_option("registered")
    desktop.locator("main form button[type=submit]").click()
    desktop.locator("#id_name").fill("郑守仁")
    desktop.locator("#id_gender").select_option("male")
    desktop.locator("#id_birth_date").fill(BIRTH.isoformat())
    desktop.locator("#id_id_number").fill(PROXY_APPLICANT)
    desktop.locator("form.form-columns button[type=submit]").click()
    expect(desktop).to_have_url(re.compile(r"/staff/residents/households/[0-9a-f-]{36}/$"))

    staff(desktop, demo_site, "demo_window_elsewhere")
    assert desktop.goto(f"/staff/desk/cases/{online_case}/").status == 404  # not theirs
    desktop.goto("/staff/desk/intake/")
    desktop.locator("#id_id_number").fill(PROXY_APPLICANT)
    desktop.locator("main form button[type=submit]").click()
    expect(desktop).to_have_url(re.compile(r"/staff/desk/intake/item/$"))
    expect(desktop.locator(".applicant-card")).to_contain_text("郑守仁")
    desktop.locator("#pick-item").select_option(ITEM)  # submits itself (linli.js)
    expect(desktop.locator("form.intake-form")).to_be_visible()
    desktop.locator("input[name=channel][value=proxy]").check()
    # first the one-time notice of what is missing
    desktop.locator("form.intake-form button[name=notice]").click()
    expect(desktop.locator(".missing-list li")).to_have_count(3)
    screenshot(desktop, "43-desk-one-time-notice")
    desktop.go_back()
    desktop.locator("input[name=channel][value=proxy]").check()
    for key in ("m2", "m3", "m4"):
        desktop.locator(f"input[name='checklist.{key}'][value=provided]").check()
    desktop.locator("#id_proxy_method").select_option("signed")
    desktop.locator("#id_proxy_reason").fill("老人行动不便，委托社区代办")
    desktop.locator("#id_proxy_valid_until").fill((date.today() + timedelta(days=30)).isoformat())
    screenshot(desktop, "44-desk-intake-proxy")
    desktop.locator("form.intake-form button[type=submit]:not([name=notice])").click()
    expect(desktop).to_have_url(re.compile(r"/staff/desk/cases/[0-9a-f-]{36}/$"))
    proxy_case = desktop.url.rsplit("/", 2)[-2]
    expect(desktop.locator("h1 .code")).to_contain_text(re.compile(r"^\d{6}-"))
    assert not desktop.locator("h1 .code").inner_text().startswith("210102-")  # numbered by the window
    expect(desktop.locator("main")).to_contain_text("和平区民政局")  # decided by the applicant's district
    screenshot(desktop, "45-desk-proxy-case")

    # the resident cannot open the proxy case (someone else's)
    assert phone.goto(f"/my/cases/{proxy_case}/").status == 404

    # 3. the deciding office requests a supplement on the online case: the clock pauses
    staff(desktop, demo_site, "demo_department_officer")
    desktop.goto("/staff/desk/?queue=unit")
    expect(desktop.locator(f"a[href='/staff/desk/cases/{proxy_case}/']")).to_be_visible()
    desktop.goto(f"/staff/desk/cases/{online_case}/")
    step(desktop, "start_review")
    step(desktop, "request_supplement", "请补充银行卡复印件")
    expect(desktop.locator(".big-tag")).to_have_class(re.compile("state-awaiting_supplement"))
    screenshot(desktop, "46-desk-supplement-requested")

    phone.goto(f"/my/cases/{online_case}/")
    expect(phone.locator("#step-supply")).to_be_visible()
    phone.locator("#step-supply textarea").fill("银行卡复印件已交社区")
    phone.locator("#step-supply button").click()
    expect(phone.locator(".notice-ok")).to_be_visible()
    screenshot(phone, "47-desk-supplied-phone")

    # 4. decided, delivered, closed; the resident rates it 不满意
    desktop.goto(f"/staff/desk/cases/{online_case}/")
    step(desktop, "decide", "符合高龄津贴条件", decision="approved")
    staff(desktop, demo_site, "demo_community_worker")
    desktop.goto(f"/staff/desk/cases/{online_case}/")
    step(desktop, "deliver", delivery_method="pickup")
    step(desktop, "close")
    screenshot(desktop, "48-desk-case-closed")

    phone.goto(f"/my/cases/{online_case}/")
    phone.locator("#step-rate input[name=score][value='2']").check()
    phone.locator("#step-rate textarea").fill("来回跑了两趟")
    phone.locator("#step-rate button").click()
    expect(phone.locator(".notice-ok")).to_be_visible()
    screenshot(phone, "49-desk-rated-phone")

    # 5. the community follows up and rectifies
    desktop.goto("/staff/desk/rectifications/")
    card = desktop.locator("section.rectification", has_text=number)
    expect(card).to_be_visible()
    card.locator("form[action$='/follow-up/'] select[name=method]").select_option("call")
    card.locator("form[action$='/follow-up/'] textarea[name=summary]").fill("电话回访，说明补正原因并致歉")
    card.locator("form[action$='/follow-up/'] button").click()
    card = desktop.locator("section.rectification", has_text=number)
    card.locator("form[action$='/close/'] select[name=verdict]").select_option("rectified")
    card.locator("form[action$='/close/'] textarea[name=summary]").fill("补正要求改为一次性告知")
    card.locator("form[action$='/close/'] button").click()
    expect(desktop.locator(".notice-ok")).to_be_visible()
    expect(desktop.locator("section.rectification", has_text=number)).to_have_count(0)  # closed, off the list
    screenshot(desktop, "50-desk-rectified")

    desktop.goto(f"/staff/desk/cases/{online_case}/")
    timeline = desktop.locator(".case-timeline").inner_text()
    for label in ("提交申请", "受理", "签收审核", "要求补正", "补正材料", "作出决定", "送达结果", "办结归档", "评价"):
        assert label in timeline, label
