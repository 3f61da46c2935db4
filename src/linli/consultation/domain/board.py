"""Conventions (居民公约, 村规民约, 自治章程) with their versions, and the public board (公开栏) of each
community and village: what is on it, for how long, readable by anyone without logging in."""

from __future__ import annotations

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


AUDIT_ACTIONS: dict[str, Msg] = {
    "consultation.convention_draft": Msg("起草公约章程", "Convention drafted"),
    "consultation.convention_adopt": Msg("公约章程通过施行", "Convention adopted"),
    "consultation.notice_publish": Msg("在公开栏公布", "Published on the public board"),
    "consultation.notice_withdraw": Msg("从公开栏撤下", "Taken off the public board"),
}
