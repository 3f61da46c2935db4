"""Rules about residents with no ORM: GB 11643 citizen ID numbers."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class ResidenceType(models.TextChoices):
    REGISTERED = "registered", _("Registered resident")
    PERMANENT = "permanent", _("Permanent resident")
    FLOATING = "floating", _("Floating resident")


def id_check_char(first17: str) -> str:
    return ID_CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def id_number_make(area_code: str, birth: date, sequence: int, gender: str) -> str:
    """A valid 18-character ID number; the sequence's last digit is odd for men, even for women."""
    seq = sequence % 1000
    if (seq % 2 == 1) != (gender == Gender.MALE):
        seq = (seq + 1) % 1000
    first17 = f"{area_code[:6]}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_char(first17)


def id_number_valid(value: str) -> bool:
    value = value.strip().upper()
    if len(value) != 18 or not value[:17].isdigit():
        return False
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return id_check_char(value[:17]) == value[17]
