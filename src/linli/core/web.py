"""Page plumbing shared by every app's staff pages."""

from __future__ import annotations

from functools import wraps
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect

from linli.core.errors import not_found


def staff_page(*permissions: str):
    """Logged in (else to the staff log-in), and holding one of `permissions`; otherwise the page
    does not exist for them (404, like an object outside their scope)."""

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not any(request.actor.has_perm(permission) for permission in permissions):
                raise not_found("页面", "Page")
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


RESIDENT_LOGIN = "portal:login"


def resident_page(*permissions: str):
    """A resident's page: logged in (else to the residents' log-in), and holding one of
    `permissions`. Anyone else who follows a link here (a staff account, a resident whose account
    lacks the permission) is taken to their own home page, GET or POST alike, rather than shown an
    error: the page is simply not theirs, and their home shows what is."""

    def decorate(view):
        @login_required(login_url=RESIDENT_LOGIN)
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not any(request.actor.has_perm(permission) for permission in permissions):
                return redirect("portal:home")
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """An XLSX download; `filename` may be Chinese (RFC 6266 filename*)."""
    response = HttpResponse(content, content_type=XLSX_TYPE)
    ascii_name = filename.encode("ascii", "ignore").decode() or "export.xlsx"
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response


def any_permission(*permissions: str):
    """A menu condition: the actor holds one of `permissions` (as `staff_page` checks)."""
    return lambda actor: any(actor.has_perm(permission) for permission in permissions)
