"""Log-in at 等保 level 3: throttling and lock-out (django-axes) with audit, the idle time-out,
password rules, the forced change, and the second factor (django-otp) by role."""

from __future__ import annotations

import time

import pytest
import time_machine
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from linli.accounts.domain import (
    ROLE_PERMISSIONS,
    SECOND_FACTOR_PERMISSIONS,
    Role,
    demo_totp_key,
    idle_limit_seconds,
    second_factor_required,
)
from linli.accounts.models import User
from linli.accounts.selectors import login_lockouts
from linli.accounts.services import (
    account_grant,
    demo_second_factor_ensure,
    password_problems,
    password_reset,
    second_factor_reset,
)
from linli.core.actor import Actor
from linli.core.models import AuditEntry

PASSWORD = "correct-horse-battery"
STAFF_LOGIN = "/staff/login/"
ENFORCED = override_settings(LINLI_SECOND_FACTOR_ENFORCED=True)


def log_in(client, username, password=PASSWORD, address="10.0.0.1"):
    return client.post(STAFF_LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, t0=device.t0 - offset * device.step):06d}"


def enrol(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="totp", confirmed=True)


# --- throttling and lock-out ------------------------------------------------------------------


def test_lockout_after_the_limit_shows_the_lock_page_and_is_audited(client, people, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "street_officer", "wrong").status_code == 400
    locked = log_in(client, "street_officer", "wrong")
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode() and "15 分钟" in locked.content.decode()
    # the right password is refused too while locked
    assert log_in(client, "street_officer").status_code == 429
    failed = AuditEntry.objects.filter(action="login.failed")
    assert failed.count() == settings.AXES_FAILURE_LIMIT + 1
    assert failed.first().details["username"] == "street_officer"
    assert AuditEntry.objects.filter(action="login.locked").count() == 1  # once, at the limit


def test_lockout_is_per_account_across_addresses(client, people, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "street_officer", "wrong", address=f"10.0.1.{n}")
    assert log_in(client, "street_officer", address="10.0.2.1").status_code == 429
    assert log_in(client, "community_worker", address="10.0.2.1").status_code == 302  # others unaffected


def test_lockout_is_per_address_across_accounts(client, people, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, f"nobody{n}", "wrong", address="10.0.3.3")
    assert log_in(client, "street_officer", address="10.0.3.3").status_code == 429
    assert log_in(client, "street_officer", address="10.0.3.4").status_code == 302


def test_lockout_ends_after_the_cool_off(client, people, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "street_officer", "wrong")
    with time_machine.travel(time.time() + settings.AXES_COOLOFF_TIME.total_seconds() + 5):
        assert log_in(client, "street_officer").status_code == 302


def test_operator_sees_and_lifts_a_lockout_with_a_reason(client, people, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "street_officer", "wrong")
    assert any(r.value == "street_officer" and r.locked for r in login_lockouts())
    client.force_login(people["city_admin"])  # accounts.manage
    page = client.get("/staff/security/")
    assert page.status_code == 200 and "street_officer" in page.content.decode()
    refused = client.post("/staff/security/unlock/", {"username": "street_officer", "reason": "本人来电"})
    assert refused.status_code == 400  # the confirmation box was not ticked
    done = client.post("/staff/security/unlock/", {"username": "street_officer", "reason": "本人来电", "confirm": "on"})
    assert done.status_code == 302
    entry = AuditEntry.objects.get(action="login.unlock")
    assert (entry.actor_name, entry.object_id, entry.reason) == ("city_admin", "street_officer", "本人来电")
    client.logout()
    assert log_in(client, "street_officer").status_code == 302


def test_security_page_is_for_operators_and_account_admins_only(client, people):
    client.force_login(people["community_worker"])
    assert client.get("/staff/security/").status_code == 404
    assert client.post("/staff/security/unlock/", {"username": "x", "reason": "r", "confirm": "on"}).status_code == 404


# --- idle time-out ----------------------------------------------------------------------------


