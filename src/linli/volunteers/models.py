from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.core.ids import uuid7
from linli.volunteers.domain import (
    DEFAULT_RADIUS_M,
    ActivityStatus,
    HoursKind,
    HoursState,
    SignUpMode,
    SignUpState,
    VolunteerStatus,
)


class Volunteer(models.Model):
    """A registered volunteer (real name). `user` is empty for a volunteer recorded by staff who
    has no phone or account. ID number and phones are sealed (`core.crypto.seal`, contexts
    `volunteer.id_number`, `volunteer.phone`, `volunteer.guardian_phone`); the blind index makes
    one registration per ID number. `registered_path` is the home community's path: scope and the
    "where registered" count of hours."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="volunteer"
    )
    name = models.CharField(_("name"), max_length=50)
    id_number_sealed = models.TextField(blank=True)
    id_number_index = models.CharField(max_length=32, unique=True)
    id_number_masked = models.CharField(_("ID number"), max_length=18)
    phone_sealed = models.TextField(blank=True)
    phone_masked = models.CharField(_("phone"), max_length=20, blank=True)
    birth_date = models.DateField(_("birth date"))
    gender = models.CharField(_("gender"), max_length=8)
    guardian_name = models.CharField(_("guardian's name"), max_length=50, blank=True)
    guardian_phone_sealed = models.TextField(blank=True)
    guardian_phone_masked = models.CharField(_("guardian's phone"), max_length=20, blank=True)
    guardian_consent_on = models.DateField(_("guardian's consent date"), null=True, blank=True)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    availability = models.CharField(_("availability"), max_length=200, blank=True)
    registered_path = models.CharField(_("home community"), max_length=12, db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=VolunteerStatus.choices, default=VolunteerStatus.ACTIVE
    )
    registered_at = models.DateTimeField(_("registered at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["registered_path", "name"]
        indexes = [
            models.Index(fields=["registered_path", "registered_at"], name="volunteer_path_reg"),
            # the figures' live count of active volunteers in an area, index-only (38 → 2 ms)
            models.Index(fields=["registered_path"], condition=Q(status="active"), name="volunteer_active_path"),
        ]

    def __str__(self) -> str:
        return self.name


class Activity(models.Model):
    """An activity or a recurring service, organised by a unit (`organiser_path`) and optionally a
    social organisation (`organisation_id`: the partners app's public id; no foreign key, the
    apps stay apart). Check-in by QR uses a link signed with `qr_secret`; by position within
    `radius_m` of (lat, lng)."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    organiser_path = models.CharField(_("organising unit"), max_length=12, db_index=True)
    organisation_id = models.UUIDField(_("social organisation"), null=True, blank=True, db_index=True)
    place = models.CharField(_("place"), max_length=200)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    radius_m = models.PositiveIntegerField(_("check-in radius (m)"), default=DEFAULT_RADIUS_M)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    recurring = models.BooleanField(_("recurring service"), default=False)
    recurrence = models.CharField(_("repeats"), max_length=100, blank=True)
    signup_mode = models.CharField(_("sign-up"), max_length=8, choices=SignUpMode.choices, default=SignUpMode.OPEN)
    required_skills = models.JSONField(_("required skills"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ActivityStatus.choices, default=ActivityStatus.DRAFT)
    qr_secret = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["organiser_path", "starts_at"], name="activity_path_start"),
            models.Index(fields=["status", "starts_at"], name="activity_status_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="activity_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title


class Shift(models.Model):
    """A slot of an activity with the number of volunteers needed."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="shifts")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    needed = models.PositiveIntegerField(_("volunteers needed"))

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start"),
            models.CheckConstraint(condition=Q(needed__gt=0), name="shift_needs_someone"),
        ]

    def __str__(self) -> str:
        return f"{self.activity} {self.starts_at:%Y-%m-%d %H:%M}"


class SignUp(models.Model):
    """A volunteer's sign-up for a shift. At most one active (requested or confirmed) per shift
    and volunteer; the organiser's participation rating (1–5) once the shift is over."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="signups")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="signups")
    state = models.CharField(_("state"), max_length=12, choices=SignUpState.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rating = models.PositiveSmallIntegerField(_("participation rating"), null=True, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "volunteer"],
                condition=Q(state__in=["requested", "confirmed"]),
                name="signup_one_active_per_shift",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="signup_rating_1_5"
            ),
        ]
        indexes = [models.Index(fields=["volunteer", "state"], name="signup_volunteer_state")]

    def __str__(self) -> str:
        return f"{self.volunteer} @ {self.shift}"


