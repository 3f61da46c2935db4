from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from linli.core.ids import uuid7
from linli.timebank.domain import Beneficiary, EntryKind, ExchangeState, HolderKind, Reference


class TimeBankAccount(models.Model):
    """One holder's balance: a volunteer (holder = their public id) or a community's pool
    (holder = `domain.pool_holder(path)`). The row is locked for every change and updated in the
    same transaction as the ledger entry, so the balance always equals the last entry's
    `balance_after`. `held`: minutes reserved for requested exchanges (part of the balance)."""

    holder = models.UUIDField(_("holder"), unique=True)
    kind = models.CharField(_("holder kind"), max_length=12, choices=HolderKind.choices)
    path = models.CharField(_("unit path"), max_length=40, db_index=True)  # registered community, or the pool's
    balance = models.IntegerField(_("balance (minutes)"), default=0)
    held = models.IntegerField(_("held (minutes)"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("time-bank account")
        verbose_name_plural = _("time-bank accounts")
        constraints = [
            models.CheckConstraint(condition=Q(balance__gte=0), name="timebank_balance_not_negative"),
            models.CheckConstraint(condition=Q(held__gte=0), name="timebank_held_not_negative"),
            models.CheckConstraint(condition=Q(held__lte=F("balance")), name="timebank_held_within_balance"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.holder} {self.balance}"

    @property
    def available(self) -> int:
        return self.balance - self.held


class TimeBankEntry(models.Model):
    """One append-only line of an account's ledger (database triggers refuse UPDATE and DELETE).
    `reference_type` + `reference_id` name what it came from (approved hours, an exchange, a
    donation, an expiry run, a correction); an account has one entry per reference, and one
    approved-hours id is credited once in the whole bank."""

    account = models.ForeignKey(TimeBankAccount, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    minutes = models.IntegerField(_("minutes"))
    balance_after = models.IntegerField(_("balance after"))
    reference_type = models.CharField(_("reference"), max_length=12, choices=Reference.choices)
    reference_id = models.CharField(_("reference id"), max_length=64)
    path = models.CharField(_("unit path"), max_length=40, db_index=True)  # where served, or the account's
    actor_user_id = models.BigIntegerField(_("actor id"), null=True, blank=True)
    actor_name = models.CharField(_("actor"), max_length=150)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("time"), db_index=True)

    class Meta:
        verbose_name = _("time-bank entry")
        verbose_name_plural = _("time-bank ledger")
        indexes = [models.Index(fields=["account", "-id"], name="timebank_entry_account")]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "reference_type", "reference_id"], name="timebank_entry_one_per_reference"
            ),
            models.UniqueConstraint(
                fields=["reference_id"],
                condition=Q(reference_type="hours"),
                name="timebank_hours_credited_once",
            ),
            models.CheckConstraint(condition=Q(balance_after__gte=0), name="timebank_entry_balance_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.kind} {self.minutes:+d} → {self.balance_after}"


class ExpiryRule(models.Model):
    """The city's expiry rule (one row): unspent credits expire `years` after they were made;
    None: they never expire (the default until the city decides and verifies a rule)."""

    years = models.PositiveSmallIntegerField(_("years until unspent hours expire"), null=True, blank=True)
    verified = models.BooleanField(_("verified against the city's rules"), default=False)
    source = models.CharField(_("source"), max_length=300, blank=True)
    updated_by = models.CharField(_("updated by"), max_length=150, blank=True)
    updated_at = models.DateTimeField(_("updated"), null=True, blank=True)

    class Meta:
        verbose_name = _("expiry rule")
        verbose_name_plural = _("expiry rule")

    def __str__(self) -> str:
        return f"expiry {self.years or '—'} years"


class TimeBankService(models.Model):
    """A service stored hours can be exchanged for, with its price in minutes per unit."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=80)
    unit_zh = models.CharField(_("unit (Chinese)"), max_length=10)
    unit_en = models.CharField(_("unit (English)"), max_length=20)
    minutes_per_unit = models.PositiveIntegerField(_("minutes per unit"))
    is_active = models.BooleanField(_("active"), default=True)
    shipped = models.BooleanField(_("shipped default"), default=False)
    sort = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = _("time-bank service")
        verbose_name_plural = _("time-bank services")
        ordering = ["sort", "code"]
        constraints = [models.CheckConstraint(condition=Q(minutes_per_unit__gte=1), name="timebank_service_price")]

    def __str__(self) -> str:
        return self.code


class Exchange(models.Model):
    """A volunteer spends stored hours on a service for themself or a family member (兑换).
    Minutes are held at request, spent at delivery, released if cancelled."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    account = models.ForeignKey(TimeBankAccount, on_delete=models.PROTECT, related_name="exchanges")
    path = models.CharField(_("unit path"), max_length=40, db_index=True)  # the community that arranges it
    service = models.ForeignKey(TimeBankService, on_delete=models.PROTECT, related_name="+")
    units = models.PositiveSmallIntegerField(_("units"))
    minutes = models.PositiveIntegerField(_("minutes"))
    beneficiary = models.CharField(_("for whom"), max_length=16, choices=Beneficiary.choices)
    note_sealed = models.TextField(blank=True)  # where and when, sealed (core.crypto)
    state = models.CharField(_("state"), max_length=12, choices=ExchangeState.choices)
    requested_by = models.BigIntegerField(_("requested by"), null=True, blank=True)
    provider = models.UUIDField(_("provider volunteer"), null=True, blank=True)
    provider_name = models.CharField(_("provider"), max_length=60, blank=True)
    scheduled_for = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested"), db_index=True)
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        verbose_name = _("exchange")
        verbose_name_plural = _("exchanges")
        indexes = [models.Index(fields=["path", "state"], name="timebank_exchange_queue")]

    def __str__(self) -> str:
        return f"{self.public_id} {self.state}"


class ExchangeStep(models.Model):
    """One append-only line of an exchange's timeline: who did which step, when, why."""

    exchange = models.ForeignKey(Exchange, on_delete=models.PROTECT, related_name="steps")
    action = models.CharField(_("action"), max_length=12)
    state = models.CharField(_("state"), max_length=12, choices=ExchangeState.choices)
    actor_user_id = models.BigIntegerField(null=True, blank=True)
    actor_name = models.CharField(_("actor"), max_length=150)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("exchange step")
        verbose_name_plural = _("exchange steps")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.exchange_id} {self.action}"


class Donation(models.Model):
    """Minutes given by a volunteer to another volunteer or to a community's pool. Irreversible."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    giver = models.ForeignKey(TimeBankAccount, on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(TimeBankAccount, on_delete=models.PROTECT, related_name="+")
    minutes = models.PositiveIntegerField(_("minutes"))
    reason = models.CharField(_("reason"), max_length=500)
    actor_user_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        constraints = [models.CheckConstraint(condition=~Q(giver=F("recipient")), name="timebank_donation_not_self")]

    def __str__(self) -> str:
        return f"{self.giver_id}→{self.recipient_id} {self.minutes}"
