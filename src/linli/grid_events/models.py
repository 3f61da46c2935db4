from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.areas.domain import DepartmentKind
from linli.areas.models import Building, Department, Grid, OrgUnit
from linli.core.ids import uuid7
from linli.grid_events.domain import (
    AssignmentRole,
    AssignmentState,
    CategoryKind,
    Channel,
    EventState,
    PhotoStage,
    SupervisionLevel,
    Urgency,
)


class EventCategory(models.Model):
    """An event or component class (GB/T 30428 / CJ/T 214) or a city-defined one, with the kind
    of department that answers for it and its time limits per stage (minutes; see domain)."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=CategoryKind.choices)
    major_code = models.CharField(_("major class code"), max_length=8)
    major_name = models.CharField(_("major class"), max_length=40)
    name = models.CharField(_("name"), max_length=60)
    department_kind = models.CharField(_("responsible department kind"), max_length=32, choices=DepartmentKind.choices)
    register_minutes = models.PositiveIntegerField(_("registration limit (minutes)"))
    dispatch_minutes = models.PositiveIntegerField(_("dispatch limit (minutes)"))
    accept_minutes = models.PositiveIntegerField(_("acceptance limit (minutes)"))
    handle_minutes = models.PositiveIntegerField(_("handling limit, normal (working minutes)"))
    handle_urgent_minutes = models.PositiveIntegerField(_("handling limit, urgent (minutes)"))
    verify_minutes = models.PositiveIntegerField(_("verification limit (minutes)"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("event category")
        verbose_name_plural = _("event categories")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CategoryRoute(models.Model):
    """A district's own answer to "who handles this category here", overriding the kind."""

    category = models.ForeignKey(EventCategory, on_delete=models.CASCADE, related_name="routes")
    district = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("category route")
        verbose_name_plural = _("category routes")
        constraints = [models.UniqueConstraint(fields=["category", "district"], name="category_route_one_per_district")]

    def __str__(self) -> str:
        return f"{self.category_id}@{self.district_id}"


class GridEvent(models.Model):
    """One problem from report to rating. Exactly one unit holds it at any time: an org unit
    (holder_path) or a department (holder_department) — never both, never neither."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    number = models.CharField(_("event number"), max_length=32, unique=True)
    category = models.ForeignKey(EventCategory, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    suggested_category = models.ForeignKey(
        EventCategory, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    suggestion_confidence = models.FloatField(null=True, blank=True)
    description = models.TextField(_("description"))
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    state = models.CharField(_("state"), max_length=12, choices=EventState.choices, default=EventState.REPORTED)
    lat = models.FloatField(_("latitude"))
    lng = models.FloatField(_("longitude"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    building = models.ForeignKey(Building, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    grid = models.ForeignKey(Grid, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    community_path = models.CharField(max_length=12, db_index=True)
    path = models.CharField(max_length=15, db_index=True)  # grid path when known, else the community's
    holder_path = models.CharField(max_length=12, blank=True)
    holder_department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reporter_name = models.CharField(max_length=60, blank=True)
    reporter_contact_sealed = models.TextField(blank=True)  # Open311 email/phone, AES-GCM
    open311_token = models.UUIDField(null=True, blank=True, unique=True)
    duplicate_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reported_at = models.DateTimeField(db_index=True)
    register_due_at = models.DateTimeField(null=True, blank=True)
    registered_at = models.DateTimeField(null=True, blank=True)  # answered: registered, rejected or merged
    stage_due_at = models.DateTimeField(null=True, blank=True)  # of the step the holder owes now
    overdue_notified_for = models.DateTimeField(null=True, blank=True)  # the stage_due_at already warned about
    handle_due_at = models.DateTimeField(null=True, blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_on_time = models.BooleanField(null=True)
    rework_count = models.PositiveSmallIntegerField(default=0)
    supervision_level = models.PositiveSmallIntegerField(default=0)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_comment = models.CharField(max_length=500, blank=True)
    # Shown on the public Open311 list (decision 0014): residents' reports from the start, staff's
    # own events once a staff member publishes them; staff may hide any with a reason.
    is_public = models.BooleanField(_("public"), default=False)
    public_reason = models.CharField(_("why hidden or published"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Not columns: set on an instance by the code that computes them — the duplicate search
    # (metres from the new report, likeness of the text) and a report just written (its photos
    # and steps, so the answer needs no second read).
    distance: float
    similarity: float
    new_photos: list
    new_steps: list

    class Meta:
        verbose_name = _("grid event")
        verbose_name_plural = _("grid events")
        ordering = ["-reported_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(holder_department__isnull=True) & ~Q(holder_path=""))
                | (Q(holder_department__isnull=False) & Q(holder_path="")),
                name="grid_event_exactly_one_holder",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "stage_due_at"], name="grid_event_state_due"),
            models.Index(fields=["holder_path", "state"], name="grid_event_holder_unit"),
            models.Index(fields=["holder_department", "state"], name="grid_event_holder_dept"),
            models.Index(fields=["lat", "lng"], name="grid_event_position"),
            models.Index(fields=["is_public", "reported_at"], name="grid_event_public"),
        ]

    def __str__(self) -> str:
        return self.number


class EventStep(models.Model):
    """Append-only timeline: one row per transition, check-in, supervision or hand-over, with the
    holder before and after. Timeline, audit trail and the rates' source at once."""

    event = models.ForeignKey(GridEvent, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=24)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12)
    from_holder = models.CharField(max_length=60, blank=True)  # "unit:<path>" or "dept:<id>"
    to_holder = models.CharField(max_length=60, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_name = models.CharField(max_length=150)
    note = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["event", "at"], name="grid_step_event_at")]

    def __str__(self) -> str:
        return f"{self.event_id}:{self.action}"


