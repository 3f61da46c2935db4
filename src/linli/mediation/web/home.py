"""The landing pages of safe community: the staff overview and the resident's page."""

from django.shortcuts import render

from linli.accounts.domain import (
    MEDIATION_APPLY,
    MEDIATION_INTAKE,
    MEDIATION_MEDIATE,
    MEDIATION_VIEW,
    SAFETY_FIGURES,
    SAFETY_POLICE,
)
from linli.core.web import resident_page, staff_page
from linli.mediation.web.nav import nav_links


@staff_page(MEDIATION_VIEW, MEDIATION_INTAKE, MEDIATION_MEDIATE, SAFETY_FIGURES, SAFETY_POLICE)
def staff_home(request):
    """The app's menu as tiles: every page this actor may open."""
    return render(request, "mediation/staff/home.html", {"links": nav_links(request.actor)})


@resident_page(MEDIATION_APPLY)
def resident_home(request):
    return render(request, "mediation/resident/home.html")
