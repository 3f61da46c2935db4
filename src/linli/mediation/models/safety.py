"""Community policing (the officer's beat and the cases they mark), safety incidents, emergency
drills, and the computed four-zero status of each community and month."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.core.ids import uuid7
from linli.mediation.domain.safety import IncidentKind, PoliceCaseKind, Severity, ZeroState

__all__ = ["EmergencyDrill", "FourZeroStatus", "PoliceBeat", "PoliceCase", "SafetyIncident"]

USER = settings.AUTH_USER_MODEL


class PoliceBeat(models.Model):
    """A community a police officer serves (一社区一警), with dates; one active officer per community."""

    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    officer_name = models.CharField(max_length=150)
    path = models.CharField(max_length=12, db_index=True)
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)
    set_by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("police beat")
        verbose_name_plural = _("police beats")
        ordering = ["path", "-since"]
        constraints = [
            models.UniqueConstraint(fields=["path"], condition=Q(until__isnull=True), name="mediation_beat_one_active"),
        ]

    def __str__(self) -> str:
        return f"{self.officer_name} {self.path}"


class PoliceCase(models.Model):
    """A case the community police officer marks for the four-zero figure (no person: a count,
    a date, a kind and a short note)."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    path = models.CharField(max_length=12, db_index=True)
    kind = models.CharField(_("kind"), max_length=16, choices=PoliceCaseKind.choices)
    occurred_on = models.DateField(_("occurred on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    grid_event_number = models.CharField(max_length=32, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    recorded_by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("police case")
        verbose_name_plural = _("police cases")
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["path", "occurred_on"], name="mediation_police_case_month")]

    def __str__(self) -> str:
        return f"{self.path} {self.occurred_on}"


class SafetyIncident(models.Model):
    """A safety incident (accident) reported in a community."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    path = models.CharField(max_length=12, db_index=True)
    kind = models.CharField(_("kind"), max_length=12, choices=IncidentKind.choices)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    occurred_on = models.DateField(_("occurred on"))
    description = models.CharField(_("description"), max_length=300)
    grid_event_number = models.CharField(max_length=32, blank=True)
    recorded_by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("safety incident")
        verbose_name_plural = _("safety incidents")
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["path", "occurred_on"], name="mediation_incident_month")]

    def __str__(self) -> str:
        return f"{self.path} {self.occurred_on}"


class EmergencyDrill(models.Model):
    """An emergency drill (应急演练) held in a community."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    path = models.CharField(max_length=12, db_index=True)
    held_on = models.DateField(_("held on"))
    scenario = models.CharField(_("scenario"), max_length=100)
    participants = models.PositiveIntegerField(_("participants"))
    facility_ref = models.UUIDField(null=True, blank=True)  # the shelter or place of the registry
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("emergency drill")
        verbose_name_plural = _("emergency drills")
        ordering = ["-held_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(participants__gt=0), name="mediation_drill_people")]

    def __str__(self) -> str:
        return f"{self.path} {self.held_on}"


class FourZeroStatus(models.Model):
    """A community's four-zero status for one month, computed from the records (never typed in)
    and kept so the district's board reads one row per community; recomputed while the month
    is open and whenever a record of it changes."""

    path = models.CharField(max_length=12, db_index=True)
    month = models.DateField()
    petitions = models.PositiveIntegerField()
    accidents = models.PositiveIntegerField()
    cases = models.PositiveIntegerField()
    drills = models.PositiveIntegerField()  # this year up to the month's end
    shelter_m2_per_resident = models.DecimalField(max_digits=8, decimal_places=3, null=True)
    petitions_state = models.CharField(max_length=8, choices=ZeroState.choices)
    accidents_state = models.CharField(max_length=8, choices=ZeroState.choices)
    cases_state = models.CharField(max_length=8, choices=ZeroState.choices)
    readiness_state = models.CharField(max_length=8, choices=ZeroState.choices)
    four_zero = models.BooleanField()
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("four-zero status")
        verbose_name_plural = _("four-zero statuses")
        ordering = ["-month", "path"]
        constraints = [
            models.UniqueConstraint(fields=["path", "month"], name="mediation_four_zero_once"),
        ]

    def __str__(self) -> str:
        return f"{self.path} {self.month:%Y-%m}"
