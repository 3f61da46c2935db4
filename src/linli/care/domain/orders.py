"""Care services, stage orders: providers and their accounts, orders and the visits that deliver
them. No ORM. The visit's states are shared with the statements stage: a provider is paid for
VERIFIED visits only."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.errors import Msg

AUDIT_ACTIONS: dict[str, Msg] = {}


class ProviderKind(models.TextChoices):
    COMPANY = "company", _("Home-care company")
    STATION = "station", _("Home-care centre or station")
    SOCIAL_ORG = "social_org", _("Social organisation")
    MUTUAL_AID = "mutual_aid", _("Mutual-aid group")


class MemberKind(models.TextChoices):
    DISPATCHER = "dispatcher", _("Dispatcher")
    CARER = "carer", _("Carer")


class OrderState(models.TextChoices):
    """An order's life; the allowed moves are the stage's transition table."""

    PLACED = "placed", _("Waiting for approval")
    APPROVED = "approved", _("Waiting for the provider")
    ACCEPTED = "accepted", _("Carer assigned")
    IN_SERVICE = "in_service", _("Being served")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    REFUSED = "refused", _("Not approved")


class VisitState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CHECKED_IN = "checked_in", _("Carer at the home")
    DONE = "done", _("Done, to verify")
    VERIFIED = "verified", _("Verified")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")


class CheckInMethod(models.TextChoices):
    POSITION = "position", _("Position at the home")
    CARD = "card", _("Elder's card code")
