"""Staff pages of charity and micro-funds."""

from __future__ import annotations

from django.shortcuts import render

from linli.accounts.domain import CHARITY_MANAGE, CHARITY_OFFER
from linli.core.web import staff_page


@staff_page(CHARITY_MANAGE, CHARITY_OFFER)
def home(request):
    return render(request, "charity/staff/home.html", {})
