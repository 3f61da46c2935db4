"""API authentication: bearer tokens for clients, the session (with CSRF) for the web."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from ninja.security import HttpBearer, SessionAuth

from linli.accounts.selectors import actor_for_token, user_by_id
from linli.accounts.services import token_touch
from linli.core.errors import DomainError, Msg
from linli.core.net import client_address

TOUCH_INTERVAL = timedelta(minutes=1)  # the interval token_touch enforces


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        login = actor_for_token(token, client_address=client_address(request))
        if login is None:
            return None
        if login.password_change_required:
            # an administrator reset the password after this token was issued
            raise DomainError(
                Msg(
                    "请先在网页上修改管理员设置的密码", "Change the password your administrator set, on the web, first"
                ),
                code="password_change_required",
                status=403,
            )
        request.actor = login.actor
        # the User row is loaded only if a view asks for it
        request.user = SimpleLazyObject(lambda: user_by_id(login.actor.user_id))
        # token_touch writes at most once a minute; skip the call (two UPDATEs, and on SQLite the
        # database write lock) when the row we just read shows it was touched within that minute.
        if login.last_used_at is None or login.last_used_at < timezone.now() - TOUCH_INTERVAL:
            token_touch(login.token_id)
        return login.actor


class Session(SessionAuth):
    """Django session; the actor was already built by ActorMiddleware."""


API_AUTH = [BearerToken(), Session()]
