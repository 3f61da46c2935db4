"""Orders, their timeline, family care beds and the visits that deliver both. A visit belongs to
an order or to a bed; statements pay VERIFIED visits only, at the amounts the visit carries."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.care.domain.orders import CheckInMethod, OrderState, VisitState
from linli.care.models.entitlements import ServiceItem
from linli.care.models.providers import Provider, ProviderMember
from linli.core.ids import uuid7

__all__ = ["CardAttempt", "CareBed", "Order", "OrderLock", "OrderStep", "RatingAnswer", "Visit", "VisitPhoto"]


class Order(models.Model):
    """A resident's order of one item of the list (or one a worker placed for them, 代下单). The
    amounts are fixed when ordered from the list in force; the elder's needs are sealed (they may
    say health). The address and the home's position are what the carer needs, never the ID."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    number = models.CharField(_("number"), max_length=24, unique=True)
    state = models.CharField(_("state"), max_length=12, choices=OrderState.choices, db_index=True)
    person_ref = models.UUIDField(db_index=True)
    household_ref = models.UUIDField(null=True, blank=True)
    person_name = models.CharField(_("elder"), max_length=50)
    path = models.CharField(max_length=18, db_index=True)  # the elder's household (building) path
    address = models.CharField(_("address"), max_length=200)
    home_lat = models.FloatField(null=True, blank=True)
    home_lng = models.FloatField(null=True, blank=True)
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="orders")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, null=True, blank=True, related_name="orders")
    carer = models.ForeignKey(ProviderMember, on_delete=models.PROTECT, null=True, blank=True, related_name="orders")
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    month = models.DateField(db_index=True)  # the first day of the month the cap counts in
    slot_start = models.DateTimeField(_("slot from"), null=True, blank=True)  # the visit's slot, chosen when ordered
    slot_end = models.DateTimeField(_("slot to"), null=True, blank=True)
    refuse_reason = models.CharField(_("reason"), max_length=500, blank=True)
    subsidy_share = models.PositiveSmallIntegerField(_("subsidy share (%)"), default=0)
    unit_price = models.DecimalField(_("unit price"), max_digits=8, decimal_places=2)
    government_pays = models.DecimalField(_("government pays"), max_digits=10, decimal_places=2)
    resident_pays = models.DecimalField(_("resident pays"), max_digits=10, decimal_places=2)
    needs_sealed = models.TextField(blank=True)
    by_proxy = models.BooleanField(_("ordered by a worker"), default=False)
    ordered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    ordered_by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("care order")
        verbose_name_plural = _("care orders")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["person_ref", "item", "month"], name="care_order_cap"),
            models.Index(fields=["provider", "state"], name="care_order_provider_state"),
            models.Index(fields=["path", "month"], name="care_order_path_month"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="care_order_quantity"),
            models.CheckConstraint(condition=Q(government_pays__gte=0, resident_pays__gte=0), name="care_order_money"),
        ]

    def __str__(self) -> str:
        return self.number


class OrderStep(models.Model):
    """One move of an order (its timeline). Append-only."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="steps")
    action = models.CharField(max_length=24)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    by_name = models.CharField(max_length=150)
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.order} {self.action}"


class CareBed(models.Model):
    """A family care bed (家庭养老床位): an elder cared for at home by a provider on a plan of
    visits per week; the subsidy follows the visits actually delivered."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    number = models.CharField(_("number"), max_length=24, unique=True)
    person_ref = models.UUIDField(db_index=True)
    household_ref = models.UUIDField(null=True, blank=True)
    person_name = models.CharField(_("elder"), max_length=50)
    path = models.CharField(max_length=18, db_index=True)
    address = models.CharField(_("address"), max_length=200)
    home_lat = models.FloatField(null=True, blank=True)
    home_lng = models.FloatField(null=True, blank=True)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="beds")
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="beds")
    visits_per_week = models.PositiveSmallIntegerField(_("visits per week"))
    plan_sealed = models.TextField(blank=True)  # the service plan: care needs, so sealed
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=300, blank=True)
    created_by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("family care bed")
        verbose_name_plural = _("family care beds")
        ordering = ["-started_on", "-pk"]

    def __str__(self) -> str:
        return self.number


class Visit(models.Model):
    """One delivery at the home, in a slot: the carer checks in (position within the provider's
    radius, or the elder's card code) and out, records what was done (photos where the item asks);
    late and missed are flagged; the community verifies; the elder rates (1–5, 好差评). The
    amounts are this visit's share of its order's, so a statement sums visits."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    order = models.ForeignKey(Order, on_delete=models.PROTECT, null=True, blank=True, related_name="visits")
    bed = models.ForeignKey(CareBed, on_delete=models.PROTECT, null=True, blank=True, related_name="visits")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="visits")
    carer = models.ForeignKey(ProviderMember, on_delete=models.PROTECT, null=True, blank=True, related_name="visits")
    person_ref = models.UUIDField(db_index=True)
    path = models.CharField(max_length=18, db_index=True)
    state = models.CharField(_("state"), max_length=12, choices=VisitState.choices, default=VisitState.SCHEDULED)
    slot_start = models.DateTimeField(_("slot from"))
    slot_end = models.DateTimeField(_("slot to"))
    month = models.DateField()  # the slot's month, the statement's period
    checked_in_at = models.DateTimeField(null=True, blank=True)
    check_in_method = models.CharField(max_length=10, choices=CheckInMethod.choices, blank=True)
    check_in_distance_m = models.PositiveIntegerField(null=True, blank=True)
    checked_out_at = models.DateTimeField(null=True, blank=True)
    late = models.BooleanField(_("late"), default=False)
    record = models.TextField(_("what was done"), blank=True)
    photo_count = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by_name = models.CharField(max_length=150, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.CharField(_("comment"), max_length=500, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    government_pays = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    resident_pays = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("care visit")
        verbose_name_plural = _("care visits")
        ordering = ["slot_start", "pk"]
        indexes = [
            models.Index(fields=["provider", "month", "state"], name="care_visit_statement"),
            models.Index(fields=["carer", "slot_start"], name="care_visit_carer_day"),
            models.Index(fields=["path", "month"], name="care_visit_path_month"),
            models.Index(fields=["state", "slot_end"], name="care_visit_overdue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(order__isnull=False, bed__isnull=True) | Q(order__isnull=True, bed__isnull=False),
                name="care_visit_order_or_bed",
            ),
            models.CheckConstraint(condition=Q(slot_end__gt=models.F("slot_start")), name="care_visit_slot"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="care_visit_rating"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.slot_start:%Y-%m-%d %H:%M}"


class OrderLock(models.Model):
    """One row per elder that writers lock (`services.locks.elder_lock`): orders before counting
    the month's units, assessments before superseding the current one."""

    person_ref = models.UUIDField(unique=True)

    def __str__(self) -> str:
        return str(self.person_ref)


class VisitPhoto(models.Model):
    """A photo taken at check-out; the bytes are sealed on disk (faces, the home's inside)."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="photos")
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return str(self.public_id)


class RatingAnswer(models.Model):
    """The community's answer to a bad rating (差评)."""

    visit = models.OneToOneField(Visit, on_delete=models.PROTECT, related_name="answer")
    text = models.CharField(_("answer"), max_length=500)
    by_name = models.CharField(max_length=150)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.visit_id}"


class CardAttempt(models.Model):
    """A wrong elder's-card code entered by an account (linking an elder): limited like log-ins."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.user_id} {self.at}"
