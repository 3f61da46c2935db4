"""The roll (在册保障对象): one row per household receiving or recognised, its changes, its
reviews and the monthly payroll."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.core.ids import uuid7
from linli.welfare.domain.classes import AreaType, AssistanceClass
from linli.welfare.domain.roll import RecipientState

__all__ = ["Recipient"]


class Recipient(models.Model):
    """A household on the roll: its class and monthly amount now, from its current determination.
    A household is on the roll once at a time; stopping keeps the row (never dropped silently)."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    household_ref = models.UUIDField(_("household"), db_index=True)
    path = models.CharField(max_length=18, db_index=True)
    head_name = models.CharField(_("head of household"), max_length=50)
    area = models.CharField(_("area type"), max_length=8, choices=AreaType.choices)
    assistance_class = models.CharField(_("assistance class"), max_length=8, choices=AssistanceClass.choices)
    monthly_amount = models.DecimalField(_("monthly amount"), max_digits=10, decimal_places=2)
    members = models.PositiveSmallIntegerField(_("members"))
    state = models.CharField(_("state"), max_length=12, choices=RecipientState.choices, default=RecipientState.ACTIVE)
    determination = models.ForeignKey("Determination", on_delete=models.PROTECT, related_name="+")
    paid_from = models.DateField(_("paid from"))  # the first day of the month after the decision
    phase_out_until = models.DateField(_("gradual exit until"), null=True, blank=True)
    stopped_on = models.DateField(_("stopped on"), null=True, blank=True)
    next_review_on = models.DateField(_("next review"), db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("household on the roll")
        verbose_name_plural = _("the roll")
        constraints = [
            models.UniqueConstraint(
                fields=["household_ref"], condition=~Q(state="stopped"), name="welfare_recipient_once"
            )
        ]
        indexes = [models.Index(fields=["state", "path"], name="welfare_recipient_state_path")]

    def __str__(self) -> str:
        return f"{self.head_name} {self.assistance_class}"