def test_idle_limit_by_role():
    assert idle_limit_seconds({Role.COMMUNITY_WORKER}, staff_minutes=30, resident_minutes=10080) == 1800
    assert idle_limit_seconds({Role.RESIDENT}, staff_minutes=30, resident_minutes=10080) == 10080 * 60
    assert idle_limit_seconds({Role.RESIDENT, Role.GRID_WORKER}, staff_minutes=30, resident_minutes=10080) == 1800


def test_idle_staff_session_ends_and_keeps_next(client, people, settings):
    log_in(client, "department_officer")  # no second factor needed
    assert client.get("/staff/").status_code == 200
    with time_machine.travel(time.time() + settings.LINLI_STAFF_IDLE_MINUTES * 60 + 61):
        response = client.get("/staff/inbox/")
        assert response.status_code == 302
        assert response["Location"] == "/staff/login/?next=%2Fstaff%2Finbox%2F"
        page = client.get(response["Location"])
        assert "30 分钟" in page.content.decode()
        assert client.get("/staff/").status_code == 302  # logged out


def test_activity_keeps_the_session(client, people, settings):
    log_in(client, "department_officer")
    start = time.time()
    for step in range(1, 4):  # three visits 20 minutes apart: never idle for 30
        with time_machine.travel(start + step * 20 * 60):
            assert client.get("/staff/").status_code == 200


def test_idle_resident_keeps_a_long_session(client, people, settings):
    client.post("/login/", {"username": "resident", "password": PASSWORD})
    with time_machine.travel(time.time() + 3 * 24 * 3600):
        assert client.get("/my/cases/").status_code == 200


def test_idle_api_session_answers_401(client, people, settings):
    log_in(client, "department_officer")
    with time_machine.travel(time.time() + settings.LINLI_STAFF_IDLE_MINUTES * 60 + 61):
        response = client.get("/api/v1/me")
    assert response.status_code == 401 and response.json()["error"]["code"] == "session_expired"


# --- password rules and the forced change -------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short1a", "此密码太短"),
        ("password123", "太常见"),
        ("48291057362", "只包含数字"),
        ("street_officer1", "太相似"),
    ],
)
def test_password_rules_answer_in_chinese_and_english(people, password, problem):
    found = password_problems(password, user=people["street_officer"])
    assert found is not None and problem in found.zh and found.en.isascii()


def test_a_good_password_passes(people):
    assert password_problems("桥头-银杏-2718-晴", user=people["street_officer"]) is None


