"""Entitlements: the versioned basic elderly-care service list and the capability assessments."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.care.domain.entitlements import CareLevel, ItemCategory
from linli.core.ids import uuid7

__all__ = ["CareAssessment", "ServiceItem", "ServiceList"]


class ServiceList(models.Model):
    """One version of the city's basic elderly-care service list (基本养老服务清单), like the
    desk's catalogue: drafted, published from a date, superseded by the next version."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    version = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    effective_from = models.DateField(_("in force from"), null=True, blank=True, db_index=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by_name = models.CharField(max_length=150, blank=True)
    document = models.CharField(_("document number"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("elderly-care service list")
        verbose_name_plural = _("elderly-care service lists")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class ServiceItem(models.Model):
    """An item of a list version. `conditions` is a list of ways to qualify, each a dict of
    `min_age`, `care_kinds`, `min_level`, `disability_levels` and `subsidy_share` (percent the
    government pays), read by `domain.entitlements.Condition.from_data`."""

    service_list = models.ForeignKey(ServiceList, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("item code"), max_length=16)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    category = models.CharField(_("category"), max_length=16, choices=ItemCategory.choices)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    unit = models.CharField(_("unit"), max_length=20, default="次")
    unit_en = models.CharField(_("English unit"), max_length=20, default="visit")
    duration_minutes = models.PositiveIntegerField(_("minutes per visit"), default=60)
    unit_price = models.DecimalField(_("unit price"), max_digits=8, decimal_places=2)
    monthly_cap = models.PositiveIntegerField(_("monthly cap"), default=0)  # 0: no cap
    conditions = models.JSONField(_("who qualifies"), default=list)
    own_cost_allowed = models.BooleanField(_("may be bought at own cost"), default=True)
    needs_photo = models.BooleanField(_("photos required"), default=False)
    for_beds = models.BooleanField(_("served in family care beds"), default=False)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("elderly-care service item")
        verbose_name_plural = _("elderly-care service items")
        ordering = ["service_list", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["service_list", "code"], name="care_item_code_once"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="care_item_price"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CareAssessment(models.Model):
    """A capability assessment of an elder (能力评估) on the form in force: answers sealed
    (health data), the total and the level kept plain for the rules and the figures."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    person_ref = models.UUIDField(db_index=True)
    household_ref = models.UUIDField(null=True, blank=True)
    path = models.CharField(max_length=18, db_index=True)
    form_code = models.CharField(_("form"), max_length=40)
    answers_sealed = models.TextField()
    score = models.PositiveIntegerField(_("score"))
    level = models.PositiveSmallIntegerField(_("care level"), choices=CareLevel.choices)
    assessed_on = models.DateField(_("assessed on"))
    valid_until = models.DateField(_("valid until"))
    superseded = models.BooleanField(default=False)
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    assessor_name = models.CharField(_("assessor"), max_length=150)
    second_assessor_name = models.CharField(_("second assessor"), max_length=150, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("capability assessment")
        verbose_name_plural = _("capability assessments")
        ordering = ["-assessed_on", "-pk"]
        indexes = [models.Index(fields=["path", "level"], name="care_assess_path_level")]
        constraints = [
            # one current assessment per elder (the service supersedes under the elder's lock)
            models.UniqueConstraint(
                fields=["person_ref"], condition=models.Q(superseded=False), name="care_assessment_current_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.form_code} {self.assessed_on}"
