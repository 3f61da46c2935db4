"""A 低保 application in a real browser, on the demo city (the issue's first journey): the community
worker registers a household and takes its application at the window (the desk's item SQ001),
follows the link to the application, enters the incomes and a medical expenditure, runs the
economic check, records the home survey on a phone (390 px); the street officer reviews and the
notice is published; the notice ends; the county officer approves with the rules' trace and the
determination notice prints.

The notice's seven days cannot pass in the server's process, so the test ends the notice the way
time would: it moves the application's notice dates eight days back in the demo database (a test
step, not a feature — nothing in the product shortens a notice)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from test_journeys import blocking_violations, log_in

from linli.residents.domain import id_number_make

pytestmark = pytest.mark.browser
BIRTH = date(1976, 5, 20)
APPLICANT = id_number_make("210102", BIRTH, 515, "female")
BASE = "/staff/welfare/applications/"


@pytest.fixture
def shot(screenshot):
    """The session's screenshot, and a copy kept beside it that another session cannot wipe."""

    def save(page: Page, name: str):
        path = screenshot(page, name)
        keep = path.parents[1] / "welfare-applications-screenshots"
        keep.mkdir(exist_ok=True)
        shutil.copy(path, keep / path.name)
        return path

    return save


def staff(page: Page, demo_site, username: str) -> Page:
    page.context.clear_cookies()
    log_in(page, username, demo_site.password(username))
    expect(page).to_have_url(re.compile(r"/staff/$"))
    return page


def wide_enough(page: Page) -> None:
    """Nothing in the page's main part reaches past the screen's right edge (a wide table
    scrolls inside its own frame)."""
    viewport = page.viewport_size["width"] if page.viewport_size else 1280
    offenders = page.evaluate(
        """(width) => [...document.querySelectorAll('main *')]
            .filter((e) => !e.closest('.table-wrap') && e.getBoundingClientRect().right > width + 1)
            .map((e) => e.tagName + '.' + e.className + '#' + e.id).slice(0, 5)""",
        viewport,
    )
    assert offenders == [], f"past the right edge at {viewport}px: {offenders}"


def end_the_notice(demo_site, number: str) -> None:
    """Move the notice eight days back in the demo database (see the module's docstring)."""
    code = (
        "import django, datetime as d; django.setup();"
        "from linli.welfare.models import Application as A;"
        f"a = A.objects.get(number='{number}'); w = d.timedelta(days=8);"
        "A.objects.filter(pk=a.pk).update(notice_from=a.notice_from - w, notice_until=a.notice_until - w)"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "linli.config.settings",
        "LINLI_DATA_DIR": str(demo_site.data_dir),
    }
    env.pop("LINLI_DATABASE_URL", None)
    subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, timeout=120)


