from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.ids import uuid7
from linli.service_desk.domain import (
    OPEN_STATES,
    CaseState,
    Category,
    Channel,
    DecidingLevel,
    Decision,
    DeliveryMethod,
    FollowUpMethod,
    HandoffStep,
    ProxyConsentMethod,
    RatingChannel,
    RatingLevel,
    RectificationState,
    RectificationVerdict,
    in_page_language,
)


class ServiceItem(models.Model):
    """A catalogue item's lasting identity; its content lives in versions."""

    code = models.CharField(_("item code"), max_length=32, unique=True)
    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    current = models.ForeignKey("ServiceItemVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    is_active = models.BooleanField(_("in the catalogue"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("service catalogue")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class ServiceItemVersion(models.Model):
    """One version of an item. Never edited: an edit creates the next version, and a case keeps
    the version it started with."""

    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200, db_index=True)
    item_type = models.CharField(_("item type"), max_length=4)
    deciding_level = models.CharField(_("decided at"), max_length=16, choices=DecidingLevel.choices)
    department_kind = models.CharField(_("deciding department"), max_length=32, blank=True)
    promised_days = models.PositiveSmallIntegerField(_("promised time limit (working days)"))
    legal_days = models.PositiveSmallIntegerField(_("legal time limit (working days)"), null=True, blank=True)
    limits_verified = models.BooleanField(_("time limits verified"), default=False)
    conditions = models.TextField(_("conditions"), blank=True)
    materials = models.JSONField(_("materials"), default=list)
    channels = models.JSONField(_("channels"), default=list)
    citywide = models.BooleanField(_("handled anywhere in the city"), default=True)
    allows_deferral = models.BooleanField(_("accepts promised material (容缺)"), default=True)
    fee = models.CharField(_("fee"), max_length=100, blank=True)
    retention_years = models.PositiveSmallIntegerField(_("archive retention (years)"), default=10)
    source = models.TextField(_("source"), blank=True)
    # What residents search and read (the guide): a theme, words people use for it, the steps,
    # the legal basis, common questions, a phone number and forms to download.
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    category = models.CharField(_("theme"), max_length=32, choices=Category.choices, blank=True)
    keywords = models.CharField(_("keywords"), max_length=500, blank=True)
    steps = models.JSONField(_("steps"), default=list, blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    faq = models.JSONField(_("common questions"), default=list, blank=True)
    phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    forms = models.JSONField(_("forms to download"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(_("created by"), max_length=150)

    class Meta:
        verbose_name = _("service item version")
        verbose_name_plural = _("service item versions")
        ordering = ["item", "-version"]
        constraints = [models.UniqueConstraint(fields=["item", "version"], name="item_version_unique")]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def title(self) -> str:
        """The name in the page's language (Chinese where no English name was given)."""
        return in_page_language(self.name, self.name_en)


class SearchSynonym(models.Model):
    """Words residents type for what the catalogue calls otherwise (老人 → 高龄 养老 老年): the
    catalogue search also looks for the synonyms. Edited in the admin; seeded from
    `data/search_synonyms.csv`."""

    term = models.CharField(_("word"), max_length=20, unique=True)
    synonyms = models.CharField(_("also look for"), max_length=200, help_text=_("Separated by spaces"))

    class Meta:
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")
        ordering = ["term"]

    def __str__(self) -> str:
        return f"{self.term} → {self.synonyms}"


class CaseNumberCounter(models.Model):
    """The last sequence number used per district and day; locked to draw the next."""

    prefix = models.CharField(max_length=20, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix}: {self.last}"


class ServiceCase(models.Model):
    """One application (办件), from submission to archive."""

    number = models.CharField(_("case number"), max_length=32, unique=True)
    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="cases")
    item_version = models.ForeignKey(ServiceItemVersion, on_delete=models.PROTECT, related_name="cases")
    state = models.CharField(_("state"), max_length=24, choices=CaseState.choices)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, blank=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    # The applicant, as the pool knew them when applying (masked values only; PII stays in residents).
    applicant_ref = models.UUIDField(_("applicant"), db_index=True)
    applicant_name = models.CharField(_("applicant name"), max_length=50)
    applicant_id_masked = models.CharField(_("applicant ID number"), max_length=18)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    home_path = models.CharField(_("applicant's home"), max_length=18)
    accepted_path = models.CharField(_("accepting community"), max_length=12, db_index=True)
    handling_path = models.CharField(_("deciding unit"), max_length=12)
    handling_department = models.ForeignKey(
        "areas.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answers = models.JSONField(_("application details"), default=dict, blank=True)
    checklist = models.JSONField(_("materials checklist"), default=dict, blank=True)
    deferred_until = models.DateField(_("promised material by"), null=True, blank=True)
    home_visit_at = models.DateTimeField(_("home visit"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    legal_due_on = models.DateField(_("legal deadline"), null=True, blank=True)
    calendar_provisional = models.BooleanField(_("due date uses an unpublished calendar year"), default=False)
    paused_on = models.DateField(_("paused since"), null=True, blank=True)
    paused_days = models.PositiveSmallIntegerField(_("working days paused"), default=0)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("decision reasons"), blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    delivery_method = models.CharField(_("delivery"), max_length=16, choices=DeliveryMethod.choices, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    finished_on_time = models.BooleanField(_("decided on time"), null=True, blank=True)
    due_soon_notified = models.BooleanField(default=False)
    overdue_notified = models.BooleanField(default=False)
    rating_invited = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("service case")
        verbose_name_plural = _("service cases")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["handling_path", "state", "due_on"], name="case_handling_queue"),
            models.Index(fields=["accepted_path", "state", "due_on"], name="case_accepted_queue"),
            models.Index(fields=["handling_department", "state", "due_on"], name="case_department_queue"),
            models.Index(fields=["state", "due_on"], name="case_state_due"),
            models.Index(fields=["applicant_user", "-submitted_at"], name="case_applicant"),
            models.Index(fields=["decided_at"], name="case_decided_at"),
            # open and overdue counts per unit read this small index only (PostgreSQL INCLUDE)
            models.Index(
                fields=["handling_path"],
                include=["state", "due_on"],
                condition=models.Q(state__in=sorted(OPEN_STATES)),
                name="case_open_handling",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class CaseEvent(models.Model):
    """One append-only line of a case's timeline: the source of the timeline, audit and KPIs."""

    case = models.ForeignKey(ServiceCase, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("time"))
    action = models.CharField(_("action"), max_length=32)
    from_state = models.CharField(_("from"), max_length=24, blank=True)
    to_state = models.CharField(_("to"), max_length=24, blank=True)
    actor_user_id = models.BigIntegerField(null=True, blank=True)
    actor_name = models.CharField(_("by"), max_length=150)
    actor_unit = models.CharField(_("unit"), max_length=18, blank=True)
    note = models.TextField(_("note"), blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class ProxyConsent(models.Model):
    """代办: the applicant's consent for a worker to handle a case on their behalf; time-boxed."""

    case = models.OneToOneField(ServiceCase, on_delete=models.PROTECT, related_name="proxy")
    agent_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agent_name = models.CharField(_("agent"), max_length=150)
    method = models.CharField(_("consent given by"), max_length=16, choices=ProxyConsentMethod.choices)
    reason = models.CharField(_("why by proxy"), max_length=200)
    valid_until = models.DateField(_("valid until"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("proxy consent")
        verbose_name_plural = _("proxy consents")

    def __str__(self) -> str:
        return f"{self.case_id} by {self.agent_name}"


class CaseRating(models.Model):
    """好差评: the applicant's rating of a finished case (one per case)."""

    case = models.OneToOneField(ServiceCase, on_delete=models.PROTECT, related_name="rating")
    score = models.PositiveSmallIntegerField(_("rating"), choices=RatingLevel.choices)
    channel = models.CharField(_("rated through"), max_length=16, choices=RatingChannel.choices)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("rated"))
    # Denormalised so satisfaction per unit, item and worker is one indexed scan.
    handling_path = models.CharField(max_length=12, db_index=True)
    accepted_path = models.CharField(max_length=12, db_index=True)
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        indexes = [models.Index(fields=["rated_at"], name="rating_rated_at")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.score}"


class Rectification(models.Model):
    """差评整改: opened by a bad rating, followed up, closed with a verdict."""

    rating = models.OneToOneField(CaseRating, on_delete=models.PROTECT, related_name="rectification")
    case = models.ForeignKey(ServiceCase, on_delete=models.PROTECT, related_name="rectifications")
    state = models.CharField(_("state"), max_length=16, choices=RectificationState.choices)
    due_on = models.DateField(_("due"))
    handling_path = models.CharField(max_length=12, db_index=True)
    accepted_path = models.CharField(max_length=12, db_index=True)
    verdict = models.CharField(_("verdict"), max_length=16, choices=RectificationVerdict.choices, blank=True)
    summary = models.TextField(_("what was done"), blank=True)
    opened_at = models.DateTimeField(_("opened"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.CharField(_("closed by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.state}"


class FollowUp(models.Model):
    """回访: a call or visit to the resident who gave a bad rating."""

    rectification = models.ForeignKey(Rectification, on_delete=models.PROTECT, related_name="follow_ups")
    at = models.DateTimeField(_("time"))
    method = models.CharField(_("how"), max_length=16, choices=FollowUpMethod.choices)
    summary = models.TextField(_("summary"))
    resident_satisfied = models.BooleanField(_("resident satisfied now"), null=True)
    by_name = models.CharField(_("by"), max_length=150)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.rectification_id} {self.at:%Y-%m-%d}"


class CaseMaterial(models.Model):
    """An uploaded material (a photo or scan), encrypted at rest in the data folder."""

    case = models.ForeignKey(ServiceCase, on_delete=models.PROTECT, related_name="materials")
    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    material_key = models.CharField(_("material"), max_length=16)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=60)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    stored_name = models.CharField(max_length=80)
    uploaded_at = models.DateTimeField(_("uploaded"))
    uploaded_by = models.CharField(_("uploaded by"), max_length=150)
    purged_at = models.DateTimeField(_("deleted after retention"), null=True, blank=True)

    class Meta:
        verbose_name = _("case material")
        verbose_name_plural = _("case materials")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.material_key} {self.filename}"


class FileHandoff(models.Model):
    """The paper file's journey (收件 → 流转 → 签收 → 出件) when it must move between the
    accepting community and the deciding office: who holds it, since when."""

    case = models.ForeignKey(ServiceCase, on_delete=models.PROTECT, related_name="handoffs")
    step = models.CharField(_("step"), max_length=16, choices=HandoffStep.choices)
    at = models.DateTimeField(_("time"))
    holder_path = models.CharField(_("held at"), max_length=12)
    holder_name = models.CharField(_("held by"), max_length=150)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("file hand-off")
        verbose_name_plural = _("file hand-offs")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.step} {self.at:%Y-%m-%d %H:%M}"


class ArchiveRecord(models.Model):
    """服务档案: a closed case frozen as a record (snapshot and its hash) with its retention."""

    case = models.OneToOneField(ServiceCase, on_delete=models.PROTECT, related_name="archive")
    archived_at = models.DateTimeField(_("archived"))
    retention_until = models.DateField(_("keep until"), db_index=True)
    snapshot = models.JSONField(_("record"))
    sha256 = models.CharField(max_length=64)
    purged_at = models.DateTimeField(_("materials deleted"), null=True, blank=True)

    class Meta:
        verbose_name = _("archive record")
        verbose_name_plural = _("archive")

    def __str__(self) -> str:
        return f"{self.case_id} until {self.retention_until}"


class DeskDayFigures(models.Model):
    """One deciding unit's finished figures for one past day (decided, on time, ratings), stored
    by `linli tick` so a year of the city's figures sums a few thousand rows instead of scanning
    millions of cases; today is always counted live."""

    day = models.DateField()
    handling_path = models.CharField(max_length=12)
    decided = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    bad = models.PositiveIntegerField(default=0)
    score_sum = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "handling_path"], name="desk_day_figures_unique")]
        indexes = [models.Index(fields=["handling_path", "day"], name="desk_day_figures_path")]

    def __str__(self) -> str:
        return f"{self.day} {self.handling_path}"


class ServiceWindow(models.Model):
    """A community's service window as printed on the acceptance receipt and the one-time notice:
    where it is and how to reach it. Edited in the admin (one row per accepting community)."""

    org_path = models.CharField(_("community"), max_length=12, unique=True)
    name = models.CharField(_("window name"), max_length=100)
    address = models.CharField(_("address"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40)
    hours = models.CharField(_("office hours"), max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("service window")
        verbose_name_plural = _("service windows")
        ordering = ["org_path"]

    def __str__(self) -> str:
        return self.name


class MaterialsNotice(models.Model):
    """一次性告知书 as issued: its number (printed on the sheet), what was missing and by when, so
    a resident who comes back with it is recognised and a complaint can be checked."""

    number = models.CharField(_("notice number"), max_length=32, unique=True)
    item_version = models.ForeignKey(ServiceItemVersion, on_delete=models.PROTECT, related_name="+")
    applicant_ref = models.UUIDField(_("applicant"), db_index=True)
    applicant_name = models.CharField(_("applicant name"), max_length=50)
    desk_path = models.CharField(_("issued at"), max_length=12, db_index=True)
    missing = models.JSONField(_("missing materials"), default=list)
    deadline = models.DateField(_("bring them by"))
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.CharField(_("issued by"), max_length=150)

    class Meta:
        verbose_name = _("one-time notice")
        verbose_name_plural = _("one-time notices")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return self.number
