"""Conventions (居民公约, 村规民约, 自治章程) with their versions, and the public board (公开栏) of each
community and village: what is on it, for how long, readable by anyone without logging in."""

from __future__ import annotations

import datetime as dt
import difflib
import html

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.errors import Msg

NOTICE_DEFAULT_DAYS = 30  # a notice stays up this long unless its author says otherwise


class ConventionKind(models.TextChoices):
    RESIDENTS = "residents", _("Residents' convention (居民公约)")
    VILLAGE = "village", _("Village rules (村规民约)")
    CHARTER = "charter", _("Self-governance charter (自治章程)")


class VersionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONSULTING = "consulting", _("Under consultation")
    ADOPTED = "adopted", _("In force")
    SUPERSEDED = "superseded", _("Replaced by a later version")


class NoticeKind(models.TextChoices):
    DECISION = "decision", _("Consultation decision")
    RESULT = "result", _("Implementation result")
    VILLAGE_RESOLUTION = "village_resolution", _("Village resolution")
    VILLAGE_RESULT = "village_result", _("Village implementation result")
    FINANCE = "finance", _("Finances")
    CONVENTION = "convention", _("Convention")
    NOTICE = "notice", _("Notice")


# the printed board is a paper for a Chinese community's physical board: Chinese always
NOTICE_KIND_ZH: dict[str, str] = {
    NoticeKind.DECISION: "协商决定",
    NoticeKind.RESULT: "实施结果",
    NoticeKind.VILLAGE_RESOLUTION: "村务决议",
    NoticeKind.VILLAGE_RESULT: "村务实施结果",
    NoticeKind.FINANCE: "财务公开",
    NoticeKind.CONVENTION: "公约章程",
    NoticeKind.NOTICE: "通知公告",
}

AUDIT_ACTIONS: dict[str, Msg] = {
    "consultation.convention_draft": Msg("起草公约章程", "Convention drafted"),
    "consultation.convention_adopt": Msg("公约章程通过施行", "Convention adopted"),
    "consultation.notice_publish": Msg("在公开栏公布", "Published on the public board"),
    "consultation.notice_withdraw": Msg("从公开栏撤下", "Taken off the public board"),
}

# ---------------------------------------------------------------- rules with no ORM

EXPIRING_DAYS = 3  # the workbench warns of notices coming down within this many days
OPEN_VERSION_STATES = (VersionState.DRAFT, VersionState.CONSULTING)  # at most one such version at a time
STAFF_NOTICE_KINDS = (NoticeKind.NOTICE, NoticeKind.FINANCE)  # the rest come from their own stages
# a consultation's states from which a convention's draft may be adopted (its decision is published)
ADOPTING_CONSULTATION_STATES = ("decided", "implementing", "completed")
# a village matter may carry a village rule's adoption once its resolution is published, or done
ADOPTING_MATTER_STATE = "done"
ADOPTING_MATTER_STAGES = ("publish_resolution", "publish_result")
# links on the board: what a notice publishes, by its kind (`/board/decisions/<id>/`, `/board/village/<id>/`)
DECISION_KINDS = (NoticeKind.DECISION, NoticeKind.RESULT)
VILLAGE_KINDS = (NoticeKind.VILLAGE_RESOLUTION, NoticeKind.VILLAGE_RESULT)
BOARD_KIND_ORDER = tuple(NoticeKind.values)  # the board groups notices in this order


def notice_showing(public_from: dt.date, public_until: dt.date | None, withdrawn: bool, today: dt.date) -> bool:
    """A notice is on the board from its first day to its last (open-ended when blank), unless withdrawn."""
    return not withdrawn and public_from <= today and (public_until is None or today <= public_until)


def notice_status(public_from: dt.date, public_until: dt.date | None, withdrawn: bool, today: dt.date) -> str:
    """Where a notice stands for its managers: withdrawn, upcoming, showing or expired."""
    if withdrawn:
        return "withdrawn"
    if today < public_from:
        return "upcoming"
    if public_until is not None and public_until < today:
        return "expired"
    return "showing"


def kind_allowed(kind: str, unit_kind: str) -> bool:
    """Village rules (村规民约) belong to villages; residents' conventions to communities; a
    self-governance charter to either."""
    if kind == ConventionKind.VILLAGE:
        return unit_kind == "village"
    if kind == ConventionKind.RESIDENTS:
        return unit_kind == "community"
    return kind in ConventionKind.values


def text_diff(before: str, after: str, before_label: str, after_label: str) -> str:
    """Two versions side by side, changed lines marked (difflib's table, its cells escaped by
    difflib itself). The caller marks the result safe."""
    differ = difflib.HtmlDiff(tabsize=4, wrapcolumn=40)
    return differ.make_table(
        before.splitlines(), after.splitlines(), html.escape(before_label), html.escape(after_label)
    )
