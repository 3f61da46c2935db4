"""Template context shared by every page: elder mode and the role-aware navigation."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

ELDER_COOKIE = "linli_elder"

STAFF_NAV = [
    # (permission or "" for everyone with a posting, url name, label)
    ("", "portal:staff-home", _("Home")),
    ("orgtree.view", "portal:staff-org", _("Org tree")),
    ("residents.view", "portal:residents:search", _("Residents")),
    ("residents.view", "portal:residents:households", _("Households")),
    ("residents.view", "portal:residents:care", _("Care lists")),
    ("residents.visit", "portal:residents:plan", _("Visit plan")),
    ("residents.view", "portal:residents:rates", _("Rates")),
    ("desk.view", "portal:desk:queues", _("Service desk")),
    ("desk.view", "portal:desk:rectifications", _("Rectifications")),
    ("desk.supervise", "portal:desk:figures", _("Desk figures")),
    ("desk.catalogue_edit", "portal:desk:catalogue", _("Catalogue")),
    ("desk.calendar_edit", "portal:desk:calendar", _("Work calendar")),
    ("grid.view", "portal:grid:board", _("Grid events")),
    ("facility.view", "portal:facilities:registry", _("Facilities")),
    ("audit.search", "portal:staff-audit", _("Audit log")),
]


def shell(request):
    actor = getattr(request, "actor", None)
    nav = []
    if actor is not None and request.path.startswith("/staff/") and actor.is_authenticated:
        nav = [
            {"url": reverse(name), "label": label, "active": request.path == reverse(name)}
            for permission, name, label in STAFF_NAV
            if not permission or actor.has_perm(permission)
        ]
    perms_grid = {}
    if actor is not None and actor.is_authenticated:
        perms_grid = {
            "report": actor.has_perm("grid.report"),
            "supervise": actor.has_perm("grid.supervise"),
            "categories": actor.has_perm("grid.route_edit"),
            "facility_edit": actor.has_perm("facility.edit"),
        }
    return {"elder_mode": request.COOKIES.get(ELDER_COOKIE) == "1", "staff_nav": nav, "perms_grid": perms_grid}
