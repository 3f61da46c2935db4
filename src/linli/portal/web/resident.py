"""Resident portal pages."""

from django.contrib.auth import login, logout
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from linli.accounts.services import login_check
from linli.core.errors import DomainError
from linli.portal.web.context import ELDER_COOKIE
from linli.portal.web.forms import LoginForm
from linli.portal.web.staff import safe_next


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
    """Residents log in here (the staff workbench has its own page); same checks and throttle."""
    form = LoginForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = login_check(client_address=request.actor.client_address, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            login(request, user)
            return redirect(safe_next(request) or "portal:my-cases")
    return render(request, "portal/resident/login.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
def resident_logout(request):
    logout(request)
    return redirect("portal:home")
