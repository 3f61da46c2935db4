"""This app's group in the staff menu (see `portal.web.context.STAFF_NAV` for the entry shape:
permission or "", condition or None, url name, label). A link appears only for an actor who can
open the page."""

from django.utils.translation import gettext_lazy as _

from linli.accounts.domain import PARTNERS_EDIT
from linli.core.web import any_permission


def _staff(actor) -> bool:
    from linli.partners.selectors import staff_may_view

    return staff_may_view(actor)


def _organiser_only(actor) -> bool:
    from linli.partners.selectors import is_organiser, staff_may_view

    return is_organiser(actor) and not staff_may_view(actor)


NAV = (
    _("Social organisations"),
    [
        ("", _staff, "portal:partners:home", _("Social organisations")),
        ("", _organiser_only, "portal:partners:home", _("My organisation")),
        ("", _staff, "portal:partners:stations", _("Social-work stations")),
        ("", _staff, "portal:partners:premises", _("Premises")),
        ("", _staff, "portal:partners:figures", _("Figures of organisations")),
        ("", any_permission(PARTNERS_EDIT), "portal:partners:sheet", _("Scoring sheet")),
    ],
)