def test_a_dibao_application_from_the_window_to_the_county(phone: Page, desktop: Page, demo_site, shot):
    # 1. the community worker registers the household and takes the application at the window
    page = staff(desktop, demo_site, "demo_community_worker")
    page.goto("/staff/residents/households/new/")
    page.locator("#id_building").select_option(index=2)
    page.locator("#id_room").fill("5-502")
    page.locator("#id_residence_type").select_option("registered")
    page.locator("main form button[type=submit]").click()
    page.locator("#id_name").fill("韩桂芝")
    page.locator("#id_gender").select_option("female")
    page.locator("#id_birth_date").fill(BIRTH.isoformat())
    page.locator("#id_id_number").fill(APPLICANT)
    page.locator("form.form-columns button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/staff/residents/households/[0-9a-f-]{36}/$"))

    page.goto("/staff/desk/intake/")
    page.locator("#id_id_number").fill(APPLICANT)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/staff/desk/intake/item/$"))
    page.locator("#pick-item").select_option("SQ001")
    expect(page.locator("form.intake-form")).to_be_visible()
    for key in ("m1", "m3", "m4"):
        page.locator(f"input[name='checklist.{key}'][value=provided]").check()
    page.locator("form.intake-form button[type=submit]:not([name=notice])").click()
    expect(page).to_have_url(re.compile(r"/staff/desk/cases/[0-9a-f-]{36}/$"))
    handling = page.locator("#case-handling")
    expect(handling).to_contain_text("由社会救助办理")
    expect(page.locator("form[action$='/step/start_review/']")).to_have_count(0)  # decided in welfare
    shot(page, "welfare-app-01-desk-case")
    handling.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/staff/welfare/applications/[0-9a-f-]{36}/$"))
    application_url = page.url
    number = page.locator("h1 .code").inner_text()
    assert re.fullmatch(r"JZ210102\d{12}", number)
    expect(page.locator("#app-state")).to_have_text("登记家庭情况")

    # 2. the household's facts: a small wage and a medical expenditure; a negative income refused first
    page.locator("#record-link").click()
    expect(page.locator("#m0-include")).to_be_checked()
    page.locator("#m0-income-wage").fill("-300")
    page.locator("#medical_costs").fill("400")
    for key in ("letter", "identity", "authorisation", "declaration"):
        page.locator(f"#material-{key}").check()
    page.locator("#save-facts").click()
    expect(page.locator("#facts-errors")).to_contain_text("韩桂芝的工资性收入不能为负数")
    page.locator("#m0-income-wage").fill("300")
    page.locator("#medical_costs").fill("400")
    for key in ("letter", "identity", "authorisation", "declaration"):
        page.locator(f"#material-{key}").check()
    shot(page, "welfare-app-02-facts-1280")
    page.locator("#save-facts").click()
    expect(page).to_have_url(application_url)
    expect(page.locator("#members-table")).to_contain_text("¥300.00")
    page.locator("#request-check").click()
    page.locator("input[name=result][value=consistent]").check()
    page.locator("#record-check").click()
    expect(page.locator("#app-state")).to_have_text("入户调查")
    assert blocking_violations(page) == []
    shot(page, "welfare-app-03-application-worker-1280")

    # 3. the home survey on a phone
    staff(phone, demo_site, "demo_community_worker")
    phone.goto(application_url)
    phone.locator("#survey-link").click()
    phone.locator("#second_worker").fill("刘晓梅")
    phone.locator("#cond-housing_poor").check()
    phone.locator("#cond-members_confirmed").check()
    phone.locator("#findings").fill("一人居住，房屋简陋；患慢性病，长期服药。")
    wide_enough(phone)
    assert blocking_violations(phone) == []
    shot(phone, "welfare-app-04-survey-phone")
    phone.locator("#save-survey").click()
    expect(phone.locator("#app-state")).to_have_text("街道审核")
    wide_enough(phone)
    shot(phone, "welfare-app-05-application-phone")
    phone.goto(BASE)
    wide_enough(phone)
    shot(phone, "welfare-app-05b-queues-worker-phone")

    # 4. the street officer reviews: the rules' proposal goes on the notice board
    page = staff(desktop, demo_site, "demo_street_officer")
    page.goto(BASE + "?queue=street_review")
    page.locator(f"a:text('{number}')").click()
    page.locator("#street-pass").click()
    expect(page.locator("#app-state")).to_have_text("公示")
    expect(page.locator("#notice-running")).to_be_visible()
    page.get_by_role("link", name="公示栏").click()
    expect(page.locator("#notice-table")).to_contain_text("韩*芝")
    assert "韩桂芝" not in page.locator("#notice-table").inner_text()
    shot(page, "welfare-app-06-notice-board-1280")

    # 5. the notice ends; the county officer approves with the rules' result and trace
    end_the_notice(demo_site, number)
    page = staff(desktop, demo_site, "demo_civil_affairs_officer")
    page.goto(BASE + "?queue=county")
    shot(page, "welfare-app-07-county-queue-1280")
    page.locator(f"a:text('{number}')").click()
    page.locator("#approve-note").fill("公示期满无异议")
    page.locator("#approve").click()
    expect(page.locator("#app-state")).to_have_text("已审核确认")
    expect(page.locator("#trace")).to_be_visible()
    expect(page.locator(".trace-table")).to_contain_text("低保标准")
    assert blocking_violations(page) == []
    shot(page, "welfare-app-08-approved-county-1280")
    pdf = page.request.get(page.locator("#notice-pdf").get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    text = pdf.body()
    assert b"/WenQuanYiMicroHei" in text or b"WenQuanYi" in text  # the Chinese font is embedded
    keep = Path(__file__).resolve().parents[2] / "test-artifacts" / "welfare-notice.pdf"
    keep.parent.mkdir(exist_ok=True)
    keep.write_bytes(text)

    # the county's page on a phone too
    staff(phone, demo_site, "demo_civil_affairs_officer")
    phone.goto(application_url)
    wide_enough(phone)
    shot(phone, "welfare-app-09-approved-phone")
