"""Rules about residents with no ORM: GB 11643 citizen ID numbers, the vocabularies of the pool,
care-group visit intervals, and the field set each role may see (minimum necessity)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.accounts.domain import RESIDENTS_REVEAL, ROLE_PERMISSIONS, Role

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class ResidenceType(models.TextChoices):
    REGISTERED = "registered", _("Registered resident")
    PERMANENT = "permanent", _("Permanent resident")
    FLOATING = "floating", _("Floating resident")


class Relation(models.TextChoices):
    SELF = "self", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    GRANDCHILD = "grandchild", _("Grandchild")
    GRANDPARENT = "grandparent", _("Grandparent")
    SIBLING = "sibling", _("Sibling")
    OTHER = "other", _("Other relation")


class Education(models.TextChoices):
    NONE = "none", _("No schooling")
    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior secondary")
    SENIOR = "senior", _("Senior secondary")
    VOCATIONAL = "vocational", _("Vocational")
    COLLEGE = "college", _("College")
    BACHELOR = "bachelor", _("Bachelor")
    POSTGRADUATE = "postgraduate", _("Postgraduate")


class Employment(models.TextChoices):
    EMPLOYED = "employed", _("Employed")
    UNEMPLOYED = "unemployed", _("Unemployed")
    RETIRED = "retired", _("Retired")
    STUDENT = "student", _("Student")
    PRESCHOOL = "preschool", _("Pre-school child")
    OTHER = "other", _("Other employment status")


class Disability(models.TextChoices):
    NONE = "", _("None")
    LEVEL1 = "1", _("Disability level 1")
    LEVEL2 = "2", _("Disability level 2")
    LEVEL3 = "3", _("Disability level 3")
    LEVEL4 = "4", _("Disability level 4")


ADULT_AGE = 18  # 十八周岁以上 (Civil Code art. 17): who is on a roll and counts toward a villagers' quorum


class ResidentStatus(models.TextChoices):
    ACTIVE = "active", _("Living here")
    MOVED_OUT = "moved_out", _("Moved out")
    DECEASED = "deceased", _("Deceased")
    DEREGISTERED = "deregistered", _("Deregistered")


class MoveKind(models.TextChoices):
    MOVE_IN = "move_in", _("Moved in")
    MOVE_OUT = "move_out", _("Moved out")
    DEATH = "death", _("Death")
    DEREGISTER = "deregister", _("Deregistered")


# What a move does to the resident's status; a move-in makes the resident active again.
MOVE_STATUS = {
    MoveKind.MOVE_IN: ResidentStatus.ACTIVE,
    MoveKind.MOVE_OUT: ResidentStatus.MOVED_OUT,
    MoveKind.DEATH: ResidentStatus.DECEASED,
    MoveKind.DEREGISTER: ResidentStatus.DEREGISTERED,
}


class CareKind(models.TextChoices):
    ELDERLY_ALONE = "elderly_alone", _("Elderly living alone")
    EMPTY_NEST = "empty_nest", _("Empty-nest elderly")
    ADVANCED_AGE = "advanced_age", _("Advanced age (80+)")
    DISABLED = "disabled", _("Disabled")
    DIBAO = "dibao", _("Minimum living allowance (dibao)")
    TEKUN = "tekun", _("Extreme-poverty support (tekun)")
    LEFT_BEHIND_CHILD = "left_behind_child", _("Left-behind child")
    CHILD_IN_DIFFICULTY = "child_in_difficulty", _("Child in difficulty")
    ORPHAN_DISPERSED = "orphan_dispersed", _("Dispersed orphan")
    VETERAN = "veteran", _("Veteran")
    COMMUNITY_CORRECTION = "community_correction", _("Community correction")


# Groups that follow from social assistance's determinations, never from a hand edit.
DETERMINED_CARE_KINDS = frozenset({CareKind.DIBAO, CareKind.TEKUN})


# Default visit intervals in days; loaded into the editable CareVisitRule table (not law).
DEFAULT_VISIT_INTERVAL_DAYS = {
    CareKind.ELDERLY_ALONE: 7,
    CareKind.EMPTY_NEST: 30,
    CareKind.ADVANCED_AGE: 30,
    CareKind.DISABLED: 30,
    CareKind.DIBAO: 30,
    CareKind.TEKUN: 14,
    CareKind.LEFT_BEHIND_CHILD: 30,
    CareKind.CHILD_IN_DIFFICULTY: 14,
    CareKind.ORPHAN_DISPERSED: 14,
    CareKind.VETERAN: 90,
    CareKind.COMMUNITY_CORRECTION: 30,
}
AWARENESS_PERIOD_DAYS = 365  # 百家情: a household counts as known when visited within a year
# The plan's targets (十三): 百家情知晓率 at least 98 %, every special-care resident known (100 %).
AWARENESS_TARGET = 0.98
CARE_AWARENESS_TARGET = 1.0


class VisitStatus(models.TextChoices):
    OVERDUE = "overdue", _("Overdue")
    DUE_TODAY = "due_today", _("Due today")
    UPCOMING = "upcoming", _("Upcoming")


def visit_due_on(*, last_visit: date | None, interval_days: int, joined_on: date | None, today: date) -> date:
    """The one rule for when a special-care resident's next visit is due (care lists, the visit
    plan, the workbench): one interval after the last visit; never visited, the day they joined
    the group (a newcomer is due at once, a long-standing unvisited member is overdue)."""
    if last_visit is not None:
        return last_visit + timedelta(days=interval_days)
    return min(joined_on or today, today)


def visit_status(due: date, today: date) -> VisitStatus:
    """Overdue only after the due day has passed: a visit due today is due today."""
    if due < today:
        return VisitStatus.OVERDUE
    return VisitStatus.DUE_TODAY if due == today else VisitStatus.UPCOMING


class ConsentScope(models.TextChoices):
    DISABILITY = "disability", _("Disability information")
    HEALTH = "health", _("Health information")
    CARE_GROUP = "care_group", _("Special-care group membership")


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", _("Signed form")
    ELECTRONIC = "electronic", _("Electronic signature")
    ORAL_WITNESSED = "oral_witnessed", _("Oral, witnessed")


# Minimum necessity: the resident fields each role reads (sealed ones masked). Which sealed
# fields a role may reveal in clear is data, the reveal-rights table (`RevealRight`), not code.
# Roles missing here read nothing of a resident.
ALL_FIELDS = frozenset(
    {
        "name",
        "gender",
        "birth_date",
        "age",
        "ethnicity",
        "id_number",
        "phone",
        "relation",
        "party_member",
        "education",
        "employment",
        "disability",
        "notes",
        "care_groups",
        "address",
        "status",
    }
)
FIELD_SETS: dict[str, frozenset[str]] = {
    "grid_worker": ALL_FIELDS,
    "community_worker": ALL_FIELDS,
    "street_officer": ALL_FIELDS - {"notes"},
    "department_officer": frozenset(
        {
            "name",
            "gender",
            "birth_date",
            "age",
            "id_number",
            "disability",
            "care_groups",
            "address",
            "status",
        }
    ),
    "district_admin": frozenset({"name", "gender", "age", "care_groups", "address", "status"}),
    "city_admin": frozenset({"name", "gender", "age", "care_groups", "address", "status"}),
    "operator": frozenset({"name", "address", "status"}),
}


class SealedField(models.TextChoices):
    """The resident fields stored sealed (encrypted); reading one in clear is a reveal."""

    ID_NUMBER = "id_number", _("ID number")
    PHONE = "phone", _("Phone")
    NOTES = "notes", _("Notes")


SEALED_FIELDS = tuple(SealedField.values)

# The reveal-rights table's first rows (migration 0006 seeds the same; the city edits the table
# afterwards): ID numbers and phones only to the roles whose daily work needs them — the grid and
# community workers who keep the records and visit, and the street officer who answers for a
# escalated case of theirs; the notes only to those who write them. Department officers and the
# administrators reveal nothing by default (decision 0012).
DEFAULT_REVEAL_RIGHTS: frozenset[tuple[str, str]] = frozenset(
    {
        ("grid_worker", "id_number"),
        ("grid_worker", "phone"),
        ("grid_worker", "notes"),
        ("community_worker", "id_number"),
        ("community_worker", "phone"),
        ("community_worker", "notes"),
        ("street_officer", "id_number"),
        ("street_officer", "phone"),
    }
)


def fields_for(roles: frozenset[str] | set[str]) -> frozenset[str]:
    seen: set[str] = set()
    for role in roles:
        seen |= FIELD_SETS.get(role, frozenset())
    return frozenset(seen)


def revealable_from(rights: frozenset[tuple[str, str]], roles: frozenset[str] | set[str]) -> frozenset[str]:
    """The sealed fields the table's `rights` (role, field) give to someone holding `roles`."""
    return frozenset(field_name for role, field_name in rights if role in roles)


