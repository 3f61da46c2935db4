"""Staff pages of venture projects."""

from __future__ import annotations

from django.shortcuts import render

from linli.accounts.domain import VENTURES_APPLY, VENTURES_MANAGE, VENTURES_REVIEW
from linli.core.web import staff_page


@staff_page(VENTURES_MANAGE, VENTURES_REVIEW, VENTURES_APPLY)
def home(request):
    return render(request, "ventures/staff/home.html", {})