class ServiceHours(models.Model):
    """Service time, append-only: a row is never deleted, and once approved or rejected never
    changed (database triggers). A check-in row is open until check-out sets its end and
    minutes; reported hours wait for approval; proxy entries (代录) and corrections are approved
    when written. A correction is a new row with negative (or positive) minutes referencing the
    row it corrects. `checked_in_at`/`checked_out_at` are the service's start and end for every
    kind (check-in and check-out times for a check-in). Hours count where served
    (`served_path`) and where the volunteer is registered (`registered_path`)."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="hours")
    activity = models.ForeignKey(Activity, null=True, blank=True, on_delete=models.PROTECT, related_name="hours")
    shift = models.ForeignKey(Shift, null=True, blank=True, on_delete=models.PROTECT, related_name="hours")
    kind = models.CharField(_("kind"), max_length=12, choices=HoursKind.choices)
    minutes = models.IntegerField(_("minutes"), default=0)
    served_path = models.CharField(_("served in"), max_length=12)
    registered_path = models.CharField(_("registered in"), max_length=12)
    served_on = models.DateField(_("served on"))
    checked_in_at = models.DateTimeField(_("from"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("to"), null=True, blank=True)
    description = models.CharField(_("what was done"), max_length=300, blank=True)
    beneficiary = models.CharField(_("for whom"), max_length=100, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections")
    state = models.CharField(_("state"), max_length=12, choices=HoursState.choices)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("service hours")
        verbose_name_plural = _("service hours")
        ordering = ["-served_on", "-created_at"]
        # plus, on PostgreSQL, a BRIN index on served_on (migration 0002): the table is append-only
        # and in time order, so a month's rows lie in their own blocks (the figures' refresh)
        indexes = [
            # a volunteer's approved minutes as an index-only scan (bench volunteers: 8.4 → 0.26 ms
            # for the heaviest volunteer); the foreign key's own index serves the rest
            models.Index(
                fields=["volunteer"],
                include=["minutes"],
                condition=Q(state="approved"),
                name="hours_volunteer_approved",
            ),
            models.Index(fields=["served_path", "served_on"], name="hours_served"),
            models.Index(fields=["registered_path", "served_on"], name="hours_registered"),
            models.Index(fields=["state", "kind"], name="hours_state_kind"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "shift"], condition=Q(kind="check_in"), name="hours_one_check_in_per_shift"
            ),
            models.CheckConstraint(
                condition=Q(kind="correction", corrects__isnull=False) | (~Q(kind="correction") & Q(minutes__gte=0)),
                name="hours_correction_refers",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} {self.served_on} {self.minutes} min"


class VolunteerFigure(models.Model):
    """Stored figures per community and month (`linli volunteer-figures` recomputes them):
    volunteers registered by the month's end, active in the 12 months to its end, minutes served
    in the community and minutes of its registered volunteers."""

    path = models.CharField(max_length=12)
    month = models.DateField()
    registered = models.PositiveIntegerField(default=0)
    active_12m = models.PositiveIntegerField(default=0)
    served_minutes = models.BigIntegerField(default=0)
    registered_minutes = models.BigIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["path", "month"], name="volunteer_figure_unique")]
        indexes = [models.Index(fields=["month", "path"], name="volunteer_figure_month")]

    def __str__(self) -> str:
        return f"{self.path} {self.month:%Y-%m}"
