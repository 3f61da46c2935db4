"""The admin's dated edits of the rules' parameters, on top of the YAML shipped in `rules/`."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["ParameterChange"]


class ParameterChange(models.Model):
    """One dated value of a parameter set by the city (who, when, why). Append-only: a later
    change with a later `valid_from` supersedes it from that date; a mistake is corrected by a new
    row, so a past determination can always be recomputed with the values it used."""

    name = models.CharField(_("parameter"), max_length=120, db_index=True)  # e.g. "dibao.standard.urban"
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    valid_from = models.DateField(_("valid from"))
    reason = models.CharField(_("reason for the change"), max_length=300)
    document = models.CharField(_("document number"), max_length=120, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_by_name = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rule parameter change")
        verbose_name_plural = _("rule parameter changes")
        ordering = ["name", "valid_from", "recorded_at"]

    def __str__(self) -> str:
        return f"{self.name}={self.value} from {self.valid_from}"
