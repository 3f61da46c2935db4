"""This app's group in the staff menu (see `portal.web.context.STAFF_NAV` for the entry shape:
permission or "", condition or None, url name, label). A link appears only for an actor who can
open the page."""

from django.utils.translation import gettext_lazy as _

from linli.accounts.domain import VENTURES_APPLY, VENTURES_MANAGE, VENTURES_REVIEW
from linli.core.web import any_permission

NAV = (
    _("Venture projects"),
    [
        (
            "",
            any_permission(VENTURES_MANAGE, VENTURES_REVIEW, VENTURES_APPLY),
            "portal:ventures:home",
            _("Venture calls"),
        ),
        (VENTURES_MANAGE, None, "portal:ventures:call-new", _("New venture call")),
        ("", any_permission(VENTURES_MANAGE, VENTURES_APPLY), "portal:ventures:projects", _("Funded projects")),
        (VENTURES_APPLY, None, "portal:ventures:mine", _("My organisation's projects")),
        (VENTURES_MANAGE, None, "portal:ventures:figures", _("Venture figures")),
    ],
)
