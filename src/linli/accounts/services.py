"""Writes about accounts: users, postings, tokens, log-in records."""

from __future__ import annotations

import secrets
import time
from datetime import timedelta

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from linli.accounts.domain import (
    ACCOUNTS_MANAGE,
    DEMO_DEVICE_NAME,
    POSTING_TARGET,
    POSTING_UNIT_KINDS,
    Role,
    demo_totp_key,
    idle_limit_seconds,
    is_demo_device,
    second_factor_required,
)
from linli.accounts.models import ApiToken, Posting, User
from linli.accounts.selectors import active_postings, actor_for_user, token_hash
from linli.core.actor import Actor
from linli.core.errors import DomainError, FieldError, Msg, not_found, validation_failed
from linli.core.net import client_address
from linli.core.services import audit_record

# Session keys of the idle time-out (accounts.middleware.IdleTimeoutMiddleware).
IDLE_LIMIT_KEY = "linli_idle_limit"
LAST_SEEN_KEY = "linli_last_seen"
EXPIRED_KEY = "linli_idle_expired"  # read once by the log-in page to say why
SECOND_FACTOR_KEY = "linli_second_factor"  # whether this session must pass a second factor


def user_create(*, username: str, password: str, display_name: str = "") -> User:
    if User.objects.filter(username=username).exists():
        raise validation_failed([FieldError("username", Msg("用户名已被使用", "Username is taken"))])
    return User.objects.create_user(username=username, password=password, display_name=display_name)


@transaction.atomic
def posting_add(*, actor: Actor, user: User, role: str, place) -> Posting:
    """Give `user` a role at `place` (an OrgUnit, Grid or Department, as the role requires)."""
    target = POSTING_TARGET[Role(role)]
    kind_of_place = type(place).__name__.lower()
    expected = {"org_unit": "orgunit", "grid": "grid", "department": "department"}[target]
    if kind_of_place != expected or (
        target == "org_unit" and place.kind not in POSTING_UNIT_KINDS.get(Role(role), {place.kind})
    ):
        raise validation_failed(
            [FieldError("place", Msg(f"该角色不能设在{place}", f"This role cannot be held at {place}"))]
        )
    posting = Posting.objects.create(
        user=user,
        role=role,
        scope_path=place.path,
        citywide=getattr(place, "kind", "") == "city",
        **{target: place},
    )
    _audit_posting(actor, "posting.add", user, role, place)
    return posting


@transaction.atomic
def account_grant(
    *, actor: Actor, username: str, role: str, place, create: bool = False, display_name: str = ""
) -> tuple[User, str]:
    """Grant `role` at `place`, creating the account first if asked. All or nothing: a refused
    posting leaves no new account behind. Returns the user and the new password ("" if none)."""
    user = User.objects.filter(username=username).first()
    password = ""
    if user is None:
        if not create:
            raise validation_failed([FieldError("username", Msg(f"账号「{username}」不存在", "No such account"))])
        password = secrets.token_urlsafe(12)
        user = user_create(username=username, password=password, display_name=display_name)
        # the administrator has seen this password: the holder must replace it at first log-in
        User.objects.filter(pk=user.pk).update(password_change_required=True)
        user.password_change_required = True
    posting_add(actor=actor, user=user, role=role, place=place)
    return user, password


@transaction.atomic
def posting_end(*, actor: Actor, user: User, role: str, place) -> int:
    """End the user's active postings of `role` at `place`; returns how many ended."""
    target = POSTING_TARGET[Role(role)]
    ended = Posting.objects.filter(user=user, role=role, ended_at__isnull=True, **{target: place}).update(
        ended_at=timezone.now()
    )
    if ended:
        _audit_posting(actor, "posting.end", user, role, place)
    return ended


def _audit_posting(actor: Actor, action: str, user: User, role: str, place) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type="user",
        object_id=user.public_id,
        org_path=place.path,
        details={"role": role},
    )


def login_check(*, request, username: str, password: str) -> User:
    """Authenticate through django-axes, which counts failures per account and per address and
    refuses a locked one before the password is checked. Failures and lock-outs are audited by
    the signal receivers below."""
    user = authenticate(request, username=username, password=password)
    if user is None:
        if getattr(request, "axes_locked_out", False):
            raise locked_out_error()
        raise DomainError(Msg("用户名或密码不正确", "Wrong username or password"), code="bad_credentials", status=401)
    audit_record(
        actor=Actor(user_id=user.pk, username=user.username, client_address=client_address(request)),
        action="login.succeeded",
    )
    return user


