"""The communities' monthly dispute screening (矛盾纠纷排查): each community files the month's
disputes found, in mediation, resolved and the escalated risks; the street and district see the
summary and who is overdue. No ORM."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.errors import Msg

DUE_DAY = 5  # a month's report is due by the 5th of the next month (an example, editable in settings)


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low risk")
    MEDIUM = "medium", _("Medium risk")
    HIGH = "high", _("High risk (may escalate)")


AUDIT_ACTIONS: dict[str, Msg] = {
    "mediation.screening_file": Msg("报送矛盾纠纷排查", "Monthly dispute screening filed"),
}
