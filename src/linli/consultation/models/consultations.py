"""Consultations, their options, comments, meetings and sign-in, and their timeline."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.consultation.domain.consultations import (
    CommentState,
    ConsultationForm,
    ConsultationState,
    ParticipantScope,
)
from linli.consultation.domain.voting import Majority, VoteUnit
from linli.core.ids import uuid7

__all__ = ["Comment", "Consultation", "ConsultationOption", "ConsultationStep", "Meeting", "SignIn"]

USER = settings.AUTH_USER_MODEL


class Consultation(models.Model):
    """`path` is the community (12); `scope_path` the building (18), grid (15) or community (12)
    whose residents take part. The voting rule is data on the row (`vote_unit`, `quorum_percent`,
    `majority`) and cannot change once voting opens; `roll_size` is the frozen roll's length and
    `result` the tally written when voting closes (counts per option key, cast, quorum, winner)."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    number = models.CharField(_("consultation number"), max_length=32, unique=True)
    path = models.CharField(max_length=12, db_index=True)
    topic = models.ForeignKey(
        "consultation.Topic", on_delete=models.PROTECT, null=True, blank=True, related_name="consultations"
    )
    title = models.CharField(_("title"), max_length=100)
    question = models.TextField(_("what is to be decided"))
    form = models.CharField(_("form"), max_length=10, choices=ConsultationForm.choices)
    scope_kind = models.CharField(_("who takes part"), max_length=10, choices=ParticipantScope.choices)
    scope_path = models.CharField(max_length=18)
    stakeholders = models.JSONField(default=list, blank=True)  # names of units: 物业公司, 业委会, …
    discussion_until = models.DateField(_("comments until"), null=True, blank=True)
    voting_until = models.DateTimeField(_("voting until"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=ConsultationState.choices, default=ConsultationState.DRAFT
    )
    vote_unit = models.CharField(_("who votes"), max_length=10, choices=VoteUnit.choices, default=VoteUnit.HOUSEHOLD)
    quorum_percent = models.PositiveSmallIntegerField(_("quorum (% of the roll)"), default=50)
    majority = models.CharField(_("majority"), max_length=12, choices=Majority.choices, default=Majority.HALF)
    roll_size = models.PositiveIntegerField(default=0)
    roll_frozen_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("consultation")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["path", "state"])]
        constraints = [
            models.CheckConstraint(condition=Q(quorum_percent__lte=100), name="consultation_quorum_percent"),
        ]

    def __str__(self) -> str:
        return self.number


class ConsultationOption(models.Model):
    """One choice put to the vote; `key` is short and stable (the tally's key)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="options")
    key = models.CharField(max_length=8)
    label = models.CharField(_("option"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["consultation", "key"], name="consultation_option_key")]

    def __str__(self) -> str:
        return self.label


class Comment(models.Model):
    """A participant's comment in the online phase: real-name inside (`author_name`, staff only),
    shown to others with a masked name (`author_shown`), moderated before or after showing."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    author_name = models.CharField(max_length=40)
    author_shown = models.CharField(max_length=40)
    body = models.TextField(_("comment"))
    state = models.CharField(max_length=10, choices=CommentState.choices, default=CommentState.PENDING)
    moderated_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    moderation_reason = models.CharField(max_length=200, blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["consultation", "state"])]

    def __str__(self) -> str:
        return str(self.public_id)


class Meeting(models.Model):
    """A consultation meeting (or a council's sitting): when, where, who signed in, the minutes."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=100)
    minutes = models.TextField(_("meeting minutes"), blank=True)
    minutes_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    minutes_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return str(self.public_id)


class SignIn(models.Model):
    """One attendee signed in at a meeting: a resident of the pool (by public id, with their
    household) or a stakeholder's representative (by unit and name)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="sign_ins")
    resident_ref = models.UUIDField(null=True, blank=True)
    household_ref = models.UUIDField(null=True, blank=True)
    name_shown = models.CharField(max_length=40)
    stakeholder = models.CharField(max_length=100, blank=True)
    signed_at = models.DateTimeField()
    by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "resident_ref"],
                condition=Q(resident_ref__isnull=False),
                name="consultation_sign_in_once",
            )
        ]

    def __str__(self) -> str:
        return self.name_shown


class ConsultationStep(models.Model):
    """The consultation's timeline: one row per transition, append-only."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=24)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12)
    note = models.CharField(max_length=300, blank=True)
    by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    by_name = models.CharField(max_length=150)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.action
