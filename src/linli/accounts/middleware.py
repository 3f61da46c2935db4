"""Builds `request.actor` once per request from the session user."""

from django.utils.functional import SimpleLazyObject

from linli.accounts.selectors import actor_for_user
from linli.core.net import client_address


class ActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        address = client_address(request)
        # Lazy: pages that never look at the actor (static files, /healthz) pay no query.
        request.actor = SimpleLazyObject(lambda: actor_for_user(request.user, client_address=address))
        return self.get_response(request)
