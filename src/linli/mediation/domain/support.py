"""Restricted support cases: domestic-violence leads (家庭暴力线索), community corrections (社区矫正),
drug rehabilitation (社区戒毒康复), released-prisoner support (刑满释放人员帮扶) and psychological
counselling (心理疏导). Each kind names the permission that opens it; besides those holders, only the
worker assigned to a case reads it. Never in a public list, never exported without a reveal with a
reason; every read is audited. No ORM."""

from __future__ import annotations

from datetime import date

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


NUMBER_PREFIX = "BF"  # 帮扶 case numbers: BF + date + serial (no place in it: the number is shown to the filer)
COMMUNITY_LEN, STREET_LEN, DISTRICT_LEN = 12, 9, 6
TEXT_MAX = 2000  # a plan, a note, what was seen
NAME_MAX = 50
REASON_MIN = 4  # a reason to read, export or close: at least this many characters
SEEN_MIN = 10  # a lead says what was seen or heard in at least this many characters
BACKFILL_DAYS = 366  # an entry is recorded late at most a year after the day


def case_number(day: date, serial: int) -> str:
    """A support case's number, also the receipt a lead's filer keeps (never a row id)."""
    return f"{NUMBER_PREFIX}{day:%Y%m%d}{serial:05d}"


def entry_day_problem(on: date | None, today: date) -> str:
    """Why an entry's day is refused ("" when it is fine): none, in the future or too long ago."""
    if on is None:
        return "missing"
    if on > today:
        return "future"
    if (today - on).days > BACKFILL_DAYS:
        return "too_old"
    return ""


AUDIT_ACTIONS: dict[str, Msg] = {
    "mediation.support_lead": Msg("上报家庭暴力线索", "Domestic-violence lead filed"),
    "mediation.support_open": Msg("建立受限帮扶个案", "Restricted support case opened"),
    "mediation.support_read": Msg("查阅受限帮扶个案", "Restricted support case read"),
    "mediation.support_entry": Msg("记录帮扶情况", "Support entry recorded"),
    "mediation.support_assign": Msg("指定帮扶工作人员", "Support worker assigned"),
    "mediation.support_close": Msg("结束帮扶个案", "Support case closed"),
    "mediation.support_export": Msg("导出受限帮扶个案", "Restricted support cases exported"),
}
