from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.ids import uuid7
from linli.residents.domain import Gender, ResidenceType


class Household(models.Model):
    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    building = models.ForeignKey("areas.Building", on_delete=models.PROTECT, related_name="households")
    room = models.CharField(_("room"), max_length=20)
    residence_type = models.CharField(_("residence type"), max_length=16, choices=ResidenceType.choices)
    path = models.CharField(_("path"), max_length=18, db_index=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [models.UniqueConstraint(fields=["building", "room"], name="household_one_per_room")]

    def __str__(self) -> str:
        return f"{self.building} {self.room}"


class Resident(models.Model):
    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="members")
    name = models.CharField(_("name"), max_length=50, db_index=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    id_number_sealed = models.TextField(blank=True)
    id_number_index = models.CharField(max_length=32, blank=True, db_index=True)
    id_number_masked = models.CharField(_("ID number"), max_length=18, blank=True)
    phone_sealed = models.TextField(blank=True)
    phone_index = models.CharField(max_length=32, blank=True, db_index=True)
    phone_masked = models.CharField(_("phone"), max_length=20, blank=True)
    is_head = models.BooleanField(_("head of household"), default=False)
    path = models.CharField(_("path"), max_length=18, db_index=True)
    user = models.OneToOneField(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="resident"
    )

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")

    def __str__(self) -> str:
        return self.name
