"""Social assistance: the roll, its reviews and the monthly payroll (no ORM)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.errors import Msg


class RecipientState(models.TextChoices):
    ACTIVE = "active", _("Receiving")
    PHASING_OUT = "phasing_out", _("Gradual exit")
    STOPPED = "stopped", _("Stopped")


AUDIT_ACTIONS: dict[str, Msg] = {}
