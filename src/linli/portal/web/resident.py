"""Resident portal pages."""

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from linli.portal.web.context import ELDER_COOKIE
from linli.portal.web.staff import inbox_open, inbox_page, login_page


def home(request):
    return render(request, "portal/resident/home.html")


@require_POST
def elder_mode(request):
    """Toggle elder mode (larger type, higher contrast); remembered for a year in a cookie."""
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = redirect(target)
    if request.COOKIES.get(ELDER_COOKIE) == "1":
        response.delete_cookie(ELDER_COOKIE)
    else:
        response.set_cookie(ELDER_COOKIE, "1", max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


def resident_login(request):
    """Residents log in here (the staff workbench has its own page)."""
    return login_page(request, template="portal/resident/login.html", landing="portal:my-cases")


@require_POST
def resident_logout(request):
    logout(request)
    return redirect("portal:home")


@login_required(login_url="portal:login")
def inbox(request):
    """A resident's messages (accepted, supplement needed, decided, please rate, report answered)."""
    return inbox_page(request, template="portal/resident/inbox.html")


@login_required(login_url="portal:login")
def inbox_message(request, pk: int):
    return inbox_open(request, pk, fallback="portal:my-inbox")
