"""Staff pages of volunteers and activities."""

from __future__ import annotations

from django.shortcuts import render

from linli.accounts.domain import VOLUNTEER_MANAGE, VOLUNTEER_VIEW
from linli.core.web import staff_page


@staff_page(VOLUNTEER_VIEW, VOLUNTEER_MANAGE)
def home(request):
    return render(request, "volunteers/staff/home.html", {})