class Assignment(models.Model):
    """A department's task on an event (派遣 or a whistle's summons). Its figures feed the rates:
    answered on time, solved, on time, the rating it earned."""

    event = models.ForeignKey(GridEvent, on_delete=models.CASCADE, related_name="assignments")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=8, choices=AssignmentRole.choices, default=AssignmentRole.LEAD)
    state = models.CharField(max_length=12, choices=AssignmentState.choices, default=AssignmentState.PENDING)
    assigned_at = models.DateTimeField(db_index=True)
    accept_due_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_on_time = models.BooleanField(null=True)
    return_reason = models.CharField(max_length=500, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    solved = models.BooleanField(default=False)
    solved_on_time = models.BooleanField(null=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["assigned_at", "pk"]
        indexes = [
            models.Index(fields=["department", "state"], name="grid_assign_dept_state"),
            models.Index(fields=["department", "assigned_at"], name="grid_assign_dept_at"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}→{self.department_id}"


class Whistle(models.Model):
    """吹哨: a community or street summons departments to act jointly on an event."""

    event = models.ForeignKey(GridEvent, on_delete=models.CASCADE, related_name="whistles")
    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    blown_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    blown_by_name = models.CharField(max_length=150)
    unit_path = models.CharField(max_length=12, db_index=True)  # who blew: community or street
    reason = models.TextField()
    created_at = models.DateTimeField()
    check_in_due_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"whistle {self.event_id}"


class Response(models.Model):
    """报到: one summoned department's check-in on a whistle."""

    whistle = models.ForeignKey(Whistle, on_delete=models.CASCADE, related_name="responses")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    is_lead = models.BooleanField(default=False)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    checked_in_by_name = models.CharField(max_length=150, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-is_lead", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["whistle", "department"], name="response_one_per_department"),
        ]

    def __str__(self) -> str:
        return f"{self.whistle_id}:{self.department_id}"


class Supervision(models.Model):
    """督办: a supervisor's notice on an event to whoever holds it, with a level and a due time."""

    event = models.ForeignKey(GridEvent, on_delete=models.CASCADE, related_name="supervisions")
    level = models.PositiveSmallIntegerField(choices=SupervisionLevel.choices)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    issued_by_name = models.CharField(max_length=150)
    issuer_path = models.CharField(max_length=12)
    target_path = models.CharField(max_length=12, blank=True)
    target_department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, related_name="+")
    note = models.TextField()
    created_at = models.DateTimeField(db_index=True)
    due_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"supervision {self.event_id} L{self.level}"


class EventPhoto(models.Model):
    """A photo of the report, the handling or the verification; sealed on disk (faces, plates)."""

    event = models.ForeignKey(GridEvent, on_delete=models.CASCADE, related_name="photos")
    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    stage = models.CharField(max_length=12, choices=PhotoStage.choices)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return str(self.public_id)


class Open311Key(models.Model):
    """An Open311 `api_key` given to a client application (a city app, a WeChat mini program)."""

    name = models.CharField(_("client name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 key")
        verbose_name_plural = _("Open311 keys")

    def __str__(self) -> str:
        return self.name
