"""Safe community: the four-zero community (四零社区: zero petitions, zero accidents, zero cases, and
emergency readiness in place of 零疫情), community policing (一社区一警), safety incidents and
emergency drills. Each zero's definition is data (`data/four_zero.yaml`, described in
`docs/mediation.md`) and each status is computed from records, never typed in. No ORM."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.errors import Msg

COMMUNITY_LEN, STREET_LEN, DISTRICT_LEN = 12, 9, 6
COMMUNITY_KINDS = ("community", "village")
STALE_MINUTES = 10  # the board recomputes the open month when its statuses are older than this
BACKFILL_DAYS = 366  # a record may be entered late, at most a year after the day
REASON_MIN = 4


class PoliceCaseKind(models.TextChoices):
    CRIMINAL = "criminal", _("Criminal case")
    PUBLIC_ORDER = "public_order", _("Public-order case")


class IncidentKind(models.TextChoices):
    FIRE = "fire", _("Fire")
    GAS = "gas", _("Gas")
    TRAFFIC = "traffic", _("Traffic accident")
    BUILDING = "building", _("Building or facility")
    ELECTRICITY = "electricity", _("Electricity")
    DROWNING = "drowning", _("Drowning")
    OTHER = "other", _("Other accident")


class Severity(models.TextChoices):
    MINOR = "minor", _("Minor, no injury")
    INJURY = "injury", _("Injury")
    DEATH = "death", _("Death")


class ZeroState(models.TextChoices):
    MET = "met", _("Met")
    MISSED = "missed", _("Not met")
    NO_DATA = "no_data", _("No records")


AUDIT_ACTIONS: dict[str, Msg] = {
    "mediation.beat_set": Msg("设置社区民警责任区", "Police beat set"),
    "mediation.beat_end": Msg("结束社区民警责任区", "Police beat ended"),
    "mediation.police_case": Msg("民警登记案件", "Police case recorded"),
    "mediation.incident_record": Msg("登记安全事故", "Safety incident recorded"),
    "mediation.drill_record": Msg("登记应急演练", "Emergency drill recorded"),
    "mediation.police_case_withdraw": Msg("撤回民警登记案件", "Police case withdrawn"),
    "mediation.incident_withdraw": Msg("撤回安全事故记录", "Safety incident withdrawn"),
    "mediation.drill_withdraw": Msg("撤回应急演练记录", "Emergency drill withdrawn"),
    "mediation.four_zero_compute": Msg("重新计算四零社区状态", "Four-zero statuses recomputed"),
}