# The roles the table may give a reveal right to: those holding `residents.reveal`. The log-in
# asks exactly the holders of that permission for a second factor, so a role outside this list
# could never reveal without one; it must first be granted the permission in accounts' code.
REVEAL_ROLES: tuple[str, ...] = tuple(role for role in Role if RESIDENTS_REVEAL in ROLE_PERMISSIONS.get(role, ()))


def exact_number_kind(q: str) -> str:
    """ "id_number" or "phone" when a search text is a whole ID or phone number (an exact look-up
    of a person, audited, never to be carried in a URL); "" for names and addresses."""
    normalised = id_number_normalise(q)
    if len(normalised) == 18 and normalised[:17].isdigit():
        return "id_number"
    digits = q.replace("-", "").replace(" ", "")
    return "phone" if digits.isdigit() and len(digits) >= 7 else ""


def id_check_char(first17: str) -> str:
    return ID_CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def id_number_make(area_code: str, birth: date, sequence: int, gender: str) -> str:
    """A valid 18-character ID number; the sequence's last digit is odd for men, even for women."""
    seq = sequence % 1000
    if (seq % 2 == 1) != (gender == Gender.MALE):
        seq = (seq + 1) % 1000
    first17 = f"{area_code[:6]}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_char(first17)


def id_number_normalise(value: str) -> str:
    return value.strip().upper().replace(" ", "")


