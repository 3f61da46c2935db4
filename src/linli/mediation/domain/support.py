"""Restricted support cases: domestic-violence leads (家庭暴力线索), community corrections (社区矫正),
drug rehabilitation (社区戒毒康复), released-prisoner support (刑满释放人员帮扶) and psychological
counselling (心理疏导). Each kind names the permission that opens it; besides those holders, only the
worker assigned to a case reads it. Never in a public list, never exported without a reveal with a
reason; every read is audited. No ORM."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.accounts.domain import SUPPORT_COUNSEL, SUPPORT_FAMILY, SUPPORT_JUDICIAL
from linli.core.errors import Msg


class SupportKind(models.TextChoices):
    DOMESTIC_VIOLENCE = "domestic_violence", _("Domestic-violence lead")
    CORRECTIONS = "corrections", _("Community corrections")
    DRUG_REHAB = "drug_rehab", _("Community drug rehabilitation")
    RELEASED = "released", _("Released-prisoner support")
    COUNSELLING = "counselling", _("Psychological counselling")


KIND_PERMISSION: dict[str, str] = {
    SupportKind.DOMESTIC_VIOLENCE: SUPPORT_FAMILY,
    SupportKind.CORRECTIONS: SUPPORT_JUDICIAL,
    SupportKind.DRUG_REHAB: SUPPORT_JUDICIAL,
    SupportKind.RELEASED: SUPPORT_JUDICIAL,
    SupportKind.COUNSELLING: SUPPORT_COUNSEL,
}


def kinds_opened_by(permissions: frozenset[str] | set[str]) -> list[str]:
    """The support kinds an actor's permissions open (empty: no restricted case at all)."""
    return [kind for kind, permission in KIND_PERMISSION.items() if permission in permissions]


class SupportState(models.TextChoices):
    OPEN = "open", _("Being supported")
    CLOSED = "closed", _("Support case closed")


class EntryKind(models.TextChoices):
    VISIT = "visit", _("Visit")
    TALK = "talk", _("Talk or counselling session")
    REPORT = "report", _("Report to the authority")
    PLAN = "plan", _("Support plan updated")
    NOTE = "note", _("Note")


AUDIT_ACTIONS: dict[str, Msg] = {
    "mediation.support_open": Msg("建立受限帮扶个案", "Restricted support case opened"),
    "mediation.support_read": Msg("查阅受限帮扶个案", "Restricted support case read"),
    "mediation.support_entry": Msg("记录帮扶情况", "Support entry recorded"),
    "mediation.support_assign": Msg("指定帮扶工作人员", "Support worker assigned"),
    "mediation.support_close": Msg("结束帮扶个案", "Support case closed"),
    "mediation.support_export": Msg("导出受限帮扶个案", "Restricted support cases exported"),
}
