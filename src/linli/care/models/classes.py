"""Happy-education classes (幸福教育): residents' requests and votes, the lecturer pool, classes
with sessions, enrolments (a waiting list past capacity), attendance and model sites."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.care.domain.classes import Audience, ClassState, EnrolState, LecturerKind, RequestState, SiteLevel
from linli.core.ids import uuid7

__all__ = [
    "ClassAttendance",
    "ClassEnrolment",
    "ClassRequest",
    "ClassSession",
    "ClassVote",
    "HappyClass",
    "Lecturer",
    "ModelSite",
]


class Lecturer(models.Model):
    """One of the lecturer pool (多元送课): a person, a school, a social organisation or a
    volunteer, registered by a unit (`path`: seen there and below) for the communities it serves.
    `volunteer_ref` and `social_org_ref` point at the five-party registers (read-only)."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=LecturerKind.choices)
    path = models.CharField(max_length=12, db_index=True)
    topics = models.CharField(_("topics"), max_length=300)
    communities = models.JSONField(_("communities served"), default=list)  # community paths
    volunteer_ref = models.UUIDField(null=True, blank=True)
    social_org_ref = models.UUIDField(null=True, blank=True)
    rating_sum = models.PositiveIntegerField(default=0)
    rating_count = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)
    created_by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("lecturer")
        verbose_name_plural = _("lecturers")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class HappyClass(models.Model):
    """A class a community plans (from requests or on its own): a lecturer, a classroom (a
    facility of the registry, by reference, its name copied), sessions, a capacity held by the
    locked counters `enrolled` and `waiting`."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    path = models.CharField(max_length=12, db_index=True)  # the community
    title = models.CharField(_("title"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    lecturer = models.ForeignKey(Lecturer, on_delete=models.PROTECT, null=True, blank=True, related_name="classes")
    facility_ref = models.UUIDField(null=True, blank=True)
    classroom = models.CharField(_("classroom"), max_length=100)
    capacity = models.PositiveIntegerField(_("capacity"))
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, default=Audience.ALL)
    state = models.CharField(_("state"), max_length=8, choices=ClassState.choices, default=ClassState.DRAFT)
    enrolled = models.PositiveIntegerField(default=0)
    waiting = models.PositiveIntegerField(default=0)
    queue_seq = models.PositiveIntegerField(default=0)  # the last waiting-list number given
    rating_sum = models.PositiveIntegerField(default=0)
    rating_count = models.PositiveIntegerField(default=0)
    created_by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("happy-education class")
        verbose_name_plural = _("happy-education classes")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["path", "state"], name="care_class_path_state")]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="care_class_capacity"),
            models.CheckConstraint(condition=Q(enrolled__lte=models.F("capacity")), name="care_class_within_capacity"),
        ]

    def __str__(self) -> str:
        return self.title


class ClassSession(models.Model):
    """One meeting of a class; `attendance_at` is set when the worker records who came."""

    happy_class = models.ForeignKey(HappyClass, on_delete=models.CASCADE, related_name="sessions")
    path = models.CharField(max_length=12, db_index=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    attendance_at = models.DateTimeField(null=True, blank=True)
    present = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["path", "starts_at"], name="care_class_session_day")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="care_class_session_times")
        ]

    def __str__(self) -> str:
        return f"{self.happy_class} {self.starts_at:%Y-%m-%d %H:%M}"


class ClassRequest(models.Model):
    """A topic residents ask their community for (居民点单), supported by votes (one per account,
    counted in `votes`); the community answers: planned (the class) or declined (the reason is
    shown to residents)."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    path = models.CharField(max_length=12, db_index=True)  # the community
    title = models.CharField(_("topic"), max_length=80)
    why = models.CharField(_("why"), max_length=500)
    preferred_times = models.CharField(_("preferred times"), max_length=100, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    votes = models.PositiveIntegerField(default=0)
    state = models.CharField(_("state"), max_length=10, choices=RequestState.choices, default=RequestState.OPEN)
    happy_class = models.ForeignKey(
        HappyClass, on_delete=models.SET_NULL, null=True, blank=True, related_name="requests"
    )
    decline_reason = models.CharField(_("reason"), max_length=300, blank=True)
    answered_by_name = models.CharField(max_length=150, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("class request")
        verbose_name_plural = _("class requests")
        ordering = ["-votes", "created_at", "pk"]
        indexes = [models.Index(fields=["path", "state", "votes"], name="care_class_req_rank")]

    def __str__(self) -> str:
        return self.title


class ClassVote(models.Model):
    """One resident account's support of a request (withdrawn: the row is deleted, the count
    goes down under the request's row lock)."""

    request = models.ForeignKey(ClassRequest, on_delete=models.CASCADE, related_name="vote_rows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "user"], name="care_class_vote_once")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.request_id}"


class ClassEnrolment(models.Model):
    """A resident's place in a class, or their number on its waiting list (`queue_no`: the
    position is the count of those waiting with a smaller number); cancelled rows are kept."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    happy_class = models.ForeignKey(HappyClass, on_delete=models.PROTECT, related_name="enrolments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    person_ref = models.UUIDField(null=True, blank=True)
    person_name = models.CharField(_("name"), max_length=50)
    path = models.CharField(max_length=18, db_index=True)  # the resident's household
    state = models.CharField(_("state"), max_length=10, choices=EnrolState.choices)
    queue_no = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.CharField(_("comment"), max_length=300, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["happy_class", "state", "queue_no"], name="care_class_enrol_queue")]
        constraints = [
            models.UniqueConstraint(
                fields=["happy_class", "user"],
                condition=Q(state__in=["enrolled", "waiting"]),
                name="care_class_enrol_once",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="care_class_rating"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} → {self.happy_class}"


class ClassAttendance(models.Model):
    """Whether an enrolled resident came to a session (one row per session and enrolment)."""

    session = models.ForeignKey(ClassSession, on_delete=models.CASCADE, related_name="attendance")
    enrolment = models.ForeignKey(ClassEnrolment, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "enrolment"], name="care_class_attend_once")]

    def __str__(self) -> str:
        return f"{self.session_id} {self.enrolment_id} {self.present}"


class ModelSite(models.Model):
    """A happy-education model site (幸福教育示范点): a community (and its classroom) designated
    by the district or the city on a date."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    path = models.CharField(max_length=12, unique=True)  # the community; designated once
    facility_ref = models.UUIDField(null=True, blank=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("designated by"), max_length=8, choices=SiteLevel.choices)
    designated_on = models.DateField(_("designated on"))
    document = models.CharField(_("document number"), max_length=100, blank=True)
    created_by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("model site")
        verbose_name_plural = _("model sites")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name
