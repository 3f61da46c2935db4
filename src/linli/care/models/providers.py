"""Providers of home care and the accounts that speak for them, with the communities each serves
under a government purchase (the coverage figure reads these)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.care.domain.orders import MemberKind, ProviderKind
from linli.core.ids import uuid7

__all__ = ["Provider", "ProviderArea", "ProviderMember"]


class Provider(models.Model):
    """A home-care company, centre or station, social organisation or mutual-aid group that
    serves orders. `facility_ref` and `social_org_ref` link the registry and the partners' register
    where the provider is one of theirs."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=ProviderKind.choices)
    path = models.CharField(_("based in"), max_length=12, db_index=True)
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    contact_name = models.CharField(_("contact"), max_length=50, blank=True)
    contact_phone = models.CharField(_("service phone"), max_length=20, blank=True)  # the business's line
    facility_ref = models.UUIDField(null=True, blank=True)
    social_org_ref = models.UUIDField(null=True, blank=True)
    checkin_radius_m = models.PositiveIntegerField(_("check-in radius (m)"), default=200)
    contract_from = models.DateField(_("purchase contract from"), null=True, blank=True)
    contract_to = models.DateField(_("purchase contract to"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("care provider")
        verbose_name_plural = _("care providers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProviderArea(models.Model):
    """A community (or village) a provider serves under the government's purchase of home care."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="areas")
    path = models.CharField(max_length=12, db_index=True)
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("served community")
        verbose_name_plural = _("served communities")
        constraints = [models.UniqueConstraint(fields=["provider", "path", "since"], name="care_area_once")]

    def __str__(self) -> str:
        return f"{self.provider} → {self.path}"


class ProviderMember(models.Model):
    """Which provider an account speaks for, and as what (dispatcher or carer)."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_memberships")
    kind = models.CharField(_("kind"), max_length=10, choices=MemberKind.choices)
    name = models.CharField(_("name"), max_length=50)
    active = models.BooleanField(_("active"), default=True)
    since = models.DateField(_("since"))

    class Meta:
        verbose_name = _("provider account")
        verbose_name_plural = _("provider accounts")
        constraints = [models.UniqueConstraint(fields=["provider", "user"], name="care_member_once")]

    def __str__(self) -> str:
        return f"{self.name} ({self.provider})"
