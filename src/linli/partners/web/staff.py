"""Staff pages of social organisations."""

from __future__ import annotations

from django.shortcuts import render

from linli.accounts.domain import PARTNERS_EDIT, PARTNERS_VIEW
from linli.core.web import staff_page


@staff_page(PARTNERS_VIEW, PARTNERS_EDIT)
def home(request):
    return render(request, "partners/staff/home.html", {})
