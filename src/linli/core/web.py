"""Page plumbing shared by every app's staff pages."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required

from linli.core.errors import not_found


def staff_page(permission: str):
    """Logged in (else to the staff log-in), and holding `permission`; otherwise the page does
    not exist for them (404, like an object outside their scope)."""

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.actor.has_perm(permission):
                raise not_found("页面", "Page")
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
