"""Children's care and protection: what the pool lacks about a child on the lists (guardian, care
plan), the visits, the children's directors, the children's facilities' logs and the restricted
reports of suspected harm. Children are named by the pool's public id (`child_ref`), never copied."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.care.domain.children import (
    ActivityKind,
    DirectorRole,
    GuardianRelation,
    HarmActionKind,
    HarmState,
    Wellbeing,
)
from linli.core.ids import uuid7

__all__ = [
    "ChildCare",
    "ChildDirector",
    "ChildFacilityActivity",
    "ChildFacilityOpening",
    "ChildVisit",
    "ChildVisitRule",
    "HarmAction",
    "HarmReport",
]

USER = settings.AUTH_USER_MODEL


class ChildVisitRule(models.Model):
    """The visit interval of one of the children's groups (defaults in `domain.children`)."""

    kind = models.CharField(_("group"), max_length=32, unique=True)
    interval_days = models.PositiveSmallIntegerField(_("interval (days)"))
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("child visit rule")
        verbose_name_plural = _("child visit rules")

    def __str__(self) -> str:
        return f"{self.kind}: {self.interval_days}"


class ChildCare(models.Model):
    """A child's guardian and care plan. The guardian's phone and the plan are sealed; the phone's
    mask is kept for lists."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    child_ref = models.UUIDField(unique=True)
    path = models.CharField(max_length=18, db_index=True)  # the child's household path
    guardian_name = models.CharField(_("guardian"), max_length=50, blank=True)
    guardian_relation = models.CharField(_("relation"), max_length=16, choices=GuardianRelation.choices, blank=True)
    guardian_phone_sealed = models.TextField(blank=True)
    guardian_phone_masked = models.CharField(max_length=20, blank=True)
    guardian_ref = models.UUIDField(null=True, blank=True)  # when the guardian is a resident of the pool
    plan_sealed = models.TextField(blank=True)
    updated_at = models.DateTimeField()
    updated_by_name = models.CharField(max_length=150)

    class Meta:
        verbose_name = _("child's care record")
        verbose_name_plural = _("children's care records")

    def __str__(self) -> str:
        return str(self.child_ref)


class ChildDirector(models.Model):
    """A staff account appointed children's director of a community (path of 12) or children's
    supervisor of a street (path of 9), with dates; one active per unit and role."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    role = models.CharField(_("role"), max_length=12, choices=DirectorRole.choices)
    path = models.CharField(max_length=12, db_index=True)
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=150)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    appointed_by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("children's director")
        verbose_name_plural = _("children's directors")
        ordering = ["path", "-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["path", "role"], condition=Q(ends_on__isnull=True), name="care_child_director_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.path})"


class ChildVisit(models.Model):
    """A visit to a child on the lists (append-only: a correction is a new visit). The notes are
    sealed; the statuses are codes."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    child_ref = models.UUIDField(db_index=True)
    path = models.CharField(max_length=18, db_index=True)
    visited_on = models.DateField(_("visited on"))
    saw_child = models.BooleanField(_("saw the child"))
    guardian_present = models.BooleanField(_("guardian present"))
    school = models.CharField(_("school"), max_length=8, choices=Wellbeing.choices)
    health = models.CharField(_("health"), max_length=8, choices=Wellbeing.choices)
    safety = models.CharField(_("safety"), max_length=8, choices=Wellbeing.choices)
    needs = models.CharField(_("needs found"), max_length=300, blank=True)
    follow_up = models.CharField(_("follow-up"), max_length=300, blank=True)
    notes_sealed = models.TextField(blank=True)
    visitor = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    visitor_name = models.CharField(max_length=150)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("child visit")
        verbose_name_plural = _("child visits")
        ordering = ["-visited_on", "-pk"]
        indexes = [models.Index(fields=["child_ref", "visited_on"], name="care_child_visit_last")]

    def __str__(self) -> str:
        return f"{self.child_ref} {self.visited_on}"


class ChildFacilityOpening(models.Model):
    """A day a children's home or protection station was open (one row per facility and day)."""

    facility_ref = models.UUIDField(db_index=True)
    path = models.CharField(max_length=12, db_index=True)
    opened_on = models.DateField(_("date"))
    hours = models.DecimalField(_("hours open"), max_digits=4, decimal_places=1)
    staff = models.CharField(_("staff on duty"), max_length=100)
    recorded_by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("children's facility opening")
        verbose_name_plural = _("children's facility openings")
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["facility_ref", "opened_on"], name="care_child_opening_once"),
            models.CheckConstraint(condition=Q(hours__gt=0, hours__lte=24), name="care_child_opening_hours"),
        ]

    def __str__(self) -> str:
        return f"{self.facility_ref} {self.opened_on}"


class ChildFacilityActivity(models.Model):
    """An activity held at a children's home or protection station."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    facility_ref = models.UUIDField(db_index=True)
    path = models.CharField(max_length=12, db_index=True)
    held_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=ActivityKind.choices)
    children_count = models.PositiveIntegerField(_("children taking part"))
    photo = models.ImageField(_("photo"), upload_to="care/children/%Y/%m/", blank=True)
    recorded_by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("children's facility activity")
        verbose_name_plural = _("children's facility activities")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class HarmReport(models.Model):
    """A report of suspected harm to a child (强制报告) and the restricted case it opens. What was
    seen and the closing reason are sealed; only CARE_PROTECT holders of the child's area read it;
    the reporter keeps the receipt number."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    receipt = models.CharField(_("receipt number"), max_length=16, unique=True)
    child_ref = models.UUIDField(db_index=True)
    path = models.CharField(max_length=18, db_index=True)
    seen_sealed = models.TextField()
    state = models.CharField(_("state"), max_length=8, choices=HarmState.choices, default=HarmState.OPEN)
    reporter = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reporter_name = models.CharField(max_length=150)
    filed_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason_sealed = models.TextField(blank=True)
    closed_by_name = models.CharField(max_length=150, blank=True)

    class Meta:
        verbose_name = _("suspected harm report")
        verbose_name_plural = _("suspected harm reports")
        ordering = ["-filed_at", "-pk"]

    def __str__(self) -> str:
        return self.receipt


class HarmAction(models.Model):
    """An action on a harm case (police informed, protection measure, referral); append-only."""

    report = models.ForeignKey(HarmReport, on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField(_("action"), max_length=12, choices=HarmActionKind.choices)
    note_sealed = models.TextField()
    by_name = models.CharField(max_length=150)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("harm case action")
        verbose_name_plural = _("harm case actions")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind}"
