"""Relief: temporary and emergency assistance with its timeline, zero-employment households
followed until a member works, public-welfare posts with their placements, and job and training
needs. Timelines are append-only (triggers in the migration)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.core.ids import uuid7
from linli.welfare.domain.relief import (
    CaseState,
    CloseHow,
    Form,
    NeedKind,
    NeedState,
    PostKind,
    Route,
    TempState,
)

__all__ = [
    "JobNeed",
    "PostPlacement",
    "TemporaryAssistance",
    "TemporaryStep",
    "WelfarePost",
    "ZeroEmploymentCase",
    "ZeroEmploymentStep",
]


class TemporaryAssistance(models.Model):
    """One request for temporary or emergency assistance (临时救助). The person is a resident of
    the pool (`person_ref`, with the household) or someone in an emergency not registered here
    (name and masked ID only). The facts are sealed (they may say illness)."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    number = models.CharField(_("number"), max_length=24, unique=True)
    route = models.CharField(_("procedure"), max_length=10, choices=Route.choices)
    state = models.CharField(_("state"), max_length=12, choices=TempState.choices, db_index=True)
    person_ref = models.UUIDField(null=True, blank=True, db_index=True)
    person_name = models.CharField(_("person's name"), max_length=50)
    person_id_masked = models.CharField(_("ID number"), max_length=18, blank=True)
    household_ref = models.UUIDField(null=True, blank=True, db_index=True)
    path = models.CharField(max_length=18, db_index=True)  # the household's building, else the community
    event = models.CharField(_("event"), max_length=16)
    event_on = models.DateField(_("date of the event"))
    facts_sealed = models.TextField()
    form = models.CharField(_("form of help"), max_length=8, choices=Form.choices, default=Form.CASH)
    amount_asked = models.DecimalField(_("amount asked"), max_digits=10, decimal_places=2)
    amount_granted = models.DecimalField(_("amount granted"), max_digits=10, decimal_places=2, null=True, blank=True)
    granted_on = models.DateField(_("granted on"), null=True, blank=True, db_index=True)
    paperwork_due = models.DateField(_("paperwork due"), null=True, blank=True)
    refusal_reason = models.CharField(_("reasons for the refusal"), max_length=500, blank=True)
    desk_case_number = models.CharField(_("desk case"), max_length=40, blank=True, db_index=True)
    desk_case_ref = models.CharField(max_length=40, blank=True)  # the desk case's public id
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("temporary assistance")
        verbose_name_plural = _("temporary assistance")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "path"], name="welfare_temp_state_path")]
        constraints = [
            models.CheckConstraint(condition=Q(amount_asked__gte=0), name="welfare_temp_asked"),
            models.CheckConstraint(
                condition=Q(amount_granted__isnull=True) | Q(amount_granted__gte=0), name="welfare_temp_granted"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class TemporaryStep(models.Model):
    """One step of a temporary assistance record (its timeline). Append-only."""

    assistance = models.ForeignKey(TemporaryAssistance, on_delete=models.PROTECT, related_name="steps")
    action = models.CharField(max_length=20)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12)
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    actor_id = models.BigIntegerField(null=True)
    actor_name = models.CharField(max_length=150)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["assistance", "at"], name="welfare_tempstep_at")]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d}"


