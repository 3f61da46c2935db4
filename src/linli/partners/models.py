from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.ids import uuid7
from linli.partners.domain import CertificateLevel, OrgKind, OrgStatus, PremisesStatus


class SocialOrg(models.Model):
    """A community social organisation of the register. `unit_path` is the org unit where it is
    based (community, street or district; the city for a citywide one): what scope filters on."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=160, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=OrgKind.choices)
    status = models.CharField(_("registration"), max_length=16, choices=OrgStatus.choices)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    unit_path = models.CharField(_("based in"), max_length=12, db_index=True)
    citywide = models.BooleanField(_("citywide"), default=False)
    responsible_name = models.CharField(_("responsible person"), max_length=50)
    responsible_phone = models.TextField(_("responsible person's phone (sealed)"), blank=True)
    responsible_phone_masked = models.CharField(_("phone (masked)"), max_length=20, blank=True)
    premises = models.CharField(_("premises"), max_length=200, blank=True)
    services = models.TextField(_("services offered"), blank=True)
    founded_on = models.DateField(_("founded"), null=True, blank=True)
    filed_on = models.DateField(_("registered or filed on"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    deregistered_on = models.DateField(_("deregistered on"), null=True, blank=True)
    deregistration_reason = models.CharField(_("reason for deregistration"), max_length=300, blank=True)
    # the latest evaluation's grade, kept by the evaluation service (what lists filter on)
    grade = models.CharField(_("grade"), max_length=4, blank=True)
    grade_year = models.PositiveSmallIntegerField(_("graded in"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("social organisation")
        verbose_name_plural = _("social organisations")
        ordering = ["unit_path", "name"]
        indexes = [models.Index(fields=["kind", "active"]), models.Index(fields=["citywide", "unit_path"])]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=~models.Q(credit_code=""), name="partners_credit_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EvaluationSheet(models.Model):
    """A scoring sheet kept as data: criteria (key, name, name_en, max_points, weight) and grade
    thresholds ([grade, minimum total] pairs)."""

    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=160, blank=True)
    criteria = models.JSONField(_("criteria"), default=list)
    thresholds = models.JSONField(_("grade thresholds"), default=list)
    is_default = models.BooleanField(_("default sheet"), default=False)
    verified = models.BooleanField(_("checked against the city's rules"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("scoring sheet")
        verbose_name_plural = _("scoring sheets")
        ordering = ["-is_default", "name"]

    def __str__(self) -> str:
        return self.name


class OrgEvaluation(models.Model):
    """One organisation's yearly evaluation: scores per criterion, total and grade."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    social_org = models.ForeignKey(SocialOrg, on_delete=models.PROTECT, related_name="evaluations")
    year = models.PositiveSmallIntegerField(_("year"))
    sheet = models.ForeignKey(EvaluationSheet, on_delete=models.PROTECT, related_name="evaluations")
    # the sheet's criteria as they were when scored: a later edit of the sheet changes no history
    criteria = models.JSONField(_("criteria scored"), default=list)
    scores = models.JSONField(_("scores"), default=dict)  # criterion key -> points (text)
    total = models.DecimalField(_("total"), max_digits=5, decimal_places=1)
    grade = models.CharField(_("grade"), max_length=4, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    evaluated_by = models.CharField(_("evaluated by"), max_length=150)
    evaluated_at = models.DateTimeField(_("evaluated at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["social_org", "year"], name="partners_one_evaluation_a_year")]

    def __str__(self) -> str:
        return f"{self.social_org} {self.year}"


class OrgMember(models.Model):
    """Which organisation an organiser account speaks for."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="org_memberships")
    social_org = models.ForeignKey(SocialOrg, on_delete=models.CASCADE, related_name="members")
    linked_by = models.CharField(_("linked by"), max_length=150)
    linked_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation account")
        verbose_name_plural = _("organisation accounts")
        constraints = [models.UniqueConstraint(fields=["user", "social_org"], name="partners_member_once")]

    def __str__(self) -> str:
        return f"{self.user} → {self.social_org}"


class SocialWorkStation(models.Model):
    """A street's social-work station (社工站); at most one per street."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    street_path = models.CharField(_("street"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    brand = models.BooleanField(_("brand station"), default=False)
    brand_year = models.PositiveSmallIntegerField(_("brand station since"), null=True, blank=True)
    brand_reason = models.CharField(_("why a brand station"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("social-work station")
        verbose_name_plural = _("social-work stations")
        ordering = ["street_path"]

    def __str__(self) -> str:
        return self.name


class SocialWorker(models.Model):
    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    station = models.ForeignKey(SocialWorkStation, on_delete=models.PROTECT, related_name="workers")
    name = models.CharField(_("name"), max_length=50)
    phone = models.TextField(_("phone (sealed)"), blank=True)
    phone_masked = models.CharField(_("phone (masked)"), max_length=20, blank=True)
    certificate_level = models.CharField(
        _("certificate"), max_length=16, choices=CertificateLevel.choices, default=CertificateLevel.NONE
    )
    certificate_number = models.CharField(_("certificate number"), max_length=40, blank=True)
    since = models.DateField(_("at the station since"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("social worker")
        verbose_name_plural = _("social workers")
        ordering = ["station", "name"]

    def __str__(self) -> str:
        return self.name


class Premises(models.Model):
    """Idle premises an enterprise offers and the community space they become. `path` is the
    community using it once in use, else the unit where it was offered (scope filters on it)."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    offerer = models.CharField(_("offered by"), max_length=100)
    state_owned = models.BooleanField(_("state-owned enterprise"), default=False)
    address = models.CharField(_("address"), max_length=200)
    area_m2 = models.DecimalField(_("area (m²)"), max_digits=9, decimal_places=1)
    term_from = models.DateField(_("term from"))
    term_to = models.DateField(_("term to"))
    conditions = models.CharField(_("terms of use"), max_length=300, blank=True)
    path = models.CharField(_("area"), max_length=12, db_index=True)
    community_path = models.CharField(_("community using it"), max_length=12, blank=True)
    use = models.CharField(_("use"), max_length=200, blank=True)
    opened_on = models.DateField(_("opened as a community space"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PremisesStatus.choices, default=PremisesStatus.OFFERED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("premises")
        verbose_name_plural = _("premises")
        ordering = ["path", "term_to"]
        constraints = [
            models.CheckConstraint(condition=models.Q(area_m2__gt=0), name="premises_area_positive"),
            models.CheckConstraint(condition=models.Q(term_to__gte=models.F("term_from")), name="premises_term_order"),
        ]

    def __str__(self) -> str:
        return f"{self.offerer} {self.address}"
