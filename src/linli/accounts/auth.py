"""API authentication: bearer tokens for clients, the session (with CSRF) for the web."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from linli.accounts.selectors import actor_for_user, token_user
from linli.accounts.services import token_touch
from linli.core.net import client_address

TOUCH_INTERVAL = timedelta(minutes=1)  # the interval token_touch enforces


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        found = token_user(token)
        if found is None:
            return None
        user, api_token = found
        request.user = user
        request.actor = actor_for_user(user, client_address=client_address(request), token_id=api_token.pk)
        # token_touch writes at most once a minute; skip the call (two UPDATEs, and on SQLite the
        # database write lock) when the row we just read shows it was touched within that minute.
        last_used = api_token.last_used_at
        if last_used is None or last_used < timezone.now() - TOUCH_INTERVAL:
            token_touch(api_token.pk)
        return user


class Session(SessionAuth):
    """Django session; the actor was already built by ActorMiddleware."""


API_AUTH = [BearerToken(), Session()]
