"""Personal numbers in free text — resident ID numbers (18 digits, the last may be X; the old
15-digit ones), mainland mobile numbers and landlines with their area code — masked the way the
residents' pages mask a stored number (`mask_id_number`, `mask_phone`): the area code or the
operator prefix and the last four stay, so a reader can still tell two numbers apart.

Used wherever text leaves for a place that must not hold them: the public Open311 answers, log
lines and metric labels. The stored text is never changed: staff see what was written.
"""

from __future__ import annotations

import re

from linli.core.crypto import mask_id_number, mask_phone

_ID_NUMBER = r"\d{17}[\dXx]|\d{15}"
# 138 1234 5678, 138-1234-5678, +86 138…, and the same percent-encoded in a query (%2B86…).
_MOBILE = r"(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}"
# 024-87654321, (024)87654321, 02487654321: an area code (0 and 2–3 digits) and 7–8 digits that
# do not start with 0 or 1. A bare local number without its area code is not recognised: it
# cannot be told from a date or a count.
_LANDLINE = r"\(?0\d{2,3}\)?[- ]?[2-9]\d{6,7}"
PERSONAL_NUMBER = re.compile(rf"(?<!\d)(?:(?P<id>{_ID_NUMBER})|(?P<phone>{_MOBILE}|{_LANDLINE}))(?!\d)")


def _mask(match: re.Match) -> str:
    if match.group("id"):
        return mask_id_number(match.group("id"))
    return mask_phone(match.group("phone"))


def mask_personal_numbers(text: str) -> str:
    """`身份证110101199003070015，电话13812345678` → `身份证110101********0015，电话138****5678`."""
    return PERSONAL_NUMBER.sub(_mask, text) if text else text
