"""This app's group in the staff menu (see `portal.web.context.STAFF_NAV` for the entry shape:
permission or "", condition or None, url name, label). A link appears only for an actor who can
open the page. Each stage keeps its own lines below, in the order the menu shows them."""

from django.utils.translation import gettext_lazy as _

from linli.accounts.domain import CARE_FIGURES, CARE_MANAGE, CARE_VIEW
from linli.core.web import any_permission

SEES_CARE = any_permission(CARE_VIEW, CARE_MANAGE, CARE_FIGURES)

OVERVIEW = [("", SEES_CARE, "portal:care:home", _("Care against the plan's targets"))]
ENTITLEMENTS: list = []  # the service list, assessments
ORDERS: list = []  # orders, providers, visits
STATEMENTS: list = []  # family care beds, provider figures, monthly statements
MODIFICATIONS: list = []  # elder-friendly home modifications
CHILDREN: list = []  # children's lists, visits, children's homes and protection stations, reports
CLASSES: list = []  # happy-education classes

NAV = (
    _("Care services"),
    [*OVERVIEW, *ENTITLEMENTS, *ORDERS, *STATEMENTS, *MODIFICATIONS, *CHILDREN, *CLASSES],
)
