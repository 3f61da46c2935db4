"""Restricted support cases and their entries. Everything about the person (the plan, the notes,
the closing reason) is sealed; the person is named by `person_ref` (pool) or a sealed name."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.ids import uuid7
from linli.mediation.domain.support import EntryKind, SupportKind, SupportState

__all__ = ["SupportCase", "SupportEntry"]

USER = settings.AUTH_USER_MODEL


class SupportCase(models.Model):
    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    number = models.CharField(_("case number"), max_length=24, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=SupportKind.choices)
    path = models.CharField(max_length=18, db_index=True)
    person_ref = models.UUIDField(null=True, blank=True, db_index=True)
    person_name_sealed = models.TextField()
    plan_sealed = models.TextField(blank=True)
    state = models.CharField(_("state"), max_length=8, choices=SupportState.choices, default=SupportState.OPEN)
    assigned = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    assigned_name = models.CharField(max_length=150, blank=True)
    opened_on = models.DateField(_("opened on"))
    until = models.DateField(_("support until"), null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    close_reason_sealed = models.TextField(blank=True)
    opened_by_name = models.CharField(max_length=150)
    # who filed a domestic-violence lead (a community or grid worker): their receipts list only
    # the number and the day; the case itself stays closed to them
    filed_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("support case")
        verbose_name_plural = _("support cases")
        ordering = ["-opened_on", "-pk"]
        indexes = [models.Index(fields=["kind", "path"], name="mediation_support_kind_area")]

    def __str__(self) -> str:
        return self.number


class SupportEntry(models.Model):
    """A visit, talk, report or note on a support case (append-only; the note sealed)."""

    case = models.ForeignKey(SupportCase, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("kind"), max_length=8, choices=EntryKind.choices)
    on = models.DateField(_("date"))
    note_sealed = models.TextField()
    by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("support entry")
        verbose_name_plural = _("support entries")
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.on}"
