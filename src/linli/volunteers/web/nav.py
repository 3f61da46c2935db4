"""This app's group in the staff menu (see `portal.web.context.STAFF_NAV` for the entry shape:
permission or "", condition or None, url name, label). A link appears only for an actor who can
open the page."""

from django.utils.translation import gettext_lazy as _

from linli.accounts.domain import VOLUNTEER_MANAGE, VOLUNTEER_VIEW
from linli.core.web import any_permission

NAV = (
    _("Volunteers"),
    [
        (
            "",
            any_permission(VOLUNTEER_VIEW, VOLUNTEER_MANAGE),
            "portal:volunteers:home",
            _("Volunteers and activities"),
        ),
    ],
)
