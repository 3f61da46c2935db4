"""This app's group in the staff menu (see `portal.web.context.STAFF_NAV` for the entry shape:
permission or "", condition or None, url name, label). A link appears only for an actor who can
open the page. Each stage keeps its own lines below, in the order the menu shows them."""

from django.utils.translation import gettext_lazy as _

from linli.accounts.domain import (
    CARE_CHILDREN,
    CARE_FIGURES,
    CARE_LIST_EDIT,
    CARE_MANAGE,
    CARE_PAY,
    CARE_PROTECT,
    CARE_PROVIDE,
    CARE_VIEW,
    CARE_VISIT,
)
from linli.core.web import any_permission

SEES_CARE = any_permission(CARE_VIEW, CARE_MANAGE, CARE_FIGURES)

OVERVIEW = [("", SEES_CARE, "portal:care:home", _("Care against the plan's targets"))]
ENTITLEMENTS: list = [  # the service list, assessments
    (
        "",
        any_permission(CARE_VIEW, CARE_MANAGE, CARE_LIST_EDIT),
        "portal:care:entitlements-list",
        _("Elderly-care service list"),
    ),
    (CARE_MANAGE, None, "portal:care:entitlements-due", _("Capability assessments")),
]
ORDERS: list = [  # orders, providers, visits
    ("", any_permission(CARE_VIEW, CARE_MANAGE), "portal:care:orders-queue", _("Home-care orders")),
    (CARE_MANAGE, None, "portal:care:orders-verify", _("Care visits to verify")),
    (CARE_MANAGE, None, "portal:care:orders-ratings", _("Bad ratings to answer")),
    ("", any_permission(CARE_VIEW, CARE_MANAGE), "portal:care:orders-providers", _("Care providers")),
    (CARE_MANAGE, None, "portal:care:orders-card", _("Elder's service card")),
    # a provider's own accounts: the dispatcher's queue and the carer's day
    (CARE_PROVIDE, None, "portal:care-provider:orders-queue", _("Orders to serve")),
    (CARE_PROVIDE, None, "portal:care-provider:orders-team", _("Our carers")),
    (CARE_VISIT, None, "portal:care-provider:orders-today", _("My visits today")),
]
STATEMENTS: list = [  # family care beds, provider figures, monthly statements
    ("", any_permission(CARE_VIEW, CARE_MANAGE), "portal:care:statements-beds", _("Family care beds")),
    ("", any_permission(CARE_VIEW, CARE_FIGURES), "portal:care:statements-figures", _("Provider figures")),
    ("", any_permission(CARE_VIEW, CARE_PAY), "portal:care:statements-list", _("Provider statements")),
    (CARE_PROVIDE, None, "portal:care-provider:statements-figures", _("Our service figures")),
    (CARE_PROVIDE, None, "portal:care-provider:statements-list", _("Our statements")),
]
MODIFICATIONS: list = [  # elder-friendly home modifications
    (
        "",
        any_permission(CARE_VIEW, CARE_MANAGE, CARE_PAY),
        "portal:care:modifications",
        _("Elder-friendly home modifications"),
    ),
    ("", SEES_CARE, "portal:care:modifications-progress", _("Home modifications: progress toward the goal")),
]
CHILDREN: list = [  # children's lists, visits, children's homes and protection stations, reports
    (CARE_CHILDREN, None, "portal:care:children-list", _("Children's lists")),
    (
        "",
        any_permission(CARE_CHILDREN, CARE_FIGURES),
        "portal:care:children-coverage",
        _("Children's visit coverage"),
    ),
    (CARE_PROTECT, None, "portal:care:children-harm-cases", _("Restricted harm cases")),
]
CLASSES: list = [  # happy-education classes
    ("", any_permission(CARE_VIEW, CARE_MANAGE), "portal:care:classes-list", _("Happy-education classes")),
    (CARE_FIGURES, None, "portal:care:classes-figures", _("Happy-education opening rate")),
]

NAV = (
    _("Care services"),
    [*OVERVIEW, *ENTITLEMENTS, *ORDERS, *STATEMENTS, *MODIFICATIONS, *CHILDREN, *CLASSES],
)
