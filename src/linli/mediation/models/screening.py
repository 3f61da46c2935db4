"""The communities' monthly dispute screening reports and the risks they name."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.core.ids import uuid7
from linli.mediation.domain.screening import RiskLevel

__all__ = ["DisputeScreening", "ScreeningRisk"]

USER = settings.AUTH_USER_MODEL


class DisputeScreening(models.Model):
    """One community's report for one month (`month` is its first day); the counts are the
    community's own, pre-filled from the disputes registered, checked by the worker."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    path = models.CharField(max_length=12, db_index=True)
    month = models.DateField(_("month"))
    found = models.PositiveIntegerField(_("disputes found"))
    in_mediation = models.PositiveIntegerField(_("in mediation"))
    resolved = models.PositiveIntegerField(_("resolved"))
    escalated_risks = models.PositiveIntegerField(_("risks that may escalate"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    filed_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    filed_by_name = models.CharField(max_length=150)
    filed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("dispute screening")
        verbose_name_plural = _("dispute screenings")
        ordering = ["-month", "path"]
        constraints = [
            models.UniqueConstraint(fields=["path", "month"], name="mediation_screening_once"),
            models.CheckConstraint(condition=Q(month__day=1), name="mediation_screening_month_start"),
        ]

    def __str__(self) -> str:
        return f"{self.path} {self.month:%Y-%m}"


class ScreeningRisk(models.Model):
    """A risk named in a screening report (no names: a description and the measure taken)."""

    screening = models.ForeignKey(DisputeScreening, on_delete=models.PROTECT, related_name="risks")
    level = models.CharField(_("risk level"), max_length=8, choices=RiskLevel.choices)
    description = models.CharField(_("description"), max_length=200)
    measure = models.CharField(_("measure taken"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("screening risk")
        verbose_name_plural = _("screening risks")
        ordering = ["screening", "pk"]

    def __str__(self) -> str:
        return self.description
