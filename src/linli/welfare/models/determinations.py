"""A determination: the rules applied to one household's facts on one date. Immutable."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.ids import uuid7
from linli.welfare.domain.classes import AreaType, AssistanceClass

__all__ = ["Determination"]


class Determination(models.Model):
    """What the rules gave for a household's facts on a date, with the inputs, the rule version
    (the parameters' date and a digest of their values, the code revision) and the trace, both
    sealed (they hold incomes). The same facts and date always give the same row's answer."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    household_ref = models.UUIDField(_("household"), db_index=True)  # residents' Household.public_id
    path = models.CharField(max_length=18, db_index=True)  # the household's building path, for scope
    area = models.CharField(_("area type"), max_length=8, choices=AreaType.choices)
    on = models.DateField(_("determined for"))
    assistance_class = models.CharField(_("assistance class"), max_length=8, choices=AssistanceClass.choices)
    monthly_amount = models.DecimalField(_("monthly amount"), max_digits=10, decimal_places=2, default=0)
    members = models.PositiveSmallIntegerField(_("members"))
    facts_sealed = models.TextField()  # seal(facts_to_json(...), context="welfare.facts")
    trace_sealed = models.TextField()  # seal(json of the trace lines, context="welfare.trace")
    parameters_digest = models.CharField(_("parameter set"), max_length=64)
    rules_version = models.CharField(_("rules version"), max_length=64)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("determination")
        verbose_name_plural = _("determinations")
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return f"{self.household_ref} {self.assistance_class} {self.on}"
