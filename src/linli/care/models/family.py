"""Who may act for an elder besides themself and their household: a family member's account
linked to the elder (with the code on the elder's card, or by a worker at the window), and the
elder's service card whose code a carer may enter at check-in instead of a position."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.core.ids import uuid7

__all__ = ["ElderCard", "FamilyLink"]


class ElderCard(models.Model):
    """An elder's service card (养老服务卡). Only a digest of the code is kept; a new card ends the
    old one."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    person_ref = models.UUIDField(db_index=True)
    path = models.CharField(max_length=18, db_index=True)
    code_digest = models.CharField(max_length=64)
    issued_at = models.DateTimeField()
    issued_by_name = models.CharField(max_length=150)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("elder's service card")
        verbose_name_plural = _("elders' service cards")
        constraints = [
            models.UniqueConstraint(
                fields=["person_ref"], condition=Q(ended_at__isnull=True), name="care_card_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"card {self.public_id}"


class FamilyLink(models.Model):
    """A resident account that may order, follow and rate services for an elder (a daughter for
    her mother), with how the link was made; ended links are kept."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_family_links")
    person_ref = models.UUIDField(db_index=True)
    path = models.CharField(max_length=18, db_index=True)
    relation = models.CharField(_("relation"), max_length=20)
    how = models.CharField(max_length=12)  # "card" (the elder's card code) or "window" (a worker)
    linked_at = models.DateTimeField()
    linked_by_name = models.CharField(max_length=150)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("family link")
        verbose_name_plural = _("family links")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "person_ref"], condition=Q(ended_at__isnull=True), name="care_family_link_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.person_ref}"
