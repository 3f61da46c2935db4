"""People's mediation: the dispute kinds (a code table), the disputes, their parties, steps,
sessions, agreement and follow-ups. Facts, claims, minutes, terms and follow-up notes are sealed;
a party from the pool is named by `person_ref`, never copied (an outsider by name only)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.core.ids import uuid7
from linli.mediation.domain.disputes import (
    ConfirmationResult,
    Consent,
    DisputeLevel,
    DisputeSource,
    DisputeState,
    OnwardRoute,
    OutcomeKind,
    PartySide,
    Performance,
    SessionState,
)

__all__ = [
    "Dispute",
    "DisputeFollowUp",
    "DisputeKind",
    "DisputeParty",
    "DisputeStep",
    "MediationAgreement",
    "MediationSession",
]

USER = settings.AUTH_USER_MODEL


class DisputeKind(models.Model):
    """A kind of dispute (邻里, 婚姻家庭, 物业, 劳动, 土地, …), seeded from `data/dispute_kinds.yaml`
    and kept by MEDIATION_MANAGE holders; `level` is where such a dispute goes by default."""

    code = models.CharField(_("code"), max_length=24, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=40)
    name_en = models.CharField(_("English name"), max_length=80)
    level = models.CharField(_("default level"), max_length=12, choices=DisputeLevel.choices)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("dispute kind")
        verbose_name_plural = _("dispute kinds")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.code


class Dispute(models.Model):
    """A dispute and its mediation. `path` is the community (12) where the dispute arose; the
    handling unit is that community, its street (level street) or the mediator's unit (expert).
    `escalated` marks a dispute taken beyond the street (上访, the four-zero's petitions)."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    number = models.CharField(_("case number"), max_length=32, unique=True)
    path = models.CharField(max_length=18, db_index=True)
    kind = models.ForeignKey(DisputeKind, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("level"), max_length=12, choices=DisputeLevel.choices)
    source = models.CharField(_("source"), max_length=12, choices=DisputeSource.choices)
    source_ref = models.CharField(max_length=40, blank=True)  # grid event number, reasoning case code
    title = models.CharField(_("summary"), max_length=60)  # shown in lists: no names, no numbers
    facts_sealed = models.TextField()
    claim_sealed = models.TextField(blank=True)
    state = models.CharField(_("state"), max_length=12, choices=DisputeState.choices, default=DisputeState.CONSENT)
    mediator = models.ForeignKey(
        "mediation.Mediator", on_delete=models.PROTECT, null=True, blank=True, related_name="disputes"
    )
    registered_on = models.DateField(_("registered on"))
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    due_on = models.DateField(_("time limit"), null=True, blank=True)
    extended = models.BooleanField(default=False)
    ended_on = models.DateField(null=True, blank=True)
    escalated = models.BooleanField(_("escalated beyond the street"), default=False)
    outcome = models.CharField(_("outcome"), max_length=8, choices=OutcomeKind.choices, blank=True)
    onward_route = models.CharField(_("route onward"), max_length=16, choices=OnwardRoute.choices, blank=True)
    # mediators a party asked to recuse (回避, art. 20): never assigned to this dispute again
    excluded_mediators = models.JSONField(default=list, blank=True)
    registered_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    registered_by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering = ["-registered_on", "-pk"]
        indexes = [
            models.Index(fields=["path", "registered_on"], name="mediation_dispute_area_day"),
            models.Index(fields=["mediator", "state"], name="mediation_dispute_queue"),
            models.Index(fields=["state", "due_on"], name="mediation_dispute_due"),
        ]
        constraints = [
            # one dispute per grid event: a second hand-off is refused (the race included)
            models.UniqueConstraint(
                fields=["source_ref"], condition=Q(source="grid_event"), name="mediation_dispute_one_per_event"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class DisputeParty(models.Model):
    """A party: a resident of the pool (`person_ref`), or an outsider by name. The phone and ID
    number are sealed (masks kept for lists); consent is this party's will to be mediated."""

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="parties")
    side = models.CharField(_("side"), max_length=12, choices=PartySide.choices)
    name = models.CharField(_("full name"), max_length=50)
    person_ref = models.UUIDField(null=True, blank=True, db_index=True)
    user = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    phone_sealed = models.TextField(blank=True)
    phone_masked = models.CharField(max_length=20, blank=True)
    id_number_sealed = models.TextField(blank=True)
    id_number_masked = models.CharField(max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=120, blank=True)
    consent = models.CharField(_("consent"), max_length=10, choices=Consent.choices, default=Consent.PENDING)
    consent_on = models.DateField(null=True, blank=True)
    consent_note = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("dispute party")
        verbose_name_plural = _("dispute parties")
        ordering = ["dispute", "side", "pk"]

    def __str__(self) -> str:
        return self.name


class DisputeStep(models.Model):
    """One transition or event of a dispute (append-only): timeline, audit and figures at once."""

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="steps")
    action = models.CharField(max_length=24)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12)
    note = models.CharField(max_length=300, blank=True)  # never facts: those are sealed on the dispute
    by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    by_name = models.CharField(max_length=150)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("dispute step")
        verbose_name_plural = _("dispute steps")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.dispute_id} {self.action}"


class MediationSession(models.Model):
    """A mediation session: scheduled, then held with attendance and sealed minutes (调解笔录), or
    cancelled."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=100)
    facility_ref = models.UUIDField(null=True, blank=True)  # a mediation room of the registry
    state = models.CharField(_("state"), max_length=10, choices=SessionState.choices, default=SessionState.SCHEDULED)
    attended = models.JSONField(default=list, blank=True)  # the parties' ids present
    minutes_sealed = models.TextField(blank=True)
    mediator_name = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.dispute_id} {self.starts_at:%Y-%m-%d}"


class MediationAgreement(models.Model):
    """The agreement (调解协议书, or an oral agreement recorded): terms sealed; the PDF is made from
    it on demand. Judicial confirmation (司法确认) is recorded on it when a party applies."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    dispute = models.OneToOneField(Dispute, on_delete=models.PROTECT, related_name="agreement")
    kind = models.CharField(_("kind"), max_length=8, choices=OutcomeKind.choices)
    terms_sealed = models.TextField()
    signed_on = models.DateField(_("signed on"))
    perform_by = models.DateField(_("perform by"), null=True, blank=True)
    confirmation_applied_on = models.DateField(_("applied for confirmation on"), null=True, blank=True)
    confirmation_court = models.CharField(_("court"), max_length=100, blank=True)
    confirmation_result = models.CharField(
        _("confirmation"), max_length=10, choices=ConfirmationResult.choices, blank=True
    )
    confirmation_decided_on = models.DateField(null=True, blank=True)
    recorded_by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("mediation agreement")
        verbose_name_plural = _("mediation agreements")
        constraints = [
            models.CheckConstraint(condition=~Q(kind="failed"), name="mediation_agreement_not_failed"),
        ]

    def __str__(self) -> str:
        return f"{self.dispute_id} {self.kind}"


class DisputeFollowUp(models.Model):
    """A follow-up (回访) of the agreement's performance (append-only)."""

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="follow_ups")
    on = models.DateField(_("date"))
    performance = models.CharField(_("performance"), max_length=10, choices=Performance.choices)
    note_sealed = models.TextField(blank=True)
    by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.dispute_id} {self.on}"