def locked_out_error() -> DomainError:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return DomainError(
        Msg(
            f"登录失败次数过多，账号或地址已被暂时锁定，请 {minutes} 分钟后再试，或联系运维人员解锁",
            f"Too many failed log-ins: locked for {minutes} minutes; try again later or ask an operator to unlock",
        ),
        code="locked_out",
        status=429,
    )


def login_failed_record(*, request, username: str) -> None:
    """Audit one failed log-in (a wrong password, an unknown account or a locked one)."""
    audit_record(
        actor=Actor.anonymous(client_address(request)),
        action="login.failed",
        details={"username": (username or "")[:150], "locked": bool(getattr(request, "axes_locked_out", False))},
    )


def lockout_record(*, request, username: str) -> None:
    """Audit a lock-out the first time the limit is reached (later refused attempts are failures)."""
    if getattr(request, "axes_failures_since_start", 0) != settings.AXES_FAILURE_LIMIT:
        return
    audit_record(
        actor=Actor.anonymous(client_address(request)),
        action="login.locked",
        details={
            "username": (username or "")[:150],
            "failures": settings.AXES_FAILURE_LIMIT,
            "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
    )


def session_limits_set(*, request, user: User) -> None:
    """At log-in: fix the session's idle limit from the account's roles (staff short, residents long)."""
    actor = actor_for_user(user, client_address=client_address(request))
    limit = idle_limit_seconds(
        actor.roles,
        staff_minutes=settings.LINLI_STAFF_IDLE_MINUTES,
        resident_minutes=settings.LINLI_RESIDENT_IDLE_MINUTES,
    )
    if hasattr(request, "session"):
        request.session[SECOND_FACTOR_KEY] = second_factor_required(actor.permissions) or has_second_factor(user)
        request.session[IDLE_LIMIT_KEY] = limit
        request.session[LAST_SEEN_KEY] = int(time.time())
        # the session outlives the idle limit a little, so the middleware (not an empty session)
        # meets the idle return and can say why the user must log in again
        request.session.set_expiry(max(limit + 2 * 60, settings.SESSION_COOKIE_AGE))


@transaction.atomic
def lockout_release(*, actor: Actor, username: str = "", address: str = "", reason: str) -> int:
    """An operator lifts a lock-out (an account, an address or both); returns the records removed."""
    if not reason.strip():
        raise validation_failed([FieldError("reason", Msg("请填写解锁原因", "Give a reason for unlocking"))])
    if not username and not address:
        raise validation_failed([FieldError("username", Msg("请指明账号或地址", "Name an account or an address"))])
    removed = axes_reset(username=username or None, ip=address or None)
    audit_record(
        actor=actor,
        action="login.unlock",
        object_type="user" if username else "",
        object_id=username,
        reason=reason.strip(),
        details={"address": address, "records": removed},
    )
    return removed


def login_attempts_prune() -> str:
    """Periodic job: forget failure counts whose cool-off has passed (django-axes keeps them)."""
    deleted, _ = AccessAttempt.objects.filter(attempt_time__lte=timezone.now() - settings.AXES_COOLOFF_TIME).delete()
    return f"login attempts pruned: {deleted}"


def token_issue(*, user: User, client_address: str, name: str = "") -> tuple[ApiToken, str]:
    """Create a token; the raw value is returned once and never stored."""
    raw = "lnl_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:80],
        key_hash=token_hash(raw),
        prefix=raw[:12],
        expires_at=timezone.now() + timedelta(hours=settings.LINLI_TOKEN_TTL_HOURS),
    )
    audit_record(
        actor=Actor(user_id=user.pk, username=user.username, client_address=client_address),
        action="token.issue",
        object_type="api_token",
        object_id=token.public_id,
    )
    return token, raw


def token_second_factor_check(*, user: User, code: str, client_address: str) -> None:
    """Before a token is issued: no token while an administrator-set password is unchanged, and
    a valid second-factor code for an account that needs one (or has one)."""
    if user.password_change_required:
        raise DomainError(
            Msg(
                "请先在网页上修改管理员设置的初始密码", "Change the password your administrator set, on the web, first"
            ),
            code="password_change_required",
            status=403,
        )
    if not settings.LINLI_SECOND_FACTOR_ENFORCED:
        return
    needed = second_factor_required(actor_for_user(user).permissions)
    if not has_second_factor(user):
        if needed:
            raise DomainError(
                Msg("该账号须先在网页上设置第二重验证", "This account must set up a second factor on the web first"),
                code="second_factor_enrolment_required",
                status=403,
            )
        return
    if not code or not second_factor_check_code(user=user, code=code):
        audit_record(
            actor=Actor(user_id=user.pk, username=user.username, client_address=client_address),
            action="second_factor.failed",
            object_type="user",
            object_id=user.public_id,
        )
        raise DomainError(
            Msg("请填写正确的第二重验证码（code）", "A valid second-factor code (code) is required"),
            code="second_factor_required",
            status=401,
            fields=[FieldError("code", Msg("验证码缺失或不正确", "Missing or wrong code"))],
        )


