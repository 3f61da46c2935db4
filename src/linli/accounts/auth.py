"""API authentication: bearer tokens for clients, the session (with CSRF) for the web."""

from __future__ import annotations

from ninja.security import HttpBearer, SessionAuth

from linli.accounts.selectors import actor_for_user, token_user
from linli.accounts.services import token_touch
from linli.core.net import client_address


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        found = token_user(token)
        if found is None:
            return None
        user, api_token = found
        request.user = user
        request.actor = actor_for_user(user, client_address=client_address(request), token_id=api_token.pk)
        token_touch(api_token.pk)
        return user


class Session(SessionAuth):
    """Django session; the actor was already built by ActorMiddleware."""


API_AUTH = [BearerToken(), Session()]
