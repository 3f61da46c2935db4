"""Needs, offers and matches; micro-funds, their append-only ledger and the payments waiting for a
decision. Organisations are referenced by their public UUID (kept by `partners`)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from linli.charity.domain import (
    DEFAULT_THRESHOLD,
    DonorType,
    EntryKind,
    Kind,
    MatchState,
    NeedState,
    OfferState,
    Reach,
    RequestState,
)
from linli.core.ids import uuid7

USER = settings.AUTH_USER_MODEL


class CharityNeed(models.Model):
    """A need a community posts for a household, a person or the community itself. Public text
    (title, description, beneficiary) holds no ID or phone number; the internal note is sealed."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=60)
    description = models.TextField(_("description"), blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit = models.CharField(_("unit"), max_length=8)
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    community_path = models.CharField(max_length=12, db_index=True)
    beneficiary = models.CharField(_("beneficiary"), max_length=40)  # "王女士，独居老人"
    note_sealed = models.TextField(blank=True)  # seal(context="charity.need_note")
    state = models.CharField(_("state"), max_length=12, choices=NeedState.choices, default=NeedState.OPEN)
    allocated = models.PositiveIntegerField(default=0)  # confirmed by live matches
    delivered = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField()
    state_changed_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "community_path"], name="charity_need_state_path")]
        constraints = [
            models.CheckConstraint(condition=Q(allocated__lte=F("quantity")), name="charity_need_not_over"),
            models.CheckConstraint(condition=Q(delivered__lte=F("allocated")), name="charity_need_delivered"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="charity_need_quantity"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def remaining(self) -> int:
        return self.quantity - self.allocated


class NeedStep(models.Model):
    """Append-only timeline of a need: posting, each match, delivery, acknowledgement, closing."""

    need = models.ForeignKey(CharityNeed, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=20)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12)
    actor = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_name = models.CharField(max_length=150)
    note = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["need", "at"], name="charity_step_need_at")]

    def __str__(self) -> str:
        return f"{self.need_id}:{self.action}"


class CharityOffer(models.Model):
    """What a donor offers: a resident from the phone, an organisation's account, or a walk-in
    donor recorded by staff. An anonymous donor's name is kept for the record, never shown."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=60)
    description = models.TextField(_("description"), blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit = models.CharField(_("unit"), max_length=8)
    allocated = models.PositiveIntegerField(default=0)
    path = models.CharField(max_length=12, db_index=True)  # where the offer is based
    reach = models.CharField(_("area served"), max_length=10, choices=Reach.choices, default=Reach.COMMUNITY)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    donor_type = models.CharField(max_length=12, choices=DonorType.choices)
    donor_user = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    org_id = models.UUIDField(null=True, blank=True, db_index=True)  # partners' organisation public id
    donor_name = models.CharField(_("donor"), max_length=100)
    donor_contact_sealed = models.TextField(blank=True)  # seal(context="charity.donor_contact")
    anonymous = models.BooleanField(_("anonymous"), default=False)
    for_need = models.ForeignKey(CharityNeed, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    state = models.CharField(max_length=10, choices=OfferState.choices, default=OfferState.OPEN)
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "kind"], name="charity_offer_state_kind")]
        constraints = [
            models.CheckConstraint(condition=Q(allocated__lte=F("quantity")), name="charity_offer_not_over"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="charity_offer_quantity"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def remaining(self) -> int:
        return self.quantity - self.allocated


class Match(models.Model):
    """A part (or all) of an offer given to a need, confirmed by staff, then delivered and
    acknowledged; a cancelled match gives its quantity back to both sides."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    need = models.ForeignKey(CharityNeed, on_delete=models.PROTECT, related_name="matches")
    offer = models.ForeignKey(CharityOffer, on_delete=models.PROTECT, related_name="matches")
    quantity = models.PositiveIntegerField(_("quantity"))
    state = models.CharField(max_length=12, choices=MatchState.choices, default=MatchState.CONFIRMED)
    confirmed_by_name = models.CharField(max_length=150)
    confirmed_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    delivery_note = models.CharField(max_length=200, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["confirmed_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="charity_match_quantity")]

    def __str__(self) -> str:
        return f"{self.need_id}←{self.offer_id}"


class MicroFund(models.Model):
    """A community's micro-fund (社区微基金). `balance` moves only with a ledger entry, in the same
    transaction, under the fund's row lock; the database refuses a negative balance."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=60)
    community_path = models.CharField(max_length=12, db_index=True)
    purpose = models.TextField(_("purpose"), blank=True)
    threshold = models.DecimalField(
        _("decision threshold (yuan)"), max_digits=12, decimal_places=2, default=DEFAULT_THRESHOLD
    )
    balance = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0.00"))
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["community_path", "name"]
        constraints = [models.CheckConstraint(condition=Q(balance__gte=0), name="charity_fund_balance_not_negative")]

    def __str__(self) -> str:
        return self.name


class FundEntry(models.Model):
    """One line of a fund's ledger, append-only: a donation (+), a payment (−) or a correction
    (±, naming the entry it corrects and why). `amount` is signed; `balance_after` is the
    fund's balance once this line is in."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    fund = models.ForeignKey(MicroFund, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=12, choices=EntryKind.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    balance_after = models.DecimalField(max_digits=14, decimal_places=2)
    on = models.DateField(_("date"))
    receipt = models.CharField(_("receipt number"), max_length=40, blank=True)
    donor_name = models.CharField(_("donor"), max_length=100, blank=True)  # kept even when anonymous
    anonymous = models.BooleanField(default=False)
    purpose = models.CharField(_("what for"), max_length=200, blank=True)
    payee = models.CharField(_("payee"), max_length=100, blank=True)
    decision_text = models.TextField(_("decision"), blank=True)
    decision_on = models.DateField(_("decision date"), null=True, blank=True)
    decision_ref = models.CharField(_("meeting or reference"), max_length=100, blank=True)
    # the deliberation app's decision (协商议事), by its public id, once that app lands
    deliberation_id = models.UUIDField(null=True, blank=True)
    corrects = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections")
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_by_name = models.CharField(max_length=150)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "pk"]
        indexes = [models.Index(fields=["fund", "recorded_at"], name="charity_entry_fund_at")]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="charity_entry_not_zero")]

    def __str__(self) -> str:
        return f"{self.fund_id}:{self.kind}:{self.amount}"

    @property
    def spending(self) -> Decimal | None:
        """The amount taken out, as a positive number (None for money coming in)."""
        return -self.amount if self.amount < 0 else None


class PaymentRequest(models.Model):
    """A payment above the fund's threshold, planned and waiting for the residents' decision
    (workbench). Paying it records the decision and writes the ledger entry."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    fund = models.ForeignKey(MicroFund, on_delete=models.PROTECT, related_name="requests")
    purpose = models.CharField(_("what for"), max_length=200)
    payee = models.CharField(_("payee"), max_length=100)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    state = models.CharField(max_length=10, choices=RequestState.choices, default=RequestState.WAITING)
    entry = models.OneToOneField(FundEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    requested_by_name = models.CharField(max_length=150)
    requested_at = models.DateTimeField()

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="charity_request_amount")]

    def __str__(self) -> str:
        return self.purpose
