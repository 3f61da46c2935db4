"""The mediator pool: every mediator of a community committee, a street's full-time mediators,
the district's experts and volunteers, with the account they sign in with (if any)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.core.ids import uuid7
from linli.mediation.domain.mediators import MediatorKind

__all__ = ["Mediator", "MediatorTraining"]

USER = settings.AUTH_USER_MODEL


class Mediator(models.Model):
    """A mediator of the pool. `path` is the unit they serve (community 12, street 9, district 6
    for the expert pool); `kinds` the dispute kind codes they handle (empty: every kind)."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    path = models.CharField(max_length=18, db_index=True)
    kind = models.CharField(_("kind"), max_length=12, choices=MediatorKind.choices)
    name = models.CharField(_("full name"), max_length=50)
    user = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    person_ref = models.UUIDField(null=True, blank=True)
    phone_sealed = models.TextField(blank=True)
    phone_masked = models.CharField(max_length=20, blank=True)
    qualifications = models.CharField(_("qualifications"), max_length=200, blank=True)
    specialty = models.CharField(_("specialty"), max_length=100, blank=True)
    kinds = models.JSONField(default=list, blank=True)
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("mediator")
        verbose_name_plural = _("mediators")
        ordering = ["path", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(until__isnull=True, user__isnull=False), name="mediation_mediator_one_user"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MediatorTraining(models.Model):
    """Hours of training a mediator took (append-only)."""

    mediator = models.ForeignKey(Mediator, on_delete=models.PROTECT, related_name="trainings")
    on = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    topic = models.CharField(_("topic"), max_length=100)
    recorded_by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("mediator training")
        verbose_name_plural = _("mediator trainings")
        ordering = ["-on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="mediation_training_hours")]

    def __str__(self) -> str:
        return f"{self.mediator_id} {self.on}"