def token_revoke(*, actor: Actor, public_id) -> ApiToken:
    """Revoke one of the actor's own tokens. Revoking twice is harmless."""
    token = ApiToken.objects.filter(user_id=actor.user_id or 0, public_id=public_id).first()
    if token is None:
        raise not_found("令牌", "Token")
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if updated:
        audit_record(actor=actor, action="token.revoke", object_type="api_token", object_id=token.public_id)
    token.refresh_from_db(fields=["revoked_at"])
    return token


def token_touch(token_id: int) -> None:
    """Record use at most once a minute, so authenticated reads do not write on every request."""
    cutoff = timezone.now() - timedelta(minutes=1)
    ApiToken.objects.filter(pk=token_id, last_used_at__lt=cutoff).update(last_used_at=timezone.now())
    ApiToken.objects.filter(pk=token_id, last_used_at__isnull=True).update(last_used_at=timezone.now())


def tokens_prune() -> str:
    """Periodic job: delete tokens that expired or were revoked more than 30 days ago."""
    cutoff = timezone.now() - timedelta(days=30)
    deleted, _ = ApiToken.objects.filter(expires_at__lt=cutoff).delete()
    deleted_revoked, _ = ApiToken.objects.filter(revoked_at__lt=cutoff).delete()
    return f"tokens pruned: {deleted + deleted_revoked}"


# --- passwords -------------------------------------------------------------------------------


@transaction.atomic
def password_reset(*, actor: Actor, user: User, reason: str) -> str:
    """An administrator gives the account a new random password (shown once to them); the holder
    must change it at the next log-in. Ends the account's sessions' second-factor standing too."""
    if not reason.strip():
        raise validation_failed([FieldError("reason", Msg("请填写重置原因", "Give a reason for the reset"))])
    password = secrets.token_urlsafe(12)
    user.set_password(password)
    user.password_change_required = True
    user.save(update_fields=["password", "password_change_required"])
    audit_record(
        actor=actor, action="password.reset", object_type="user", object_id=user.public_id, reason=reason.strip()
    )
    return password


def password_change_required_mark(*, user: User) -> None:
    """The admin site's forms call this after an administrator set a password."""
    User.objects.filter(pk=user.pk).update(password_change_required=True)
    user.password_change_required = True


@transaction.atomic
def password_change(*, actor: Actor, user: User, old_password: str, new_password: str) -> None:
    """The holder replaces their password: the old one is checked, the new one must pass the
    password rules (AUTH_PASSWORD_VALIDATORS) and differ from the old one."""
    if not user.check_password(old_password):
        raise validation_failed([FieldError("old_password", Msg("原密码不正确", "The current password is wrong"))])
    if new_password == old_password:
        raise validation_failed(
            [FieldError("new_password", Msg("新密码不能与原密码相同", "The new password must differ from the old one"))]
        )
    problems = password_problems(new_password, user=user)
    if problems:
        raise validation_failed([FieldError("new_password", problems)])
    user.set_password(new_password)
    user.password_change_required = False
    user.save(update_fields=["password", "password_change_required"])
    audit_record(actor=actor, action="password.change", object_type="user", object_id=user.public_id)


def password_problems(password: str, *, user: User | None = None) -> Msg | None:
    """What the password rules (AUTH_PASSWORD_VALIDATORS) find wrong, in both languages. The
    validators word their messages in the active language, so they run once per language."""
    texts = {}
    for language, joiner in (("zh-hans", "；"), ("en", "; ")):
        with translation.override(language):
            try:
                validate_password(password, user=user)
            except ValidationError as exc:
                texts[language] = joiner.join(exc.messages)
    return Msg(texts["zh-hans"], texts["en"]) if texts else None


# --- second factor (django-otp) ------------------------------------------------------------

RECOVERY_CODES = 10


def second_factor_devices(user: User) -> list:
    """The user's confirmed devices: at most one TOTP and one set of recovery codes."""
    return [
        *TOTPDevice.objects.devices_for_user(user, confirmed=True),
        *StaticDevice.objects.devices_for_user(user, confirmed=True),
    ]


