"""The burden list: certificate kinds a community may issue and the certificates it issued; the
community task list, departments' requests to add to it and the unlisted asks refused."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.consultation.domain.burden import RequestState
from linli.core.ids import uuid7

__all__ = ["Certificate", "CertificateKind", "CommunityTask", "TaskEntryRequest", "TaskRefusal"]

USER = settings.AUTH_USER_MODEL


class CertificateKind(models.Model):
    """A certificate on a district's list (`path` the district; the city's rows apply everywhere),
    with its legal basis and the dates it is on the list."""

    path = models.CharField(max_length=12, db_index=True)
    code = models.CharField(_("code"), max_length=24)
    name = models.CharField(_("certificate"), max_length=100)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    since = models.DateField(_("listed since"))
    until = models.DateField(_("listed until"), null=True, blank=True)

    class Meta:
        ordering = ["path", "code"]
        constraints = [models.UniqueConstraint(fields=["path", "code"], name="consultation_certificate_kind_code")]

    def __str__(self) -> str:
        return self.name


class Certificate(models.Model):
    """A certificate a community issued: its number, kind (from the list), for whom (a resident of
    the pool by public id, shown masked) and why. Voided with a reason, never deleted."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    number = models.CharField(_("certificate number"), max_length=32, unique=True)
    path = models.CharField(max_length=12, db_index=True)
    kind = models.ForeignKey(CertificateKind, on_delete=models.PROTECT, related_name="certificates")
    subject_ref = models.UUIDField(null=True, blank=True)
    subject_shown = models.CharField(max_length=40)
    purpose = models.CharField(_("purpose"), max_length=200)
    issued_on = models.DateField()
    issued_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    issued_by_name = models.CharField(max_length=150)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return self.number


class TaskEntryRequest(models.Model):
    """A department's request that communities take a task (准入申请): legal basis, the work, the
    funds it provides. `path` is the district that decides; `department` the one asking."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    number = models.CharField(_("request number"), max_length=32, unique=True)
    path = models.CharField(max_length=12, db_index=True)
    department = models.ForeignKey("areas.Department", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("task"), max_length=100)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    work = models.TextField(_("the work asked of communities"))
    funds_amount = models.DecimalField(_("funds (yuan)"), max_digits=14, decimal_places=2)
    funds_source = models.CharField(_("source of funds"), max_length=200)
    state = models.CharField(max_length=10, choices=RequestState.choices, default=RequestState.SUBMITTED)
    decision_reason = models.CharField(max_length=300, blank=True)
    decided_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(funds_amount__gt=0), name="consultation_request_funds")]

    def __str__(self) -> str:
        return self.number


class CommunityTask(models.Model):
    """A task on a district's community task list (准入清单), with the funds that follow it."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    path = models.CharField(max_length=12, db_index=True)
    name = models.CharField(_("task"), max_length=100)
    department = models.ForeignKey(
        "areas.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    department_name = models.CharField(max_length=100)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    funds_amount = models.DecimalField(_("funds (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    request = models.OneToOneField(
        TaskEntryRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="listed_task"
    )
    since = models.DateField(_("listed since"))
    until = models.DateField(_("listed until"), null=True, blank=True)

    class Meta:
        ordering = ["path", "name"]

    def __str__(self) -> str:
        return self.name


class TaskRefusal(models.Model):
    """An ask a community refused because it is not on the list (counted by department)."""

    path = models.CharField(max_length=12, db_index=True)  # the community
    department = models.ForeignKey(
        "areas.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    department_name = models.CharField(max_length=100)
    what = models.CharField(_("what was asked"), max_length=200)
    asked_on = models.DateField()
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-asked_on", "-pk"]

    def __str__(self) -> str:
        return self.what
