"""This app's group in the staff menu (see `portal.web.context.STAFF_NAV` for the entry shape:
permission or "", condition or None, url name, label). A link appears only for an actor who can
open the page."""

from django.utils.translation import gettext_lazy as _

from linli.accounts.domain import (
    WELFARE_DECIDE,
    WELFARE_EMPLOYMENT,
    WELFARE_FIGURES,
    WELFARE_INTAKE,
    WELFARE_REVIEW,
    WELFARE_RULES,
)
from linli.core.web import any_permission

# the roles that decide assistance: the community records, the street reviews, the county decides
DECIDES = any_permission(WELFARE_INTAKE, WELFARE_REVIEW, WELFARE_DECIDE)

NAV = (
    _("Social assistance"),
    [
        ("", DECIDES, "portal:welfare:applications", _("Assistance applications")),
        ("", DECIDES, "portal:welfare:notices", _("Public notices of assistance")),
        ("", DECIDES, "portal:welfare:roll", _("The assistance roll")),
        ("", DECIDES, "portal:welfare:roll-reviews", _("Reviews due")),
        ("", DECIDES, "portal:welfare:payrolls", _("Monthly payroll")),
        ("", DECIDES, "portal:welfare:relief", _("Temporary assistance")),
        (WELFARE_EMPLOYMENT, None, "portal:welfare:zero", _("Zero-employment households")),
        (WELFARE_EMPLOYMENT, None, "portal:welfare:posts", _("Public-welfare posts")),
        (WELFARE_EMPLOYMENT, None, "portal:welfare:jobs", _("Job and training needs")),
        (WELFARE_FIGURES, None, "portal:welfare:zero-figures", _("Zero-employment figures")),
        (
            "",
            any_permission(WELFARE_RULES, WELFARE_INTAKE, WELFARE_REVIEW, WELFARE_DECIDE),
            "portal:welfare:rules",
            _("Assistance rules and amounts"),
        ),
    ],
)
