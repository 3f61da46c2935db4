"""Log-in hardening in the browser (decision 0015): the lock-out page and the operator's unlock,
a new account's forced password change, setting up the second factor (QR code, key, recovery
codes), and logging in with an app code and with a recovery code; phone and desktop."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import uuid
from base64 import b32decode
from pathlib import Path

import pytest
from django_otp.oath import totp
from playwright.sync_api import Page, expect
from test_journeys import blocking_violations, log_in

from linli.accounts.domain import demo_totp_key

pytestmark = pytest.mark.browser

NEW_PASSWORD = "桥头-银杏-2718-晴天"
ROOT = Path(__file__).resolve().parents[2]
LINLI = [str(Path(sys.executable).with_name("linli"))]


def _linli(demo_site, *args: str) -> str:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "linli.config.settings",
        "LINLI_DATA_DIR": str(demo_site.data_dir),
        "LINLI_LOG_LEVEL": "WARNING",
    }
    env.pop("LINLI_DATABASE_URL", None)
    env.pop("LINLI_REDIS_URL", None)
    done = subprocess.run([*LINLI, *args], env=env, cwd=ROOT, check=True, capture_output=True, text=True, timeout=120)
    return done.stdout


def _new_community_worker(demo_site) -> tuple[str, str]:
    """An account an administrator creates (`linli grant --create`): a community worker, so it
    needs a second factor, with a password the administrator saw."""
    code = _linli(
        demo_site,
        "shell",
        "-c",
        "from linli.accounts.models import Posting;"
        "print(Posting.objects.filter(user__username='demo_community_worker').first().org_unit.code)",
    ).split()[-1]  # the shell may print a line about its automatic imports first
    username = f"login_test_{uuid.uuid4().hex[:6]}"
    out = _linli(demo_site, "grant", username, "community_worker", code, "--create")
    password = re.search(r"initial password, shown once\): (\S+)", out)[1]
    return username, password


def _fill_password(page: Page, username: str, password: str) -> None:
    page.goto("/staff/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()


def _submit_code(page: Page, code: str) -> None:
    page.get_by_label("验证码", exact=True).fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("^(验证|确认并完成)$")).click()


def _log_out(page: Page) -> None:
    page.context.clear_cookies()


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_new_account_changes_password_sets_up_the_app_and_logs_in_with_codes(screen, request, demo_site, screenshot):
    page: Page = request.getfixturevalue(screen)
    width = 390 if screen == "phone" else 1280
    username, password = _new_community_worker(demo_site)

    # 1. the administrator's password must be replaced first
    _fill_password(page, username, password)
    expect(page).to_have_url(re.compile(r"/account/password/\?next="))
    expect(page.locator("#forced-note")).to_contain_text("此密码由管理员设置")
    screenshot(page, f"login-forced-password-change-{width}")
    page.get_by_label("当前密码").fill(password)
    page.get_by_label("新密码", exact=True).fill("1234567890")
    page.get_by_label("再次输入新密码").fill("1234567890")
    page.get_by_role("button", name="保存新密码").click()
    expect(page.locator(".field.has-error")).to_contain_text("只包含数字")
    page.get_by_label("当前密码").fill(password)
    page.get_by_label("新密码", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("再次输入新密码").fill(NEW_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="保存新密码").click()

    # 2. then the second factor: a QR code drawn on the server, the key as text, a first code
    expect(page).to_have_url(re.compile(r"/account/second-factor/setup/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("设置第二重验证")
    expect(page.locator("#totp-qr svg")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret), secret
    assert blocking_violations(page) == []
    screenshot(page, f"login-second-factor-setup-{width}")
    key = b32decode(secret)
    _submit_code(page, f"{totp(key):06d}")
    codes = page.locator("#recovery-codes li")
    expect(codes).to_have_count(10)
    recovery = codes.first.inner_text().strip()
    screenshot(page, f"login-recovery-codes-{width}")
    with page.expect_navigation():
        page.get_by_role("link", name="我已妥善保存，继续").click()
    expect(page).to_have_url(re.compile(r"/staff/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("今日工作")

    # 3. next time: the password, then a recovery code (each works once)
    _log_out(page)
    _fill_password(page, username, NEW_PASSWORD)
    expect(page).to_have_url(re.compile(r"/account/second-factor/\?next="))
    expect(page.locator("#demo-code")).to_have_count(0)  # a real key: no code on the page
    screenshot(page, f"login-second-factor-{width}")
    _submit_code(page, recovery)
    expect(page).to_have_url(re.compile(r"/staff/$"))

    # 4. and with the app: the next 30-second step's code (the one used at set-up is spent)
    _log_out(page)
    _fill_password(page, username, NEW_PASSWORD)
    _submit_code(page, recovery)  # used already
    expect(page.locator(".field.has-error")).to_contain_text("验证码不正确或已使用")
    time.sleep(2)  # django-otp waits a moment after a wrong code
    _submit_code(page, f"{totp(key, t0=-30):06d}")
    expect(page).to_have_url(re.compile(r"/staff/$"))


def test_lockout_page_and_the_operator_unlocks(phone: Page, desktop: Page, demo_site, screenshot):
    log_in(desktop, "demo_operator", demo_site.password("demo_operator"))
    expect(desktop).to_have_url(re.compile(r"/staff/$"))

    # failed log-ins from one address: the lock page comes at the limit (5 by default)
    stranger = f"nobody_{uuid.uuid4().hex[:6]}"
    for attempt in range(1, 7):
        _fill_password(phone, stranger, "guess-number-" + str(attempt))
        if phone.locator("#locked-title").count():
            break
    assert attempt <= 5
    expect(phone.get_by_role("heading", level=1)).to_have_text("登录已暂时锁定")
    expect(phone.locator("#locked-message")).to_contain_text("15 分钟")
    assert blocking_violations(phone) == []
    screenshot(phone, "login-locked-390")

    # the operator sees the lock-out and lifts it, with a reason and a confirmation
    desktop.goto("/staff/security/")
    expect(desktop.get_by_role("heading", level=1)).to_have_text("登录安全")
    rows = desktop.locator("#lockouts tbody tr")
    address_row = rows.filter(has_text="127.0.0.1")
    expect(address_row).to_contain_text("已锁定")
    expect(rows.filter(has_text=stranger)).to_contain_text("已锁定")
    expect(desktop.locator("#failures")).to_contain_text(stranger)
    assert blocking_violations(desktop) == []
    screenshot(desktop, "login-security-1280")
    address_row.get_by_label("事由").fill("演示：本人来电，已核实")
    address_row.get_by_label("已核实申请人身份，确认解锁").check()
    with desktop.expect_navigation():
        address_row.get_by_role("button", name="解锁").click()
    expect(desktop.locator("#lockouts")).to_contain_text("冷却期内没有登录失败记录")
    expect(desktop.locator("#failures")).to_contain_text("解除登录锁定")

    # the address may log in again
    log_in(phone, "demo_department_officer", demo_site.password("demo_department_officer"))
    expect(phone).to_have_url(re.compile(r"/staff/$"))


def test_demo_account_finds_its_code_on_the_page(phone: Page, demo_site, screenshot):
    """The demo needs no phone: its code page shows the current code, labelled 演示环境."""
    _fill_password(phone, "demo_auditor", demo_site.password("demo_auditor"))
    expect(phone).to_have_url(re.compile(r"/account/second-factor/\?next="))
    note = phone.locator("#demo-code")
    expect(note).to_contain_text("演示环境")
    shown = note.locator(".code").inner_text().strip()
    key = bytes.fromhex(demo_totp_key("demo_auditor"))
    assert shown in {f"{totp(key, t0=offset):06d}" for offset in (0, 30)}  # this step or the last
    assert blocking_violations(phone) == []
    screenshot(phone, "login-demo-code-390")
    _submit_code(phone, shown)
    expect(phone).to_have_url(re.compile(r"/staff/$"))
