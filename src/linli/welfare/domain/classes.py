"""The assistance classes a determination gives, in the order the rules try them, and the area
type whose standard applies. Shared by every stage of social assistance."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssistanceClass(models.TextChoices):
    # classification order: 特困 → 低保 (incl. 单人保) → 低保边缘 → 刚性支出困难 → not eligible
    TEKUN = "tekun", _("Extreme-poverty support (tekun)")
    DIBAO = "dibao", _("Minimum living allowance")
    EDGE = "edge", _("Near-dibao household")
    RIGID = "rigid", _("Hardship from rigid expenditure")
    NONE = "none", _("Not eligible for assistance")


CLASS_ORDER = (AssistanceClass.TEKUN, AssistanceClass.DIBAO, AssistanceClass.EDGE, AssistanceClass.RIGID)
# the classes paid monthly from the roll (the others are recognised, not paid a monthly amount)
PAID_CLASSES = frozenset({AssistanceClass.TEKUN, AssistanceClass.DIBAO})


class AreaType(models.TextChoices):
    URBAN = "urban", _("Urban")
    RURAL = "rural", _("Rural")