def has_second_factor(user) -> bool:
    """Whether the user has set up an authenticator app (required, or opted in)."""
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def totp_enrolment_pending(*, user: User) -> TOTPDevice:
    """The unconfirmed TOTP key the set-up page shows; the same one on a reload, so a key already
    scanned stays valid until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name="totp", confirmed=False)


@transaction.atomic
def totp_enrolment_confirm(*, request, user: User, code: str) -> list[str]:
    """Confirm the set-up with a first code from the app; replaces any earlier device, makes the
    recovery codes (returned once) and marks this session as passed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None or not device.verify_token(_digits(code)):
        raise validation_failed(
            [
                FieldError(
                    "code",
                    Msg(
                        "验证码不正确，请按应用中当前显示的 6 位数字输入",
                        "Wrong code; enter the 6 digits the app shows now",
                    ),
                )
            ]
        )
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _recovery_codes_make(user)
    otp_login(request, device)
    audit_record(
        actor=_actor_of(request, user), action="second_factor.enrol", object_type="user", object_id=user.public_id
    )
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, request, user: User, password: str) -> list[str]:
    """New recovery codes (the old ones stop working), after the password is given again."""
    if not user.check_password(password):
        raise validation_failed([FieldError("password", Msg("密码不正确", "Wrong password"))])
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise validation_failed(
            [FieldError("password", Msg("请先设置动态验证码", "Set up the authenticator app first"))]
        )
    codes = _recovery_codes_make(user)
    audit_record(
        actor=_actor_of(request, user),
        action="second_factor.recovery_codes",
        object_type="user",
        object_id=user.public_id,
    )
    return codes


def second_factor_verify(*, request, user: User, code: str):
    """Check a code from the app, or a recovery code (each works once). Passing marks the session
    verified. django-otp throttles repeated wrong codes per device (exponential back-off)."""
    code = code.strip().replace(" ", "").replace("-", "").lower()
    for device in TOTPDevice.objects.devices_for_user(user, confirmed=True):
        if is_demo_device(device.name, device.key, user.username):
            # the demo key is public, so replay protection means nothing for it; letting a code
            # be used twice keeps the demo and its browser tests free of 30-second waits
            device.last_t = -1
        if code.isdigit() and len(code) == device.digits and device.verify_token(code):
            otp_login(request, device)
            return device
    for device in StaticDevice.objects.devices_for_user(user, confirmed=True):
        if device.verify_token(code):
            otp_login(request, device)
            audit_record(
                actor=_actor_of(request, user),
                action="second_factor.recovery_code_used",
                object_type="user",
                object_id=user.public_id,
                details={"left": device.token_set.count()},
            )
            return device
    audit_record(
        actor=_actor_of(request, user), action="second_factor.failed", object_type="user", object_id=user.public_id
    )
    raise DomainError(
        Msg(
            "验证码不正确或已使用，请重试（多次错误需等待片刻）",
            "Wrong or already used code; try again (repeated errors need a short wait)",
        ),
        code="bad_second_factor",
        status=401,
    )


def second_factor_check_code(*, user: User, code: str) -> bool:
    """For the API's token exchange: a code from the app or a recovery code, no session."""
    code = code.strip().replace(" ", "").replace("-", "").lower()
    return any(d.verify_token(code) for d in second_factor_devices(user))


@transaction.atomic
def second_factor_reset(*, actor: Actor, user: User, reason: str) -> int:
    """An account administrator removes a user's devices (a lost phone); the user enrols again at
    the next log-in. Returns how many devices were removed."""
    if not actor.has_perm(ACCOUNTS_MANAGE) or not _within_scope(actor, user):
        raise not_found("账号", "Account")
    if not reason.strip():
        raise validation_failed([FieldError("reason", Msg("请填写重置原因", "Give a reason for the reset"))])
    removed = TOTPDevice.objects.filter(user=user).delete()[0] + StaticDevice.objects.filter(user=user).delete()[0]
    audit_record(
        actor=actor,
        action="second_factor.reset",
        object_type="user",
        object_id=user.public_id,
        reason=reason.strip(),
        details={"devices": removed},
    )
    return removed


def demo_second_factor_ensure(*, user: User) -> None:
    """Enrol a demo account with its public demo key (see domain.demo_totp_key). Idempotent."""
    key = demo_totp_key(user.username)
    if TOTPDevice.objects.filter(user=user, confirmed=True, key=key).exists():
        return
    TOTPDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.create(user=user, name=DEMO_DEVICE_NAME, key=key, confirmed=True)


def _within_scope(actor: Actor, user: User) -> bool:
    """An account administrator acts on accounts posted inside their own scope."""
    if actor.citywide:
        return True
    paths = active_postings(user.pk).values_list("scope_path", flat=True)
    return bool(paths) and all(any(p.startswith(mine) for mine in actor.scope_paths) for p in paths)


def _recovery_codes_make(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def _digits(code: str) -> str:
    return code.strip().replace(" ", "")


def _actor_of(request, user: User) -> Actor:
    return Actor(user_id=user.pk, username=user.username, client_address=client_address(request))
