"""Template context shared by every page: elder mode and the role-aware navigation.

The staff menu is grouped by module. A link is listed only when the actor can open the page it
leads to (the permission, and for pages that need an org unit, a scope above a single grid), so
no role meets a 404 from its own menu; `tests/test_staff_pages.py` walks every role's menu."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from linli.accounts.domain import (
    ACCOUNTS_MANAGE,
    AUDIT_SEARCH,
    CALENDAR_EDIT,
    CATALOGUE_EDIT,
    DESK_ACCEPT,
    DESK_SUPERVISE,
    DESK_VIEW,
    FACILITY_VIEW,
    GRID_REPORT,
    GRID_VIEW,
    ORGTREE_VIEW,
    RESIDENTS_VIEW,
    RESIDENTS_VISIT,
    may_see_log_in_security,
    second_factor_required,
)
from linli.care.web.nav import NAV as CARE_NAV
from linli.charity.web.nav import NAV as CHARITY_NAV
from linli.consultation.web.nav import NAV as CONSULTATION_NAV
from linli.mediation.web.nav import NAV as MEDIATION_NAV
from linli.partners.web.nav import NAV as PARTNERS_NAV
from linli.residents.selectors import can_edit_reveal_rights
from linli.timebank.web.nav import NAV as TIMEBANK_NAV
from linli.ventures.web.nav import NAV as VENTURES_NAV
from linli.volunteers.web.nav import NAV as VOLUNTEERS_NAV
from linli.welfare.web.nav import NAV as WELFARE_NAV

ELDER_COOKIE = "linli_elder"
COMMUNITY_PATH_LENGTH = 12


def _has_unit_scope(actor) -> bool:
    """Pages about an org unit (rates) need a posting at a unit, not only at a grid."""
    return any(len(path) <= COMMUNITY_PATH_LENGTH for path in actor.scope_paths)


def _has_second_factor(actor) -> bool:
    return second_factor_required(actor.permissions)


# (group label, [(permission or "" for every staff member, extra condition or None, url name, label)])
STAFF_NAV = [
    (
        _("Workbench"),
        [
            ("", None, "portal:staff-home", _("Today")),
            ("", None, "portal:staff-inbox", _("Messages")),
        ],
    ),
    (
        _("Residents"),
        [
            (RESIDENTS_VIEW, None, "portal:residents:search", _("Find a resident")),
            (RESIDENTS_VIEW, None, "portal:residents:households", _("Households")),
            (RESIDENTS_VIEW, None, "portal:residents:care", _("Care lists")),
            (RESIDENTS_VISIT, None, "portal:residents:plan", _("Visit plan")),
            (RESIDENTS_VIEW, _has_unit_scope, "portal:residents:rates", _("Rates")),
        ],
    ),
    (
        _("Service desk"),
        [
            (DESK_VIEW, None, "portal:desk:queues", _("Case queues")),
            (DESK_ACCEPT, None, "portal:desk:intake", _("New case at the window")),
            (DESK_VIEW, None, "portal:desk:rectifications", _("Rectifications")),
            (DESK_SUPERVISE, None, "portal:desk:figures", _("Desk figures")),
            (CATALOGUE_EDIT, None, "portal:desk:catalogue", _("Catalogue")),
            (CALENDAR_EDIT, None, "portal:workdays:calendar", _("Work calendar")),
        ],
    ),
    (
        _("Grid events"),
        [
            (GRID_VIEW, None, "portal:grid:board", _("Event queues")),
            (GRID_REPORT, None, "portal:grid:report", _("Report a problem")),
            (GRID_VIEW, None, "portal:grid:map", _("Events map")),
        ],
    ),
    (
        _("Facilities"),
        [
            (FACILITY_VIEW, None, "portal:facilities:registry", _("Facilities")),
            (FACILITY_VIEW, None, "portal:facilities:compliance", _("Standards")),
        ],
    ),
    # social assistance, care services and five-party linkage: each app keeps its own group (web/nav.py)
    WELFARE_NAV,
    CARE_NAV,
    MEDIATION_NAV,
    CONSULTATION_NAV,
    VOLUNTEERS_NAV,
    TIMEBANK_NAV,
    PARTNERS_NAV,
    VENTURES_NAV,
    CHARITY_NAV,
    (
        _("Administration"),
        [
            (ORGTREE_VIEW, None, "portal:staff-org", _("Org tree")),
            (AUDIT_SEARCH, None, "portal:staff-audit", _("Audit log")),
            (ACCOUNTS_MANAGE, can_edit_reveal_rights, "portal:residents:reveal-rights", _("Reveal rights")),
            ("", may_see_log_in_security, "portal:security", _("Log-in security")),
        ],
    ),
    (
        _("My account"),
        [
            ("", None, "portal:password-change", _("Change password")),
            ("", _has_second_factor, "portal:recovery-codes", _("New recovery codes")),
        ],
    ),
]


def staff_menu(actor, current_path: str) -> list[dict]:
    """The groups and links this actor may open. The current page's link is the one whose URL is
    the longest prefix of the path (a case page belongs to "Case queues", not to "Today")."""
    groups = []
    for label, entries in STAFF_NAV:
        links = [
            {"url": reverse(name), "label": link_label, "active": False}
            for permission, condition, name, link_label in entries
            if (not permission or actor.has_perm(permission)) and (condition is None or condition(actor))
        ]
        if links:
            groups.append({"label": label, "links": links, "active": False})
    current = max(
        (link for group in groups for link in group["links"] if current_path.startswith(link["url"])),
        key=lambda link: len(link["url"]),
        default=None,
    )
    for group in groups:
        for link in group["links"]:
            if link is current:
                link["active"] = group["active"] = True
    return groups


def shell(request):
    actor = getattr(request, "actor", None)
    menu = []
    if actor is not None and request.path.startswith("/staff/") and actor.is_authenticated and actor.is_staff_member:
        menu = staff_menu(actor, request.path)
    perms_grid = {}
    if actor is not None and actor.is_authenticated:
        perms_grid = {
            "report": actor.has_perm("grid.report"),
            "supervise": actor.has_perm("grid.supervise"),
            "categories": actor.has_perm("grid.route_edit"),
            "facility_edit": actor.has_perm("facility.edit"),
        }
    return {"elder_mode": request.COOKIES.get(ELDER_COOKIE) == "1", "staff_menu": menu, "perms_grid": perms_grid}
