"""Log-in signals (Django's and django-axes') turned into audit lines and session limits."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from linli.accounts.services import lockout_record, login_failed_record, session_limits_set


@receiver(user_login_failed, dispatch_uid="linli-login-failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    if request is not None:  # a log-in outside a request (a shell) has no address to audit
        login_failed_record(request=request, username=credentials.get("username", ""))


@receiver(user_locked_out, dispatch_uid="linli-locked-out")
def on_locked_out(sender, request, username, ip_address, **kwargs):
    lockout_record(request=request, username=username)


@receiver(user_logged_in, dispatch_uid="linli-logged-in")
def on_logged_in(sender, request, user, **kwargs):
    if request is not None:
        session_limits_set(request=request, user=user)
