"""This app's group in the staff menu (see `portal.web.context.STAFF_NAV` for the entry shape:
permission or "", condition or None, url name, label). A link appears only for an actor who can
open the page."""

from django.utils.translation import gettext_lazy as _

from linli.accounts.domain import WELFARE_DECIDE, WELFARE_INTAKE, WELFARE_REVIEW  # roll
from linli.core.web import any_permission  # roll

NAV = (
    _("Social assistance"),
    [
        # each stage adds its pages here
        # roll
        (
            "",
            any_permission(WELFARE_INTAKE, WELFARE_REVIEW, WELFARE_DECIDE),
            "portal:welfare:roll",
            _("The assistance roll"),
        ),
        (
            "",
            any_permission(WELFARE_INTAKE, WELFARE_REVIEW, WELFARE_DECIDE),
            "portal:welfare:roll-reviews",
            _("Reviews due"),
        ),
        (
            "",
            any_permission(WELFARE_INTAKE, WELFARE_REVIEW, WELFARE_DECIDE),
            "portal:welfare:payrolls",
            _("Monthly payroll"),
        ),
    ],
)
