"""The landing pages of deliberation: the staff overview and the resident's page."""

from django.shortcuts import render

from linli.accounts.domain import (
    BURDEN_CERTIFY,
    BURDEN_MANAGE,
    BURDEN_REQUEST,
    CONSULT_MANAGE,
    CONSULT_TAKE_PART,
    CONSULT_VIEW,
)
from linli.consultation.selectors.scope import home_community
from linli.consultation.selectors.village import home_village
from linli.consultation.web.nav import nav_links
from linli.core.web import resident_page, staff_page


@staff_page(CONSULT_VIEW, CONSULT_MANAGE, BURDEN_CERTIFY, BURDEN_REQUEST, BURDEN_MANAGE)
def staff_home(request):
    """The app's menu as tiles: every page this actor may open."""
    return render(request, "consultation/staff/home.html", {"links": nav_links(request.actor)})


@resident_page(CONSULT_TAKE_PART)
def resident_home(request):
    # the village tile shows only for a villager (stage village); the burden list is the district's
    community = home_community(request.actor)
    context = {"villager": bool(home_village(request.actor)), "district": community[:6]}
    return render(request, "consultation/resident/home.html", context)
