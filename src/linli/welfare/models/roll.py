"""The roll (在册保障对象): one row per household receiving or recognised, its changes, its
reviews and the monthly payroll."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.core.ids import uuid7
from linli.welfare.domain.classes import AreaType, AssistanceClass
from linli.welfare.domain.roll import ChangeKind, Outcome, PayrollKind, PayrollState, RecipientState, ReviewState

__all__ = ["Payroll", "PayrollLine", "Recipient", "RecipientChange", "Review", "ReviewRun"]


class Recipient(models.Model):
    """A household on the roll: its class and monthly amount now, from its current determination.
    A household is on the roll once at a time; stopping keeps the row (never dropped silently)."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    household_ref = models.UUIDField(_("household"), db_index=True)
    path = models.CharField(max_length=18, db_index=True)
    head_name = models.CharField(_("head of household"), max_length=50)
    area = models.CharField(_("area type"), max_length=8, choices=AreaType.choices)
    assistance_class = models.CharField(_("assistance class"), max_length=8, choices=AssistanceClass.choices)
    monthly_amount = models.DecimalField(_("monthly amount"), max_digits=10, decimal_places=2)
    members = models.PositiveSmallIntegerField(_("members"))
    state = models.CharField(_("state"), max_length=12, choices=RecipientState.choices, default=RecipientState.ACTIVE)
    determination = models.ForeignKey("Determination", on_delete=models.PROTECT, related_name="+")
    paid_from = models.DateField(_("paid from"))  # the first day of the month after the decision
    phase_out_until = models.DateField(_("gradual exit until"), null=True, blank=True)
    stopped_on = models.DateField(_("stopped on"), null=True, blank=True)
    next_review_on = models.DateField(_("next review"), db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    # the household's latest facts (sealed like the determination's): the review re-determines
    # from these; a worker updates them (e.g. a member found work) before re-determining
    facts_sealed = models.TextField(default="")
    account_user_id = models.BigIntegerField(null=True, blank=True)  # a member's account for inbox notices
    bank_name = models.CharField(_("payee's bank"), max_length=60, blank=True)
    account_sealed = models.TextField(blank=True)  # seal(number, context="welfare.account")
    account_masked = models.CharField(_("payee's account number"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("household on the roll")
        verbose_name_plural = _("the roll")
        constraints = [
            models.UniqueConstraint(
                fields=["household_ref"], condition=~Q(state="stopped"), name="welfare_recipient_once"
            )
        ]
        indexes = [models.Index(fields=["state", "path"], name="welfare_recipient_state_path")]

    def __str__(self) -> str:
        return f"{self.head_name} {self.assistance_class}"


class RecipientChange(models.Model):
    """One change of a household on the roll (append-only, refused by database triggers): what
    it was, what it became, from when, why, from which determination, who, and the notice."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    recipient = models.ForeignKey(Recipient, on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(_("kind of change"), max_length=14, choices=ChangeKind.choices)
    from_class = models.CharField(max_length=8, choices=AssistanceClass.choices, blank=True)
    to_class = models.CharField(max_length=8, choices=AssistanceClass.choices)
    from_amount = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    to_amount = models.DecimalField(max_digits=10, decimal_places=2)
    from_state = models.CharField(max_length=12, choices=RecipientState.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=RecipientState.choices)
    effective_from = models.DateField(_("effective from"))
    reason = models.CharField(_("reason for the change"), max_length=300)
    determination = models.ForeignKey("Determination", on_delete=models.PROTECT, null=True, related_name="+")
    notice_number = models.CharField(_("notice number"), max_length=32)
    notified_in_app = models.BooleanField(default=False)  # False: a printed notice is handed over
    actor_id = models.BigIntegerField(null=True)
    actor_name = models.CharField(max_length=150)
    path = models.CharField(max_length=18, db_index=True)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("change on the roll")
        verbose_name_plural = _("changes on the roll")
        ordering = ["recipient_id", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind} {self.effective_from}"


class ReviewRun(models.Model):
    """One computation of the reviews of every household on the roll in a scope with the rules of
    a date (a city-wide recompute when the standard changes, or a community's review list)."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    scope_path = models.CharField(max_length=18, db_index=True)
    on = models.DateField(_("rules as of"))
    households = models.PositiveIntegerField(default=0)
    differences = models.PositiveIntegerField(default=0)
    parameters_digest = models.CharField(max_length=64, blank=True)
    rules_version = models.CharField(max_length=64, blank=True)
    seconds = models.FloatField(default=0)
    made_by_id = models.BigIntegerField(null=True)
    made_by_name = models.CharField(max_length=150)
    made_at = models.DateTimeField()

    class Meta:
        verbose_name = _("review computation")
        ordering = ["-made_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.scope_path} {self.on}"


class Review(models.Model):
    """A household's re-determination beside its current class and amount, proposed until a worker
    or officer confirms it (then the roll changes) or a later computation replaces it."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    run = models.ForeignKey(ReviewRun, on_delete=models.PROTECT, related_name="reviews", null=True)
    recipient = models.ForeignKey(Recipient, on_delete=models.PROTECT, related_name="reviews")
    path = models.CharField(max_length=18)
    on = models.DateField(_("rules as of"))
    current_class = models.CharField(max_length=8, choices=AssistanceClass.choices)
    current_amount = models.DecimalField(max_digits=10, decimal_places=2)
    proposed_class = models.CharField(_("proposed class"), max_length=8, choices=AssistanceClass.choices)
    proposed_amount = models.DecimalField(_("proposed amount"), max_digits=10, decimal_places=2)
    per_capita_income = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    outcome = models.CharField(_("outcome"), max_length=14, choices=Outcome.choices)
    state = models.CharField(max_length=12, choices=ReviewState.choices, default=ReviewState.PROPOSED)
    parameters_digest = models.CharField(max_length=64, blank=True)
    confirmed_by_name = models.CharField(max_length=150, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("review of the roll")
        ordering = ["path", "pk"]
        indexes = [models.Index(fields=["state", "path"], name="welfare_review_state_path")]
        constraints = [
            models.UniqueConstraint(fields=["recipient"], condition=Q(state="proposed"), name="welfare_review_one_open")
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.outcome} {self.on}"


class Payroll(models.Model):
    """The payroll of one district for one month (or a supplementary one with corrections).
    Frozen when approved: its lines and totals can no longer change (database triggers)."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    number = models.CharField(_("payroll number"), max_length=32, unique=True)
    district_path = models.CharField(max_length=6, db_index=True)
    month = models.DateField(_("month"))  # its first day
    kind = models.CharField(max_length=14, choices=PayrollKind.choices, default=PayrollKind.REGULAR)
    state = models.CharField(max_length=10, choices=PayrollState.choices, default=PayrollState.DRAFT)
    households = models.PositiveIntegerField(default=0)
    total = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    generated_by_name = models.CharField(max_length=150)
    generated_at = models.DateTimeField()
    approved_by_id = models.BigIntegerField(null=True, blank=True)
    approved_by_name = models.CharField(max_length=150, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_note = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("payroll")
        ordering = ["-month", "district_path", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["district_path", "month"], condition=Q(kind="regular"), name="welfare_payroll_once"
            )
        ]

    def __str__(self) -> str:
        return self.number


class PayrollLine(models.Model):
    """One household's amount in a payroll, copied from the roll when generated (the payee's
    account as it was). A correction is a new line referring to the one it corrects."""

    payroll = models.ForeignKey(Payroll, on_delete=models.PROTECT, related_name="lines")
    recipient = models.ForeignKey(Recipient, on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=18)
    head_name = models.CharField(max_length=50)
    assistance_class = models.CharField(max_length=8, choices=AssistanceClass.choices)
    members = models.PositiveSmallIntegerField()
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    bank_name = models.CharField(max_length=60, blank=True)
    account_masked = models.CharField(max_length=20, blank=True)
    account_sealed = models.TextField(blank=True)
    corrects = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("payroll line")
        ordering = ["payroll_id", "path", "pk"]
        indexes = [models.Index(fields=["payroll", "path"], name="welfare_payline_path")]

    def __str__(self) -> str:
        return f"{self.payroll_id} {self.head_name} {self.amount}"