def test_account_created_by_an_admin_must_change_its_password(client, people, tree):
    admin = Actor(
        user_id=people["city_admin"].pk, username="city_admin", permissions=frozenset(ROLE_PERMISSIONS[Role.CITY_ADMIN])
    )
    user, password = account_grant(
        actor=admin,
        username="newcomer",
        role=Role.DEPARTMENT_OFFICER,
        place=people["department_officer"].postings.first().department,
        create=True,
    )
    assert user.password_change_required
    assert log_in(client, "newcomer", password).status_code == 302
    held = client.get("/staff/")
    assert held.status_code == 302 and held["Location"].startswith("/account/password/?next=")
    api = client.get("/api/v1/me")
    assert api.status_code == 403 and api.json()["error"]["code"] == "password_change_required"
    weak = client.post(
        "/account/password/",
        {"old_password": password, "new_password": "12345678901", "new_password_again": "12345678901"},
    )
    assert weak.status_code == 400 and "只包含数字" in weak.content.decode()
    new = "桥头-银杏-2718-晴"
    done = client.post(
        "/account/password/",
        {"old_password": password, "new_password": new, "new_password_again": new, "next": "/staff/"},
    )
    assert done.status_code == 302 and done["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200  # still logged in, free to go
    user.refresh_from_db()
    assert not user.password_change_required
    assert AuditEntry.objects.filter(action="password.change", object_id=str(user.public_id)).exists()


def test_tokens_are_refused_after_an_admin_reset(client, people):
    token = client.post(
        "/api/v1/auth/token", {"username": "department_officer", "password": PASSWORD}, content_type="application/json"
    ).json()["token"]
    admin = Actor(user_id=people["city_admin"].pk, username="city_admin", citywide=True)
    new_password = password_reset(actor=admin, user=people["department_officer"], reason="忘记密码")
    used = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert used.status_code == 403 and used.json()["error"]["code"] == "password_change_required"
    fresh = client.post(
        "/api/v1/auth/token",
        {"username": "department_officer", "password": new_password},
        content_type="application/json",
    )
    assert fresh.status_code == 403 and fresh.json()["error"]["code"] == "password_change_required"
    assert AuditEntry.objects.get(action="password.reset").reason == "忘记密码"


# --- second factor ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_second_factor_matrix_by_role(role):
    expected = role in {
        Role.GRID_WORKER,  # reveal
        Role.COMMUNITY_WORKER,  # reveal
        Role.STREET_OFFICER,  # reveal
        Role.DISTRICT_ADMIN,  # accounts.manage
        Role.CITY_ADMIN,  # accounts.manage, catalogue
        Role.AUDITOR,  # audit.search
        Role.OPERATOR,  # catalogue
        Role.CIVIL_AFFAIRS_OFFICER,  # social assistance's reveal (account numbers, unmasked exports)
        Role.JUDICIAL_OFFICER,  # restricted support cases (corrections, drug rehabilitation, released)
        Role.POLICE_OFFICER,  # restricted domestic-violence leads
    }
    assert second_factor_required(ROLE_PERMISSIONS[role]) is expected
    assert bool(ROLE_PERMISSIONS[role] & SECOND_FACTOR_PERMISSIONS) is expected


@ENFORCED
def test_required_account_must_enrol_before_any_staff_page(client, people):
    log_in(client, "community_worker")
    held = client.get("/staff/")
    assert held.status_code == 302 and held["Location"].startswith("/account/second-factor/setup/?next=")
    api = client.get("/api/v1/me")
    assert api.status_code == 403 and api.json()["error"]["code"] == "second_factor_enrolment_required"
    setup = client.get("/account/second-factor/setup/?next=/staff/")
    body = setup.content.decode()
    assert setup.status_code == 200 and "<svg" in body and 'id="totp-secret"' in body
    device = TOTPDevice.objects.get(user=people["community_worker"], confirmed=False)
    assert client.get("/account/second-factor/setup/").context["secret"] == setup.context["secret"]  # stable on reload
    wrong = client.post("/account/second-factor/setup/", {"code": "000000"})
    assert wrong.status_code == 400
    with time_machine.travel(time.time() + 3):  # django-otp waits a second after a wrong code
        done = client.post("/account/second-factor/setup/", {"code": code_for(device), "next": "/staff/"})
    assert done.status_code == 200 and len(done.context["codes"]) == 10
    assert client.get("/staff/").status_code == 200
    assert AuditEntry.objects.filter(action="second_factor.enrol").count() == 1


@ENFORCED
def test_enrolled_account_enters_a_code_and_a_code_works_once(client, people):
    device = enrol(people["community_worker"])
    log_in(client, "community_worker")
    held = client.get("/staff/inbox/")
    assert held["Location"] == "/account/second-factor/?next=%2Fstaff%2Finbox%2F"
    assert client.post("/account/second-factor/", {"code": "123456"}).status_code == 400
    with time_machine.travel(time.time() + 3):  # django-otp waits a second after a wrong code
        code = code_for(device)
        passed = client.post("/account/second-factor/", {"code": code, "next": "/staff/inbox/"})
        assert passed.status_code == 302 and passed["Location"] == "/staff/inbox/"
        assert client.get("/staff/inbox/").status_code == 200
        other = type(client)()
        log_in(other, "community_worker")
        assert other.post("/account/second-factor/", {"code": code}).status_code == 400  # replay refused
    assert AuditEntry.objects.filter(action="second_factor.failed").count() == 2


@ENFORCED
def test_recovery_code_works_once_and_is_audited(client, people):
    enrol(people["street_officer"])
    static = people["street_officer"].staticdevice_set.create(name="recovery", confirmed=True)
    StaticToken.objects.create(device=static, token="abcd2345")
    log_in(client, "street_officer")
    assert client.post("/account/second-factor/", {"code": "ABCD-2345"}).status_code == 302
    assert AuditEntry.objects.get(action="second_factor.recovery_code_used").details == {"left": 0}
    other = type(client)()
    log_in(other, "street_officer")
    assert other.post("/account/second-factor/", {"code": "abcd2345"}).status_code == 400


@ENFORCED
def test_account_without_the_permissions_needs_no_second_factor_unless_it_opted_in(client, people):
    log_in(client, "department_officer")
    assert client.get("/staff/").status_code == 200
    client.logout()
    enrol(people["department_officer"])
    log_in(client, "department_officer")
    assert client.get("/staff/")["Location"].startswith("/account/second-factor/")


@ENFORCED
def test_api_token_needs_the_code_for_required_accounts(client, people):
    device = enrol(people["auditor"])
    body = {"username": "auditor", "password": PASSWORD}
    missing = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert missing.status_code == 401 and missing.json()["error"]["code"] == "second_factor_required"
    ok = client.post("/api/v1/auth/token", body | {"code": code_for(device)}, content_type="application/json")
    assert ok.status_code == 201
    not_enrolled = client.post(
        "/api/v1/auth/token", {"username": "city_admin", "password": PASSWORD}, content_type="application/json"
    )
    assert not_enrolled.status_code == 403
    assert not_enrolled.json()["error"]["code"] == "second_factor_enrolment_required"


def test_admin_resets_a_second_factor_in_scope_with_a_reason(client, people):
    enrol(people["community_worker"])
    client.force_login(people["district_admin"])
    response = client.post(
        "/staff/security/second-factor-reset/",
        {"username": "community_worker", "reason": "手机丢失，已核验身份", "confirm": "on"},
    )
    assert response.status_code == 200 and "community_worker" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=people["community_worker"]).exists()
    assert AuditEntry.objects.get(action="second_factor.reset").reason == "手机丢失，已核验身份"
    # another district's administrator may not reset this district's accounts
    enrol(people["community_worker"])
    other = Actor(
        user_id=people["other_district_admin"].pk,
        permissions=ROLE_PERMISSIONS[Role.DISTRICT_ADMIN],
        scope_paths=("210103",),
    )
    with pytest.raises(Exception, match="不存在或无权访问"):
        second_factor_reset(actor=other, user=people["community_worker"], reason="x")


