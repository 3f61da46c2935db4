"""This app's group in the staff menu (see `portal.web.context.STAFF_NAV` for the entry shape:
permission or "", condition or None, url name, label). A link appears only for an actor who can
open the page. Each stage keeps its own lines in its web module (`NAV_LINKS`), in the order the
menu shows them."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from linli.accounts.domain import BURDEN_CERTIFY, BURDEN_MANAGE, BURDEN_REQUEST, CONSULT_MANAGE, CONSULT_VIEW
from linli.consultation.web.board import NAV_LINKS as BOARD
from linli.consultation.web.burden import NAV_LINKS as BURDEN
from linli.consultation.web.consultations import NAV_LINKS as CONSULTATIONS
from linli.consultation.web.decisions import NAV_LINKS as DECISIONS
from linli.consultation.web.topics import NAV_LINKS as TOPICS
from linli.consultation.web.village import NAV_LINKS as VILLAGE
from linli.consultation.web.voting import NAV_LINKS as VOTING
from linli.core.web import any_permission

OVERVIEW = [
    (
        "",
        any_permission(CONSULT_VIEW, CONSULT_MANAGE, BURDEN_CERTIFY, BURDEN_REQUEST, BURDEN_MANAGE),
        "portal:consultation:home",
        _("Deliberation"),
    )
]

NAV = (
    _("Deliberation"),
    [*OVERVIEW, *TOPICS, *CONSULTATIONS, *VOTING, *DECISIONS, *VILLAGE, *BOARD, *BURDEN],
)


def nav_links(actor) -> list[dict]:
    """The pages of this app the actor may open, for the overview's tiles (the overview itself left out)."""
    return [
        {"url": reverse(name), "label": label}
        for permission, condition, name, label in NAV[1]
        if name != "portal:consultation:home"
        and (not permission or actor.has_perm(permission))
        and (condition is None or condition(actor))
    ]
