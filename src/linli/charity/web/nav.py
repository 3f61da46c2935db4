"""This app's group in the staff menu (see `portal.web.context.STAFF_NAV` for the entry shape:
permission or "", condition or None, url name, label). A link appears only for an actor who can
open the page."""

from django.utils.translation import gettext_lazy as _

from linli.accounts.domain import CHARITY_MANAGE, CHARITY_OFFER
from linli.core.web import any_permission

NAV = (
    _("Charity"),
    [
        (CHARITY_MANAGE, None, "portal:charity:home", _("Charity needs")),
        (CHARITY_MANAGE, None, "portal:charity:offers", _("Charity offers")),
        (CHARITY_MANAGE, None, "portal:charity:deliveries", _("Matches to deliver")),
        (CHARITY_MANAGE, None, "portal:charity:funds", _("Micro-funds")),
        (CHARITY_MANAGE, None, "portal:charity:figures", _("Charity figures")),
        ("", any_permission(CHARITY_OFFER), "portal:giving:home", _("Giving (public page)")),
    ],
)
