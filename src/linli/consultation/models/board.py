"""Conventions and their versions; the notices on each community's public board."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.consultation.domain.board import ConventionKind, NoticeKind, VersionState
from linli.core.ids import uuid7

__all__ = ["BoardNotice", "Convention", "ConventionVersion"]

USER = settings.AUTH_USER_MODEL


class Convention(models.Model):
    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    path = models.CharField(max_length=12, db_index=True)
    kind = models.CharField(_("kind"), max_length=10, choices=ConventionKind.choices)
    title = models.CharField(_("title"), max_length=100)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["path", "kind", "pk"]

    def __str__(self) -> str:
        return self.title


class ConventionVersion(models.Model):
    """A version of a convention's text. One version in force at a time; an adopted version is
    never edited (a change is a new version, consulted on and adopted in its turn)."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveSmallIntegerField()
    text = models.TextField(_("text"))
    state = models.CharField(max_length=12, choices=VersionState.choices, default=VersionState.DRAFT)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    consultation = models.ForeignKey(
        "consultation.Consultation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    matter = models.ForeignKey(
        "consultation.VillageMatter", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["convention", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["convention", "version"], name="consultation_convention_version"),
            models.UniqueConstraint(
                fields=["convention"], condition=Q(state="adopted"), name="consultation_convention_one_in_force"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.convention_id} v{self.version}"


class BoardNotice(models.Model):
    """A notice on a community's or village's public board (公开栏), readable without logging in
    from `public_from` until `public_until` (open-ended when blank) unless withdrawn with a reason.
    `source_type`/`source_ref` name what it publishes (a decision, a village step, a convention)."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    path = models.CharField(max_length=12, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=NoticeKind.choices)
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("text"))
    source_type = models.CharField(max_length=20, blank=True)
    source_ref = models.CharField(max_length=40, blank=True)
    public_from = models.DateField(_("shown from"))
    public_until = models.DateField(_("shown until"), null=True, blank=True)
    published_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    published_by_name = models.CharField(max_length=150)
    published_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-public_from", "-pk"]
        indexes = [models.Index(fields=["path", "public_from"])]

    def __str__(self) -> str:
        return self.title