class ZeroEmploymentCase(models.Model):
    """A zero-employment household (零就业家庭) found on a date and followed until a member works.
    Never closed without how and why."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    household_ref = models.UUIDField(db_index=True)
    path = models.CharField(max_length=18, db_index=True)
    head_name = models.CharField(_("head of household"), max_length=50)
    state = models.CharField(_("state"), max_length=8, choices=CaseState.choices, default=CaseState.OPEN)
    found_on = models.DateField(_("found on"))
    last_follow_up_on = models.DateField(_("last follow-up"), null=True, blank=True, db_index=True)
    closed_on = models.DateField(_("resolved on"), null=True, blank=True)
    closed_how = models.CharField(_("resolved how"), max_length=20, choices=CloseHow.choices, blank=True)
    close_reason = models.CharField(_("note on the resolution"), max_length=500, blank=True)
    created_by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("zero-employment household")
        verbose_name_plural = _("zero-employment households")
        ordering = ["state", "-found_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["household_ref"], condition=Q(state="open"), name="welfare_zero_open_once"),
            models.CheckConstraint(
                condition=Q(state="open") | (~Q(closed_how="") & ~Q(close_reason="")), name="welfare_zero_closed_why"
            ),
        ]
        indexes = [models.Index(fields=["state", "path"], name="welfare_zero_state_path")]

    def __str__(self) -> str:
        return f"{self.head_name} {self.found_on}"


class ZeroEmploymentStep(models.Model):
    """A follow-up of a zero-employment household (visit, job offer, training, placement) or its
    finding and closing. Append-only."""

    case = models.ForeignKey(ZeroEmploymentCase, on_delete=models.PROTECT, related_name="steps")
    kind = models.CharField(max_length=20)  # FollowKind, or "found" / "closed"
    on = models.DateField()
    note = models.CharField(max_length=500, blank=True)
    actor_name = models.CharField(max_length=150)
    at = models.DateTimeField()

    class Meta:
        ordering = ["on", "at", "pk"]
        indexes = [models.Index(fields=["case", "on"], name="welfare_zerostep_on")]

    def __str__(self) -> str:
        return f"{self.kind} {self.on}"


class WelfarePost(models.Model):
    """A public-welfare post (公益性岗位): where, what kind, how many people, pay, period."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    title = models.CharField(_("post"), max_length=60)
    employer = models.CharField(_("employing unit"), max_length=80)
    path = models.CharField(max_length=18, db_index=True)  # the community
    kind = models.CharField(_("kind of post"), max_length=16, choices=PostKind.choices)
    capacity = models.PositiveSmallIntegerField(_("places"))
    filled = models.PositiveSmallIntegerField(_("places filled"), default=0)
    monthly_pay = models.DecimalField(_("monthly pay"), max_digits=10, decimal_places=2)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    created_by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("public-welfare post")
        verbose_name_plural = _("public-welfare posts")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(filled__lte=models.F("capacity")), name="welfare_post_capacity"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="welfare_post_period"),
        ]

    def __str__(self) -> str:
        return self.title


class PostPlacement(models.Model):
    """A resident in a public-welfare post from a date to a date; ended with a reason."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    post = models.ForeignKey(WelfarePost, on_delete=models.PROTECT, related_name="placements")
    case = models.ForeignKey(
        ZeroEmploymentCase, on_delete=models.PROTECT, null=True, blank=True, related_name="placements"
    )
    person_ref = models.UUIDField(db_index=True)
    person_name = models.CharField(_("person's name"), max_length=50)
    household_ref = models.UUIDField(null=True, blank=True)
    path = models.CharField(max_length=18, db_index=True)
    from_on = models.DateField(_("from"))
    to_on = models.DateField(_("until"), db_index=True)
    ended_on = models.DateField(_("left on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for leaving"), max_length=300, blank=True)
    created_by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-from_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person_ref"], condition=Q(ended_on__isnull=True), name="welfare_placement_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_name} {self.from_on}"


class JobNeed(models.Model):
    """A resident's wish for a job or training (我想找工作/参加培训), recorded by staff or by the
    resident on the phone."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    kind = models.CharField(_("kind of need"), max_length=10, choices=NeedKind.choices)
    state = models.CharField(_("state"), max_length=8, choices=NeedState.choices, default=NeedState.OPEN)
    person_ref = models.UUIDField(db_index=True)
    person_name = models.CharField(_("person's name"), max_length=50)
    path = models.CharField(max_length=18, db_index=True)
    wish = models.CharField(_("what is wanted"), max_length=300)
    by_resident = models.BooleanField(default=False)
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)
    created_by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("job or training need")
        verbose_name_plural = _("job and training needs")
        ordering = ["state", "-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "path"], name="welfare_jobneed_state_path")]

    def __str__(self) -> str:
        return f"{self.person_name} {self.kind}"
