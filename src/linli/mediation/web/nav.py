"""This app's group in the staff menu (see `portal.web.context.STAFF_NAV` for the entry shape:
permission or "", condition or None, url name, label). A link appears only for an actor who can
open the page. Each stage keeps its own lines below, in the order the menu shows them."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from linli.accounts.domain import (
    ACCOUNTS_MANAGE,
    MEDIATION_INTAKE,
    MEDIATION_MANAGE,
    MEDIATION_MEDIATE,
    MEDIATION_REASON,
    MEDIATION_VIEW,
    SAFETY_FIGURES,
    SAFETY_POLICE,
    SAFETY_RECORD,
    SUPPORT_COUNSEL,
    SUPPORT_FAMILY,
    SUPPORT_JUDICIAL,
    Role,
)
from linli.core.web import any_permission

OVERVIEW = [
    (
        "",
        any_permission(MEDIATION_VIEW, MEDIATION_INTAKE, MEDIATION_MEDIATE, SAFETY_FIGURES, SAFETY_POLICE),
        "portal:mediation:home",
        _("Safe community"),
    )
]
DISPUTES: list = [
    ("", any_permission(MEDIATION_VIEW, MEDIATION_MEDIATE), "portal:mediation:dispute-list", _("Disputes"))
]
SESSIONS: list = [  # the mediator's own disputes and sessions
    (MEDIATION_MEDIATE, None, "portal:mediation:sessions-my", _("My mediation cases")),
    (MEDIATION_INTAKE, None, "portal:mediation:sessions-follow-ups", _("Agreements to follow up")),
]
MEDIATORS: list = [  # the mediator pool and the staffing rule
    (MEDIATION_VIEW, None, "portal:mediation:mediators-list", _("Mediator pool")),
    ("", any_permission(MEDIATION_VIEW, SAFETY_FIGURES), "portal:mediation:mediators-staffing", _("Mediator staffing")),
]
SCREENING: list = [  # monthly dispute screening and its summary
    ("", any_permission(MEDIATION_VIEW, SAFETY_FIGURES), "portal:mediation:screening-summary", _("Dispute screening")),
]
REASONING: list = [  # 慧评理 cases: the area's summaries, a mediator's open cases
    ("", any_permission(MEDIATION_VIEW, MEDIATION_REASON), "portal:mediation:reasoning-list", _("Reasoning cases")),
]
SAFETY: list = [  # four-zero board, police beats and cases, incidents, drills
    ("", any_permission(SAFETY_FIGURES, MEDIATION_VIEW), "portal:mediation:safety-board", _("Four-zero board")),
    (SAFETY_POLICE, None, "portal:mediation:safety-police", _("Community police")),
    (SAFETY_RECORD, None, "portal:mediation:safety-incidents", _("Safety incidents")),
    (SAFETY_RECORD, None, "portal:mediation:safety-drills", _("Emergency drills")),
    ("", any_permission(MEDIATION_MANAGE, ACCOUNTS_MANAGE), "portal:mediation:safety-beats", _("Police beats")),
]
SUPPORT: list = [  # restricted support cases, and the lead any grid or community worker files
    (
        "",
        any_permission(SUPPORT_JUDICIAL, SUPPORT_FAMILY, SUPPORT_COUNSEL),
        "portal:mediation:support-list",
        _("Restricted support cases"),
    ),
    (
        "",
        lambda actor: actor.has_role(Role.GRID_WORKER, Role.COMMUNITY_WORKER),
        "portal:mediation:support-lead",
        _("Report a domestic-violence lead"),
    ),
]

NAV = (
    _("Safe community"),
    [*OVERVIEW, *DISPUTES, *SESSIONS, *MEDIATORS, *SCREENING, *REASONING, *SAFETY, *SUPPORT],
)


def nav_links(actor) -> list[dict]:
    """The pages of this app the actor may open, for the overview's tiles (the overview itself left out)."""
    return [
        {"url": reverse(name), "label": label}
        for permission, condition, name, label in NAV[1]
        if name != "portal:mediation:home"
        and (not permission or actor.has_perm(permission))
        and (condition is None or condition(actor))
    ]
