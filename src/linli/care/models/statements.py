"""Family care beds' terms and the monthly statements per provider (结算单) with their lines. A
statement is frozen once approved: the database refuses changes to its lines (and any new line),
and to the statement itself except recording its payment; a correction is a line of a
supplementary statement."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.care.domain.statements import StatementKind, StatementState
from linli.care.models.orders import CareBed, Visit
from linli.care.models.providers import Provider
from linli.core.ids import uuid7

__all__ = ["BedTerms", "Statement", "StatementLine"]


class BedTerms(models.Model):
    """What a bed's visits cost, fixed at registration from the entitlement check (the share the
    elder qualifies for on the bed item), so each scheduled visit carries its amounts."""

    bed = models.OneToOneField(CareBed, on_delete=models.CASCADE, related_name="terms")
    unit_price = models.DecimalField(_("unit price"), max_digits=8, decimal_places=2)
    subsidy_share = models.PositiveSmallIntegerField(_("subsidy share (%)"))
    government_per_visit = models.DecimalField(max_digits=10, decimal_places=2)
    resident_per_visit = models.DecimalField(max_digits=10, decimal_places=2)

    def __str__(self) -> str:
        return f"{self.bed} {self.subsidy_share}%"


class Statement(models.Model):
    """A provider's monthly statement, or a supplementary one carrying corrections after the
    month's statement was approved. `path` is the provider's (the scope of who may pay it)."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    number = models.CharField(_("number"), max_length=32, unique=True)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="statements")
    path = models.CharField(max_length=12, db_index=True)
    month = models.DateField(_("month"))
    kind = models.CharField(_("kind"), max_length=14, choices=StatementKind.choices, default=StatementKind.REGULAR)
    supplements = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="supplementary"
    )
    state = models.CharField(_("state"), max_length=10, choices=StatementState.choices, default=StatementState.DRAFT)
    line_count = models.PositiveIntegerField(default=0)
    government_total = models.DecimalField(_("government pays"), max_digits=14, decimal_places=2, default=0)
    resident_total = models.DecimalField(_("residents pay"), max_digits=14, decimal_places=2, default=0)
    generated_by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField()
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by_name = models.CharField(max_length=150, blank=True)
    approve_reason = models.CharField(_("approval note"), max_length=500, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_ref = models.CharField(_("payment reference"), max_length=64, blank=True)
    paid_by_name = models.CharField(max_length=150, blank=True)

    class Meta:
        verbose_name = _("provider statement")
        verbose_name_plural = _("provider statements")
        ordering = ["-month", "provider_id", "pk"]
        indexes = [models.Index(fields=["path", "state"], name="care_statement_path_state")]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "month"], condition=Q(kind="regular"), name="care_statement_one_per_month"
            )
        ]

    def __str__(self) -> str:
        return self.number


class StatementLine(models.Model):
    """One paid visit (date, elder's name, item, who pays what), or a correction of a visit
    already paid (`is_correction`, amounts may be negative, with the reason). A visit is on at
    most one regular line: the unique constraint stops two statements paying it twice."""

    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="lines")
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="statement_lines")
    visit_on = models.DateField(_("date"))
    person_name = models.CharField(_("elder"), max_length=50)
    item_code = models.CharField(max_length=16)
    item_name = models.CharField(_("item"), max_length=100)
    item_name_en = models.CharField(max_length=150, blank=True)
    community_path = models.CharField(max_length=12)
    from_bed = models.BooleanField(default=False)
    government_pays = models.DecimalField(_("government pays"), max_digits=10, decimal_places=2)
    resident_pays = models.DecimalField(_("resident pays"), max_digits=10, decimal_places=2)
    is_correction = models.BooleanField(default=False)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        ordering = ["visit_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["visit"], condition=Q(is_correction=False), name="care_statement_visit_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.statement} {self.visit_on}"
