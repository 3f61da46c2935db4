from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.accounts.domain import Role
from linli.core.ids import uuid7
from linli.residents.domain import (
    CareKind,
    ConsentMethod,
    ConsentScope,
    Disability,
    Education,
    Employment,
    Gender,
    MoveKind,
    Relation,
    ResidenceType,
    ResidentStatus,
    SealedField,
)


class Household(models.Model):
    """A household (户) at a room of a building. `path` is the building's, for scoping."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    building = models.ForeignKey("areas.Building", on_delete=models.PROTECT, related_name="households")
    room = models.CharField(_("room"), max_length=20)
    residence_type = models.CharField(_("residence type"), max_length=16, choices=ResidenceType.choices)
    head = models.ForeignKey(
        "Resident", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("head")
    )
    path = models.CharField(_("path"), max_length=18, db_index=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [models.UniqueConstraint(fields=["building", "room"], name="household_one_per_room")]

    def __str__(self) -> str:
        return f"{self.building} {self.room}"


class Resident(models.Model):
    """A person in the pool. ID number, phone and notes are sealed; masks are kept for display."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, null=True, blank=True, related_name="members")
    status = models.CharField(
        _("status"), max_length=16, choices=ResidentStatus.choices, default=ResidentStatus.ACTIVE, db_index=True
    )
    name = models.CharField(_("name"), max_length=50, db_index=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"), db_index=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True)
    id_number_sealed = models.TextField(blank=True)
    id_number_index = models.CharField(max_length=32, blank=True, db_index=True)
    id_number_masked = models.CharField(_("ID number"), max_length=18, blank=True)
    phone_sealed = models.TextField(blank=True)
    phone_index = models.CharField(max_length=32, blank=True, db_index=True)
    phone_masked = models.CharField(_("phone"), max_length=20, blank=True)
    notes_sealed = models.TextField(blank=True)
    relation = models.CharField(_("relation to head"), max_length=16, choices=Relation.choices, default=Relation.SELF)
    is_head = models.BooleanField(_("head of household"), default=False)
    party_member = models.BooleanField(_("party member"), default=False)
    education = models.CharField(_("education"), max_length=16, choices=Education.choices, blank=True)
    employment = models.CharField(_("employment"), max_length=16, choices=Employment.choices, blank=True)
    disability = models.CharField(_("disability"), max_length=2, choices=Disability.choices, blank=True)
    path = models.CharField(_("path"), max_length=18, db_index=True)
    user = models.OneToOneField(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="resident"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        constraints = [
            # one living record per person: a second active row with the same ID number is refused
            models.UniqueConstraint(
                fields=["id_number_index"],
                condition=Q(status="active") & ~Q(id_number_index=""),
                name="resident_one_active_per_id_number",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ResidenceChange(models.Model):
    """One move of a resident (迁入/迁出/死亡/注销): the residence history, append-only."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="moves")
    kind = models.CharField(_("kind"), max_length=16, choices=MoveKind.choices)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, null=True, blank=True, related_name="moves")
    on = models.DateField(_("date"))
    path = models.CharField(max_length=18, db_index=True)
    recorded_by = models.CharField(_("recorded by"), max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)
    # db_default: the bulk import writes move-ins by COPY without this column
    reason = models.CharField(_("reason"), max_length=200, blank=True, db_default="")

    class Meta:
        verbose_name = _("residence change")
        verbose_name_plural = _("residence changes")
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.resident} {self.kind} {self.on}"


class CareVisitRule(models.Model):
    """How often a member of a care group should be visited; editable per city."""

    kind = models.CharField(_("care group"), max_length=32, choices=CareKind.choices, unique=True)
    interval_days = models.PositiveSmallIntegerField(_("visit at least every (days)"))

    class Meta:
        verbose_name = _("visit rule")
        verbose_name_plural = _("visit rules")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.interval_days}"


class RevealRight(models.Model):
    """One row: holders of `role` may reveal `field_name` of a resident in their scope in clear,
    with a reason, audited. No row, no reveal. The city edits the table
    (`reveal_rights_set`, every change audited); defaults in `DEFAULT_REVEAL_RIGHTS`."""

    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    field_name = models.CharField(_("field"), max_length=20, choices=SealedField.choices)

    class Meta:
        verbose_name = _("reveal right")
        verbose_name_plural = _("reveal rights")
        ordering = ["role", "field_name"]
        constraints = [
            models.UniqueConstraint(fields=["role", "field_name"], name="reveal_right_once"),
            models.CheckConstraint(condition=Q(field_name__in=SealedField.values), name="reveal_right_sealed_field"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.get_field_name_display()}"


class CareMembership(models.Model):
    """A resident's membership of a special-care group (特殊群体), with its period and source."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="care_memberships")
    kind = models.CharField(_("care group"), max_length=32, choices=CareKind.choices, db_index=True)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=100, blank=True)
    path = models.CharField(max_length=18, db_index=True)

    class Meta:
        verbose_name = _("care group membership")
        verbose_name_plural = _("care group memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "kind"], condition=Q(ended_on__isnull=True), name="care_one_open_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resident} {self.kind}"


class HomeVisit(models.Model):
    """A door-to-door visit (走楼入户) to a household. Findings are sealed free text."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="visits")
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    visited_at = models.DateTimeField(_("visited at"), db_index=True)
    findings_sealed = models.TextField(blank=True)
    follow_up_needed = models.BooleanField(_("follow-up needed"), default=False)
    # Filled when the follow-up becomes a grid event or a service case (those apps link back here).
    follow_up_ref = models.CharField(_("follow-up reference"), max_length=40, blank=True)
    path = models.CharField(max_length=18, db_index=True)

    class Meta:
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")
        indexes = [models.Index(fields=["household", "-visited_at"])]

    def __str__(self) -> str:
        return f"{self.household} {self.visited_at:%Y-%m-%d}"


class Consent(models.Model):
    """Separate consent to collect sensitive personal information (PIPL Art. 28–29)."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="consents")
    scope = models.CharField(_("scope"), max_length=16, choices=ConsentScope.choices)
    method = models.CharField(_("method"), max_length=16, choices=ConsentMethod.choices)
    given_on = models.DateField(_("given on"))
    recorded_by = models.CharField(_("recorded by"), max_length=150)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.resident} {self.scope}"


class CommunityPoolStats(models.Model):
    """The plan's pool figures for one community or village, computed by `linli tick`, so that
    district and city rates are sums over ~2,700 rows instead of scans of millions."""

    path = models.CharField(max_length=12, unique=True)
    computed_at = models.DateTimeField()
    households = models.PositiveIntegerField(default=0)
    residents = models.PositiveIntegerField(default=0)
    households_visited = models.PositiveIntegerField(default=0)
    care_residents = models.PositiveIntegerField(default=0)
    care_visited = models.PositiveIntegerField(default=0)
    complete_records = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("community pool figures")
        verbose_name_plural = _("community pool figures")

    def __str__(self) -> str:
        return f"{self.path} @ {self.computed_at:%Y-%m-%d %H:%M}"


class ImportJob(models.Model):
    """One uploaded resident file imported in the background: its progress, counts and error file."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("file"), max_length=200)
    stored_path = models.CharField(max_length=300)  # relative to MEDIA_ROOT
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    error_file = models.CharField(max_length=300, blank=True)  # relative to MEDIA_ROOT
    message = models.CharField(_("message"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"
