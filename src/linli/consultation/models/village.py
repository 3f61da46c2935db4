"""The village procedure: the major-matter list (a table each town may extend), the villagers'
representatives, major matters and the record of each step."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.consultation.domain.village import AssemblyKind, MatterState, StepResult, VillageStep
from linli.core.ids import uuid7

__all__ = ["MajorMatterKind", "VillageMatter", "VillageMatterStep", "VillageRepresentative"]

USER = settings.AUTH_USER_MODEL


class MajorMatterKind(models.Model):
    """What counts as a major matter (land, collective assets, projects above a sum, welfare lists…).
    `path` is the unit that keeps the row: the city's rows apply everywhere, a town (street path)
    adds its own or sets its own threshold. `amount_over` makes a project major above a sum."""

    path = models.CharField(max_length=12, db_index=True)
    code = models.CharField(_("code"), max_length=24)
    name_zh = models.CharField(_("Chinese name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=100)
    amount_over = models.DecimalField(_("major above (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        constraints = [models.UniqueConstraint(fields=["path", "code"], name="consultation_major_kind_code")]

    def __str__(self) -> str:
        return self.code


class VillageRepresentative(models.Model):
    """A villagers' representative (村民代表) of a village, from the pool, with a term."""

    path = models.CharField(max_length=12, db_index=True)
    resident_ref = models.UUIDField()
    name_shown = models.CharField(max_length=40)
    since = models.DateField()
    until = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["path", "since", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["path", "resident_ref"], condition=Q(until__isnull=True), name="consultation_rep_once"
            )
        ]

    def __str__(self) -> str:
        return self.name_shown


class VillageMatter(models.Model):
    """A village's major matter. `stage` is the last step done (blank before the proposal is
    recorded); after the town returns it, `round` goes up and the steps from the committees'
    discussion are recorded again."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    number = models.CharField(_("matter number"), max_length=32, unique=True)
    path = models.CharField(max_length=12, db_index=True)  # the village
    kind = models.ForeignKey(MajorMatterKind, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=100)
    proposal = models.TextField(_("proposal"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    source_ref = models.CharField(max_length=40, blank=True)  # a micro-fund payment request's id
    state = models.CharField(_("state"), max_length=10, choices=MatterState.choices, default=MatterState.OPEN)
    stage = models.CharField(_("last step done"), max_length=20, choices=VillageStep.choices, blank=True)
    round = models.PositiveSmallIntegerField(default=1)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("village major matter")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["path", "state"])]

    def __str__(self) -> str:
        return self.number


class VillageMatterStep(models.Model):
    """One step's record: its meeting (date, attendance against the roll, the vote, minutes, the
    text as adopted) or the town's review, or a publication. A failed attempt (no quorum, not
    passed) is kept beside the later one that succeeds; only one successful row per step and round."""

    matter = models.ForeignKey(VillageMatter, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(max_length=20, choices=VillageStep.choices)
    round = models.PositiveSmallIntegerField(default=1)
    result = models.CharField(max_length=12, choices=StepResult.choices)
    held_on = models.DateField()
    assembly = models.CharField(max_length=16, choices=AssemblyKind.choices, blank=True)
    roll_total = models.PositiveIntegerField(default=0)  # adults, representatives or party members
    roll_households = models.PositiveIntegerField(default=0)
    present = models.PositiveIntegerField(default=0)
    households_present = models.PositiveIntegerField(default=0)
    votes_for = models.PositiveIntegerField(default=0)
    votes_against = models.PositiveIntegerField(default=0)
    abstentions = models.PositiveIntegerField(default=0)
    minutes = models.TextField(blank=True)
    adopted_text = models.TextField(blank=True)
    note = models.TextField(blank=True)  # the town's reasons for returning, a publication's place
    public_until = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recorded_by_name = models.CharField(max_length=150)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["matter", "round", "step"],
                condition=Q(result__in=["done", "passed", "approved"]),
                name="consultation_village_step_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.step} ({self.result})"
