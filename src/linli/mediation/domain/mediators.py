"""The mediator pool (人民调解员, 专家库) and the plan's staffing rule: 1–2 full-time mediators in
every street or town and 1 in every community (seed section 十). No ORM."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.errors import Msg

STREET_FULL_TIME_MIN, STREET_FULL_TIME_GOAL = 1, 2
COMMUNITY_MIN = 1
COMMUNITY_LEN, STREET_LEN = 12, 9


class MediatorKind(models.TextChoices):
    COMMITTEE = "committee", _("Community mediation committee member")
    FULL_TIME = "full_time", _("Full-time mediator")
    EXPERT = "expert", _("Expert mediator")
    VOLUNTEER = "volunteer", _("Volunteer mediator")


AUDIT_ACTIONS: dict[str, Msg] = {
    "mediation.mediator_add": Msg("登记调解员", "Mediator registered"),
    "mediation.mediator_edit": Msg("修改调解员信息", "Mediator details changed"),
    "mediation.mediator_end": Msg("调解员离任", "Mediator left the pool"),
    "mediation.mediator_training": Msg("记录调解员培训", "Mediator training recorded"),
}
