"""Staff pages of time bank."""

from __future__ import annotations

from django.shortcuts import render

from linli.accounts.domain import TIMEBANK_MANAGE
from linli.core.web import staff_page


@staff_page(TIMEBANK_MANAGE)
def home(request):
    return render(request, "timebank/staff/home.html", {})
