"""This app's group in the staff menu (see `portal.web.context.STAFF_NAV` for the entry shape:
permission or "", condition or None, url name, label). A link appears only for an actor who can
open the page."""

from django.utils.translation import gettext_lazy as _

from linli.accounts.domain import VOLUNTEER_MANAGE, VOLUNTEER_VIEW
from linli.core.web import any_permission

READ = any_permission(VOLUNTEER_VIEW, VOLUNTEER_MANAGE)

NAV = (
    _("Volunteers"),
    [
        (
            "",
            READ,
            "portal:volunteers:home",
            _("Volunteers and activities"),
        ),
        ("", READ, "portal:volunteers:activities", _("Activities")),
        ("", READ, "portal:volunteers:volunteers", _("Volunteer register")),
        ("", READ, "portal:volunteers:hours", _("Hours to approve")),
        ("", READ, "portal:volunteers:figures", _("Volunteer figures")),
    ],
)
