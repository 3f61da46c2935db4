"""This app's group in the staff menu (see `portal.web.context.STAFF_NAV` for the entry shape:
permission or "", condition or None, url name, label). A link appears only for an actor who can
open the page."""

from django.utils.translation import gettext_lazy as _

from linli.accounts.domain import CATALOGUE_EDIT, TIMEBANK_MANAGE
from linli.core.web import any_permission

NAV = (
    _("Time bank"),
    [
        ("", any_permission(TIMEBANK_MANAGE, CATALOGUE_EDIT), "portal:timebank:home", _("Time-bank overview")),
        (TIMEBANK_MANAGE, None, "portal:timebank:exchanges", _("Exchanges")),
        (TIMEBANK_MANAGE, None, "portal:timebank:accounts", _("Accounts and pools")),
        (TIMEBANK_MANAGE, None, "portal:timebank:figures", _("Time-bank figures")),
        ("", any_permission(TIMEBANK_MANAGE, CATALOGUE_EDIT), "portal:timebank:services", _("Time-bank services")),
    ],
)