@ENFORCED
def test_demo_account_shows_its_current_code(client, people):
    user = people["grid_worker"]
    demo_second_factor_ensure(user=user)
    demo_second_factor_ensure(user=user)  # idempotent
    device = TOTPDevice.objects.get(user=user)
    assert device.key == demo_totp_key("grid_worker")
    log_in(client, "grid_worker")
    page = client.get("/account/second-factor/")
    assert page.context["demo_code"] == code_for(device) and "演示环境" in page.content.decode()
    assert client.post("/account/second-factor/", {"code": page.context["demo_code"]}).status_code == 302
    other = type(client)()
    log_in(other, "grid_worker")  # the public demo key may be used twice in one step
    assert other.post("/account/second-factor/", {"code": page.context["demo_code"]}).status_code == 302


@ENFORCED
def test_real_device_shows_no_code(client, people):
    enrol(people["grid_worker"])
    log_in(client, "grid_worker")
    page = client.get("/account/second-factor/")
    assert page.context["demo_code"] == "" and "演示环境" not in page.content.decode()


def test_recovery_codes_regenerate_with_the_password(client, people):
    device = enrol(people["department_officer"])
    log_in(client, "department_officer")
    # the password alone must not mint codes that then pass the second factor
    held = client.post("/account/second-factor/recovery-codes/", {"password": PASSWORD})
    assert held.status_code == 302 and held["Location"].startswith("/account/second-factor/?")
    assert not StaticToken.objects.filter(device__user=people["department_officer"]).exists()
    assert client.post("/account/second-factor/", {"code": code_for(device)}).status_code == 302
    refused = client.post("/account/second-factor/recovery-codes/", {"password": "wrong"})
    assert refused.status_code == 400
    made = client.post("/account/second-factor/recovery-codes/", {"password": PASSWORD})
    assert made.status_code == 200 and len(made.context["codes"]) == 10
    assert StaticToken.objects.filter(device__user=people["department_officer"]).count() == 10
    assert User.objects.get(username="department_officer")
