"""Venture calls, their criteria, panel and timeline; applications with budget lines; reviews
with their scores; funded projects (and purchase contracts) with milestones and spending.
Organisations are referenced by their public id in `partners` (no foreign key across apps):
the name is copied at the time of the application, as the record of who applied."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.core.ids import uuid7
from linli.ventures.domain import (
    ApplicationState,
    CallKind,
    CallState,
    Grade,
    MilestoneState,
    ProjectState,
)

MONEY = {"max_digits": 12, "decimal_places": 2}


class VentureCall(models.Model):
    """A call for venture projects (公益创投) or for a purchased service (政府购买服务), run by an
    org unit (district or street): its budget, themes, deadline and review panel."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=CallKind.choices)
    title = models.CharField(_("title"), max_length=120)
    themes = models.JSONField(_("themes"), default=list, blank=True)
    total_budget = models.DecimalField(_("total budget (yuan)"), **MONEY)
    project_cap = models.DecimalField(_("per-project cap (yuan)"), **MONEY)
    unit_path = models.CharField(_("run by"), max_length=40, db_index=True)
    opens_on = models.DateField(_("opens on"))
    deadline = models.DateField(_("deadline"))
    eligibility = models.TextField(_("eligibility"), blank=True)
    state = models.CharField(_("state"), max_length=12, choices=CallState.choices, default=CallState.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("venture call")
        verbose_name_plural = _("venture calls")
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="venture_call_cap_within_budget", condition=Q(project_cap__lte=models.F("total_budget"))
            ),
            models.CheckConstraint(
                name="venture_call_deadline_after_opening", condition=Q(deadline__gte=models.F("opens_on"))
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ReviewCriterion(models.Model):
    """One scoring criterion of a call: a weight (percent; a call's weights sum to 100) and the
    maximum score a reviewer may give."""

    call = models.ForeignKey(VentureCall, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=60, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight (%)"))
    max_score = models.PositiveSmallIntegerField(_("maximum score"))

    class Meta:
        ordering = ["call", "position"]
        constraints = [models.UniqueConstraint(fields=["call", "position"], name="venture_criterion_position")]

    def __str__(self) -> str:
        return self.name


class PanelMember(models.Model):
    call = models.ForeignKey(VentureCall, on_delete=models.CASCADE, related_name="panel")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=150)

    class Meta:
        ordering = ["call", "pk"]
        constraints = [models.UniqueConstraint(fields=["call", "user"], name="venture_panel_once")]

    def __str__(self) -> str:
        return self.name


class CallStep(models.Model):
    """Append-only timeline of a call: one row per transition."""

    call = models.ForeignKey(VentureCall, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=24)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_name = models.CharField(max_length=150)
    note = models.TextField(blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.call_id}:{self.action}"


class VentureApplication(models.Model):
    """An organisation's application to a call, with its budget lines."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    call = models.ForeignKey(VentureCall, on_delete=models.PROTECT, related_name="applications")
    org_id = models.UUIDField(_("organisation"), db_index=True)
    org_name = models.CharField(_("organisation"), max_length=120)
    title = models.CharField(_("project title"), max_length=120)
    summary = models.TextField(_("summary"))
    themes = models.JSONField(_("themes"), default=list, blank=True)
    beneficiaries_count = models.PositiveIntegerField(_("target beneficiaries (people)"))
    beneficiaries_who = models.CharField(_("who they are"), max_length=200)
    outputs = models.TextField(_("outputs"))
    requested = models.DecimalField(_("amount requested (yuan)"), **MONEY)
    state = models.CharField(
        _("state"), max_length=12, choices=ApplicationState.choices, default=ApplicationState.DRAFT
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdraw_reason = models.CharField(max_length=500, blank=True)
    granted = models.DecimalField(_("amount granted (yuan)"), null=True, blank=True, **MONEY)
    decision_reason = models.CharField(_("reason"), max_length=500, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by_name = models.CharField(max_length=150, blank=True)

    class Meta:
        verbose_name = _("venture application")
        verbose_name_plural = _("venture applications")
        ordering = ["call", "pk"]
        indexes = [models.Index(fields=["call", "state"], name="venture_app_call_state")]

    def __str__(self) -> str:
        return self.title


class BudgetLineRow(models.Model):
    application = models.ForeignKey(VentureApplication, on_delete=models.CASCADE, related_name="budget_lines")
    position = models.PositiveSmallIntegerField()
    item = models.CharField(_("item"), max_length=120)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)

    class Meta:
        ordering = ["application", "position"]

    def __str__(self) -> str:
        return self.item


class Review(models.Model):
    """One panel member on one application: a declared conflict of interest (then no scores), or
    their scores per criterion, the weighted total out of 100 and a comment."""

    application = models.ForeignKey(VentureApplication, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewer_name = models.CharField(max_length=150)
    conflict = models.BooleanField(default=False)
    conflict_note = models.CharField(max_length=500, blank=True)
    total = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    comment = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["application", "pk"]
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="venture_review_once")]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.reviewer_name}"


class ReviewScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(ReviewCriterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="venture_score_once")]

    def __str__(self) -> str:
        return f"{self.review_id}:{self.criterion_id}={self.score}"


class VentureProject(models.Model):
    """A funded application: the grant, milestones, spending, beneficiaries served and the final
    evaluation. For a purchase call it carries a `ServiceContract`."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    application = models.OneToOneField(VentureApplication, on_delete=models.PROTECT, related_name="project")
    call = models.ForeignKey(VentureCall, on_delete=models.PROTECT, related_name="projects")
    org_id = models.UUIDField(db_index=True)
    org_name = models.CharField(max_length=120)
    unit_path = models.CharField(max_length=40, db_index=True)
    title = models.CharField(_("title"), max_length=120)
    grant = models.DecimalField(_("grant (yuan)"), **MONEY)
    spent = models.DecimalField(_("spent (yuan)"), default=0, **MONEY)
    beneficiaries_served = models.PositiveIntegerField(_("beneficiaries served"), default=0)
    state = models.CharField(_("state"), max_length=12, choices=ProjectState.choices, default=ProjectState.ACTIVE)
    year = models.PositiveSmallIntegerField(db_index=True)
    started_on = models.DateField()
    evaluation_score = models.PositiveSmallIntegerField(null=True, blank=True)
    grade = models.CharField(max_length=12, choices=Grade.choices, blank=True)
    evaluation = models.TextField(blank=True)
    evaluated_at = models.DateTimeField(null=True, blank=True)
    evaluated_by_name = models.CharField(max_length=150, blank=True)

    class Meta:
        verbose_name = _("venture project")
        verbose_name_plural = _("venture projects")
        ordering = ["-year", "pk"]
        constraints = [
            models.CheckConstraint(name="venture_project_spent_within_grant", condition=Q(spent__lte=models.F("grant")))
        ]

    def __str__(self) -> str:
        return self.title


class ServiceContract(models.Model):
    """The contract of a government-purchased service (政府购买服务): number, term and the
    deliverables it promises (each deliverable is also a milestone of the project)."""

    project = models.OneToOneField(VentureProject, on_delete=models.CASCADE, related_name="contract")
    number = models.CharField(_("contract number"), max_length=40, unique=True)
    signed_on = models.DateField(_("signed on"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    deliverables = models.JSONField(_("deliverables"), default=list)

    def __str__(self) -> str:
        return self.number


class Milestone(models.Model):
    project = models.ForeignKey(VentureProject, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("milestone"), max_length=120)
    due_on = models.DateField(_("due on"), db_index=True)
    state = models.CharField(max_length=12, choices=MilestoneState.choices, default=MilestoneState.PLANNED)
    report = models.TextField(blank=True)
    beneficiaries = models.PositiveIntegerField(default=0)
    reported_at = models.DateTimeField(null=True, blank=True)
    reported_by_name = models.CharField(max_length=150, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by_name = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["project", "due_on", "position"]

    def __str__(self) -> str:
        return self.title


class Spending(models.Model):
    project = models.ForeignKey(VentureProject, on_delete=models.CASCADE, related_name="spending")
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    spent_on = models.DateField(_("date"))
    what = models.CharField(_("what for"), max_length=200)
    receipt = models.ForeignKey("VentureFile", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recorded_by_name = models.CharField(max_length=150)
    at = models.DateTimeField()

    class Meta:
        ordering = ["project", "spent_on", "pk"]

    def __str__(self) -> str:
        return f"{self.project_id}:{self.amount}"


class VentureFile(models.Model):
    """An application's attachment or a spending receipt (PDF or image, at most 5 MB)."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    application = models.ForeignKey(
        VentureApplication, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    project = models.ForeignKey(VentureProject, on_delete=models.CASCADE, null=True, blank=True, related_name="files")
    name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    data = models.BinaryField()
    uploaded_by_name = models.CharField(max_length=150)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name
