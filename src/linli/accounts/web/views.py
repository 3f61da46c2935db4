"""Account pages: change the password, set up and pass the second factor, recovery codes, and
the operator's log-in security page (lock-outs, unlock, second-factor reset)."""

from __future__ import annotations

from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from linli.accounts.domain import ACCOUNTS_MANAGE, LOGIN_EVENT_NAMES, may_see_log_in_security
from linli.accounts.selectors import demo_code_shown, login_failures_recent, login_lockouts, user_by_username
from linli.accounts.services import (
    has_second_factor,
    lockout_release,
    password_change,
    recovery_codes_regenerate,
    second_factor_reset,
    second_factor_verify,
    totp_enrolment_confirm,
    totp_enrolment_pending,
)
from linli.accounts.web.forms import CodeForm, PasswordAgainForm, PasswordChangeForm, SecondFactorResetForm, UnlockForm
from linli.core.errors import DomainError, not_found


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/staff/" if request.actor.is_staff_member else "/"


def _render(request, template: str, context: dict, status: int = 200):
    base = "portal/staff/base.html" if request.actor.is_staff_member else "portal/resident/base.html"
    return render(request, template, {"base": base, "next": _next(request), **context}, status=status)


def _step_url(name: str, request) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next(request)})}"


def _form_errors(form, exc: DomainError) -> None:
    for field_error in exc.fields:
        name = field_error.field if field_error.field in form.fields else None
        form.add_error(name, str(field_error.message))
    if not exc.fields:
        form.add_error(None, str(exc.message))


@login_required
def password_change_page(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            password_change(
                actor=request.actor,
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            update_session_auth_hash(request, request.user)  # stay logged in
            return redirect(_next(request))
    forced = request.user.password_change_required
    return _render(
        request, "accounts/password_change.html", {"form": form, "forced": forced}, 400 if form.errors else 200
    )


@login_required
def second_factor_page(request):
    """After the password: a code from the app, or a recovery code."""
    if not has_second_factor(request.user):
        return redirect(_step_url("portal:second-factor-setup", request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            second_factor_verify(request=request, user=request.user, code=form.cleaned_data["code"])
        except DomainError as exc:
            form.add_error("code", str(exc.message))
        else:
            return redirect(_next(request))
    context = {"form": form, "demo_code": demo_code_shown(request.user)}
    return _render(request, "accounts/second_factor.html", context, 400 if form.errors else 200)


@login_required
def second_factor_setup_page(request):
    """Set up an authenticator app: a QR code (drawn here, as SVG) and the key as text, then a
    first code to confirm; the recovery codes are shown once."""
    if has_second_factor(request.user) and not request.user.is_verified():
        return redirect(_step_url("portal:second-factor", request))
    device = totp_enrolment_pending(user=request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = totp_enrolment_confirm(request=request, user=request.user, code=form.cleaned_data["code"])
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            return _render(request, "accounts/recovery_codes.html", {"codes": codes, "first": True})
    qr = segno.make(device.config_url, error="m")
    secret = _grouped(b32encode(device.bin_key).decode())
    context = {"form": form, "qr_svg": qr.svg_inline(scale=4, dark="#1d2630", title=""), "secret": secret}
    return _render(request, "accounts/second_factor_setup.html", context, 400 if form.errors else 200)


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
def recovery_codes_page(request):
    """New recovery codes after the password is given again; the old ones stop working. Only
    for a session that has passed its second factor: the password alone must not mint codes
    that then pass it."""
    if not has_second_factor(request.user):
        return redirect(_step_url("portal:second-factor-setup", request))
    if not request.user.is_verified():
        return redirect(_step_url("portal:second-factor", request))
    form = PasswordAgainForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = recovery_codes_regenerate(
                request=request, user=request.user, password=form.cleaned_data["password"]
            )
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            return _render(request, "accounts/recovery_codes.html", {"codes": codes, "first": False})
    return _render(request, "accounts/recovery_codes_new.html", {"form": form}, 400 if form.errors else 200)


# --- the operator's log-in security page ------------------------------------------------------


@login_required
def security_page(request):
    """Lock-outs now in force, the latest failed log-ins, and the forms to unlock and to reset a
    user's second factor (each asks for a reason and a confirmation, and is audited)."""
    if not may_see_log_in_security(request.actor):
        raise not_found("页面", "Page")
    return _security_render(request, UnlockForm(), SecondFactorResetForm())


def _security_render(request, unlock_form, reset_form, status=200, done=""):
    context = {
        "lockouts": login_lockouts(),
        "failures": [_named(e) for e in login_failures_recent()],
        "unlock_form": unlock_form,
        "reset_form": reset_form,
        "may_reset": request.actor.has_perm(ACCOUNTS_MANAGE),
        "done": done,
    }
    return render(request, "accounts/security.html", context, status=status)


def _named(entry):
    entry.action_name = LOGIN_EVENT_NAMES.get(entry.action, entry.action)
    return entry


@login_required
@require_POST
def unlock(request):
    if not may_see_log_in_security(request.actor):
        raise not_found("页面", "Page")
    form = UnlockForm(request.POST)
    if form.is_valid():
        try:
            lockout_release(
                actor=request.actor,
                username=form.cleaned_data["username"],
                address=form.cleaned_data["address"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            return redirect("portal:security")
    return _security_render(request, form, SecondFactorResetForm(), status=400)


@login_required
@require_POST
def second_factor_reset_view(request):
    if not request.actor.has_perm(ACCOUNTS_MANAGE):
        raise not_found("页面", "Page")
    form = SecondFactorResetForm(request.POST)
    if form.is_valid():
        user = user_by_username(form.cleaned_data["username"])
        try:
            if user is None:
                raise not_found("账号", "Account")
            second_factor_reset(actor=request.actor, user=user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            return _security_render(request, UnlockForm(), SecondFactorResetForm(), done=user.username)
    return _security_render(request, UnlockForm(), form, status=400)
