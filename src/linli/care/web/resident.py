"""The care pages' front doors: the resident's care page (/my/care/, each stage adds its tiles
through `care/resident/_home_<stage>.html`) and the staff overview against the plan's targets
(/staff/care/, each stage adds its lines through `<stage>_targets`)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from linli.accounts.domain import CARE_FIGURES, CARE_MANAGE, CARE_ORDER, CARE_VIEW
from linli.care.selectors.children import children_targets
from linli.care.selectors.classes import classes_targets
from linli.care.selectors.entitlements import entitlements_targets
from linli.care.selectors.modifications import modifications_targets
from linli.care.selectors.orders import orders_targets
from linli.care.selectors.statements import statements_targets
from linli.core.web import resident_page, staff_page

TARGETS = (
    entitlements_targets,
    orders_targets,
    statements_targets,
    modifications_targets,
    children_targets,
    classes_targets,
)


@resident_page(CARE_ORDER)
def home(request):
    return render(request, "care/resident/home.html")


@staff_page(CARE_VIEW, CARE_MANAGE, CARE_FIGURES)
def staff_home(request):
    today = timezone.localdate()
    targets = [line for build in TARGETS for line in build(actor=request.actor, today=today)]
    return render(request, "care/staff/home.html", {"targets": targets, "today": today})