def id_number_birth(value: str) -> date | None:
    try:
        return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def id_number_gender(value: str) -> str:
    return Gender.MALE if int(value[16]) % 2 == 1 else Gender.FEMALE


def id_number_valid(value: str) -> bool:
    value = id_number_normalise(value)
    if len(value) != 18 or not value[:17].isdigit():
        return False
    if id_number_birth(value) is None:
        return False
    return id_check_char(value[:17]) == value[17]


def id_number_problem(value: str, birth_date: date | None = None, gender: str = "") -> tuple[str, str] | None:
    """Why an ID number cannot be accepted, as (zh, en), or None when it is fine and agrees with
    the birth date and gender given."""
    value = id_number_normalise(value)
    if len(value) != 18 or not value[:17].isdigit() or value[17] not in "0123456789X":
        return "身份证号应为 18 位（末位可为 X）", "ID number must be 18 characters (last may be X)"
    birth = id_number_birth(value)
    if birth is None or birth > date.today():
        return "身份证号中的出生日期无效", "the birth date inside the ID number is invalid"
    if id_check_char(value[:17]) != value[17]:
        return "身份证号校验位错误", "the ID number's check digit is wrong"
    if birth_date is not None and birth_date != birth:
        return "出生日期与身份证号不一致", "birth date does not match the ID number"
    if gender and gender != id_number_gender(value):
        return "性别与身份证号不一致", "gender does not match the ID number"
    return None


def phone_problem(value: str) -> tuple[str, str] | None:
    digits = value.replace("-", "").replace(" ", "")
    if not digits.isdigit() or not (7 <= len(digits) <= 12):
        return "电话号码格式不正确", "phone number is not valid"
    return None


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
