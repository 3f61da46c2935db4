"""The frozen roll of a consultation and its votes. Exactly one vote per roll entry is the
database's rule (a one-to-one key), so a retried or concurrent second vote cannot be counted."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.consultation.domain.voting import VoteChannel

__all__ = ["RollEntry", "Vote"]

USER = settings.AUTH_USER_MODEL


class RollEntry(models.Model):
    """One voter on the roll: a household (`voter_ref` = the household's public id) or an adult
    (`voter_ref` = the resident's), written once when voting opens and never changed."""

    consultation = models.ForeignKey("consultation.Consultation", on_delete=models.CASCADE, related_name="roll")
    voter_ref = models.UUIDField()
    household_ref = models.UUIDField(null=True, blank=True)
    path = models.CharField(max_length=18)
    name_shown = models.CharField(max_length=60)  # a masked name, or the household's address

    class Meta:
        constraints = [models.UniqueConstraint(fields=["consultation", "voter_ref"], name="consultation_roll_once")]

    def __str__(self) -> str:
        return str(self.voter_ref)


class Vote(models.Model):
    """A vote: which option, by which channel. Who voted what is never shown; the tally is."""

    consultation = models.ForeignKey("consultation.Consultation", on_delete=models.CASCADE, related_name="votes")
    roll_entry = models.OneToOneField(RollEntry, on_delete=models.CASCADE, related_name="vote")
    option = models.ForeignKey("consultation.ConsultationOption", on_delete=models.PROTECT, related_name="votes")
    channel = models.CharField(_("channel"), max_length=8, choices=VoteChannel.choices)
    cast_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    cast_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["consultation", "option"])]

    def __str__(self) -> str:
        return str(self.roll_entry_id)
