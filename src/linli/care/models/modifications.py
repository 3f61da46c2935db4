"""Elder-friendly home modification (适老化改造): the standard items with dated prices, the subsidy
cap, applications with their planned lines, before/after photos (sealed), the append-only
timeline, and the households' target per district."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.care.domain.modifications import OPEN_STATES, ModChannel, ModState, PhotoStage
from linli.core.ids import uuid7

__all__ = [
    "ModificationApplication",
    "ModificationCap",
    "ModificationItem",
    "ModificationLine",
    "ModificationPhoto",
    "ModificationStep",
    "ModificationTarget",
]


class ModificationItem(models.Model):
    """One standard item at one price from `valid_from` on. A price change is a new row with a
    later date (the old row stays for the quotes that used it); `retired` hides an item from new
    assessments from its row's date."""

    code = models.CharField(max_length=40)
    group = models.CharField(max_length=20)
    group_name = models.CharField(max_length=20)
    group_name_en = models.CharField(max_length=40)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=80)
    unit = models.CharField(_("unit"), max_length=10)
    unit_en = models.CharField(max_length=20)
    unit_price = models.DecimalField(_("unit price"), max_digits=10, decimal_places=2)
    basic = models.BooleanField(_("basic (subsidised)"), default=True)
    retired = models.BooleanField(default=False)
    valid_from = models.DateField(_("valid from"))
    set_by_name = models.CharField(max_length=150, blank=True)
    set_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["code", "-valid_from", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="care_moditem_code_day"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="care_moditem_price"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.valid_from}"


class ModificationCap(models.Model):
    """The subsidy cap per household for the basic items, from `valid_from` on."""

    amount = models.DecimalField(max_digits=10, decimal_places=2)
    valid_from = models.DateField(unique=True)

    class Meta:
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"{self.amount} {self.valid_from}"


class ModificationApplication(models.Model):
    """One household's home modification, from the application to the subsidy paid. At most one
    open application per household (a partial unique index)."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    number = models.CharField(_("number"), max_length=24, unique=True)
    channel = models.CharField(_("channel"), max_length=10, choices=ModChannel.choices)
    state = models.CharField(_("state"), max_length=10, choices=ModState.choices, db_index=True)
    person_ref = models.UUIDField(db_index=True)
    person_name = models.CharField(_("elder"), max_length=50)
    household_ref = models.UUIDField(db_index=True)
    path = models.CharField(max_length=18, db_index=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    assess_due = models.DateField(_("assessment due"), null=True, blank=True)
    cap = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    total = models.DecimalField(_("quote"), max_digits=10, decimal_places=2, null=True, blank=True)
    subsidy = models.DecimalField(_("subsidy"), max_digits=10, decimal_places=2, null=True, blank=True)
    own_share = models.DecimalField(_("household's share"), max_digits=10, decimal_places=2, null=True, blank=True)
    contractor = models.ForeignKey("care.Provider", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    contractor_name = models.CharField(_("contractor"), max_length=100, blank=True)
    works_start = models.DateField(_("works start"), null=True, blank=True)
    works_finish = models.DateField(_("works finish"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    pay_due = models.DateField(_("subsidy due"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True, db_index=True)
    paid_amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    reason = models.CharField(_("reasons"), max_length=500, blank=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    applied_by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("home modification")
        verbose_name_plural = _("home modifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "path"], name="care_mod_state_path")]
        constraints = [
            models.UniqueConstraint(
                fields=["household_ref"],
                condition=Q(state__in=sorted(OPEN_STATES)),
                name="care_mod_one_open_per_household",
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="care_mod_satisfaction",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class ModificationLine(models.Model):
    """One planned item of an application with its quantity, the price of the day of the
    assessment, and at acceptance the reason when there is no after photo."""

    application = models.ForeignKey(ModificationApplication, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(ModificationItem, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(max_digits=6, decimal_places=1)
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)
    basic = models.BooleanField()
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    note = models.CharField(max_length=200, blank=True)
    no_photo_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["item__group", "item__code", "pk"]

    def __str__(self) -> str:
        return f"{self.item_id} × {self.quantity}"


class ModificationPhoto(models.Model):
    """A photo before the works (of the home) or after (of one planned item). Sealed at rest
    (AES-GCM): the inside of an elder's home."""

    application = models.ForeignKey(ModificationApplication, on_delete=models.CASCADE, related_name="photos")
    line = models.ForeignKey(ModificationLine, on_delete=models.CASCADE, null=True, blank=True, related_name="photos")
    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    stage = models.CharField(max_length=8, choices=PhotoStage.choices)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sealed = models.BinaryField()
    uploaded_by_name = models.CharField(max_length=150)
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return str(self.public_id)


class ModificationStep(models.Model):
    """One step of an application (its timeline). Append-only."""

    application = models.ForeignKey(ModificationApplication, on_delete=models.PROTECT, related_name="steps")
    action = models.CharField(max_length=12)
    from_state = models.CharField(max_length=10, blank=True)
    to_state = models.CharField(max_length=10)
    note = models.CharField(max_length=500, blank=True)
    actor_id = models.BigIntegerField(null=True)
    actor_name = models.CharField(max_length=150)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["application", "at"], name="care_modstep_at")]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d}"


class ModificationTarget(models.Model):
    """A district's share of the city's households to modify by the goal year (the city sets it;
    without a row the default split applies)."""

    district_path = models.CharField(max_length=6, unique=True)
    households = models.PositiveIntegerField()
    set_by_name = models.CharField(max_length=150)
    set_at = models.DateTimeField()

    class Meta:
        ordering = ["district_path"]

    def __str__(self) -> str:
        return f"{self.district_path}: {self.households}"
