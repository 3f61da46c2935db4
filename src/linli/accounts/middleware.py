"""Per-request account checks: the Actor, the idle time-out, and the gate that holds a session
at the password-change or second-factor page until that step is done."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect, resolve_url
from django.utils.functional import SimpleLazyObject

from linli.accounts.domain import second_factor_required
from linli.accounts.selectors import actor_for_user
from linli.accounts.services import (
    EXPIRED_KEY,
    IDLE_LIMIT_KEY,
    LAST_SEEN_KEY,
    SECOND_FACTOR_KEY,
    has_second_factor,
)
from linli.core.apitools import error_response
from linli.core.errors import DomainError, Msg
from linli.core.net import client_address

# Writing the session on every request would cost a database write per page; a minute's
# precision is plenty for a 30-minute limit.
TOUCH_SECONDS = 60
# Pages a held session may still open: the steps themselves, log-out, assets, language.
OPEN_PREFIXES = ("/account/", "/staff/logout/", "/logout/", "/static/", "/i18n/", "/jsi18n/", "/healthz", "/metrics")


class ActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        address = client_address(request)
        # Lazy: pages that never look at the actor (static files, /healthz) pay no query.
        request.actor = SimpleLazyObject(lambda: actor_for_user(request.user, client_address=address))
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """Ends a session left idle longer than its limit (set at log-in from the account's roles:
    LINLI_STAFF_IDLE_MINUTES or LINLI_RESIDENT_IDLE_MINUTES) and sends the next page to the log-in
    with its `next`, or answers the API with 401."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        limit = session.get(IDLE_LIMIT_KEY) if session is not None else None
        if limit:
            now = int(time.time())
            last = session.get(LAST_SEEN_KEY, now)
            if now - last > limit:
                return self._expired(request, limit)
            if now - last >= TOUCH_SECONDS:
                session[LAST_SEEN_KEY] = now
        return self.get_response(request)

    def _expired(self, request, limit: int):
        staff = limit < settings.LINLI_RESIDENT_IDLE_MINUTES * 60
        logout(request)
        request.session[EXPIRED_KEY] = limit // 60
        minutes = limit // 60
        error = DomainError(
            Msg(f"已超过 {minutes} 分钟未操作，请重新登录", f"Idle for over {minutes} minutes; please log in again"),
            code="session_expired",
            status=401,
        )
        if request.path.startswith("/api/"):
            return error_response(error)
        login_url = resolve_url(settings.LOGIN_URL if staff else "portal:login")
        return redirect(f"{login_url}?{urlencode({'next': request.get_full_path()})}")


class AccountGateMiddleware:
    """Holds a logged-in session at one page until it is done: a password chosen by an
    administrator must be replaced; an account that needs a second factor (or opted in) must
    enrol or enter a code. The API answers 403 saying which step is missing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(OPEN_PREFIXES) or not request.user.is_authenticated:
            return self.get_response(request)
        step = self._missing_step(request)
        if step is None:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return error_response(STEP_ERRORS[step])
        target = resolve_url(f"portal:{step}")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")

    @staticmethod
    def _missing_step(request) -> str | None:
        user = request.user
        if user.password_change_required:
            return "password-change"
        if not settings.LINLI_SECOND_FACTOR_ENFORCED or user.is_verified():
            return None
        needed = request.session.get(SECOND_FACTOR_KEY)
        if needed is None:  # a session from before this check existed
            needed = second_factor_required(request.actor.permissions) or has_second_factor(user)
            request.session[SECOND_FACTOR_KEY] = needed
        if not needed:
            return None
        return "second-factor" if has_second_factor(user) else "second-factor-setup"


STEP_ERRORS = {
    "password-change": DomainError(
        Msg("请先在网页上修改管理员设置的初始密码", "Change the password your administrator set, on the web, first"),
        code="password_change_required",
        status=403,
    ),
    "second-factor": DomainError(
        Msg("请先完成第二重验证（动态验证码）", "Pass the second factor (authenticator code) first"),
        code="second_factor_required",
        status=403,
    ),
    "second-factor-setup": DomainError(
        Msg("该账号须先在网页上设置第二重验证", "This account must set up a second factor on the web first"),
        code="second_factor_enrolment_required",
        status=403,
    ),
}
