"""Care services, stage children (儿童关爱保护): vocabulary and rules with no ORM.

The children on the lists are the pool's (care groups left-behind child, child in difficulty,
dispersed orphan); this stage keeps only what the pool lacks: the guardian, the community's
children's director, the care plan, the visits, the children's homes' and protection stations'
logs, and restricted reports of suspected harm (强制报告), which only CARE_PROTECT holders read."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.errors import Msg

# the pool's care groups that make up the children's lists
CHILD_KINDS = ("left_behind_child", "child_in_difficulty", "orphan_dispersed")
# default visit intervals in days (examples, editable on the rules page; the strictest applies)
DEFAULT_INTERVALS = {"left_behind_child": 30, "child_in_difficulty": 14, "orphan_dispersed": 14}
INTERVAL_MIN, INTERVAL_MAX = 1, 366
COVERAGE_GOAL = 1.0  # 困境儿童等关爱服务覆盖率 100%
HOME_GOAL = 1.0  # 儿童之家 村级全覆盖
STATION_GOAL = 0.7  # 未成年人保护站 街道（乡镇）70%
CHILDREN_HOME = "children_home"
PROTECTION_STATION = "minor_protection_station"
COMMUNITY_LEN, STREET_LEN = 12, 9


class GuardianRelation(models.TextChoices):
    FATHER = "father", _("Father")
    MOTHER = "mother", _("Mother")
    GRANDPARENT = "grandparent", _("Grandparent")
    RELATIVE = "relative", _("Other relative")
    FOSTER = "foster", _("Foster carer")
    APPOINTED = "appointed", _("Appointed guardian")


class DirectorRole(models.TextChoices):
    DIRECTOR = "director", _("Children's director")  # 儿童主任, one per community
    SUPERVISOR = "supervisor", _("Children's supervisor")  # 儿童督导员, one per street


class Wellbeing(models.TextChoices):
    """School, health and safety as seen on a visit."""

    GOOD = "good", _("Good")
    CONCERN = "concern", _("Some concern")
    SERIOUS = "serious", _("Serious concern")


class ActivityKind(models.TextChoices):
    READING = "reading", _("Reading and homework help")
    SAFETY = "safety", _("Safety education")
    ARTS = "arts", _("Arts and games")
    HEALTH = "health", _("Health and psychology")
    FAMILY = "family", _("Family education")
    OTHER = "other", _("Other activity")


class HarmState(models.TextChoices):
    OPEN = "open", _("Being handled")
    CLOSED = "closed", _("Harm case closed")


class HarmActionKind(models.TextChoices):
    POLICE = "police", _("Police informed")
    PROTECTION = "protection", _("Protection measure")
    REFERRAL = "referral", _("Referral")
    OTHER = "other", _("Other action")


class ChildVisitStatus(models.TextChoices):
    """Where a child on the lists stands against their visit interval."""

    NEVER = "never", _("Never visited")
    OVERDUE = "overdue", _("Overdue")
    DUE_SOON = "due_soon", _("Due within a week")
    ON_TIME = "on_time", _("Visited in time")


DUE_SOON_DAYS = 7


def strictest_interval(kinds, rules: dict[str, int]) -> int:
    """The shortest interval among a child's groups (a child may be in two)."""
    found = [rules.get(k, DEFAULT_INTERVALS.get(k, 30)) for k in kinds if k in CHILD_KINDS]
    return min(found) if found else max(DEFAULT_INTERVALS.values())


def visit_due(last: date | None, interval: int, today: date) -> tuple[date, str]:
    """The day the next visit is due and the child's visit status on `today`."""
    if last is None:
        return today, ChildVisitStatus.NEVER
    due = last + timedelta(days=interval)
    if due < today:
        return due, ChildVisitStatus.OVERDUE
    if (due - today).days <= DUE_SOON_DAYS:
        return due, ChildVisitStatus.DUE_SOON
    return due, ChildVisitStatus.ON_TIME


def covered(last: date | None, interval: int, today: date) -> bool:
    """Counted in the coverage figure: visited within their interval."""
    return last is not None and (today - last).days <= interval


def receipt_number(day: date, seq: int) -> str:
    """A harm report's receipt number: what the reporter keeps (never a row id)."""
    return f"BH{day:%Y%m%d}{seq:04d}"


AUDIT_ACTIONS: dict[str, Msg] = {
    "care.child_guardian": Msg("登记儿童监护人", "Child's guardian recorded"),
    "care.child_plan": Msg("更新儿童关爱计划", "Child's care plan updated"),
    "care.child_plan_reveal": Msg("查看儿童关爱计划", "Child's care plan read"),
    "care.child_guardian_reveal": Msg("查看监护人电话", "Guardian's phone revealed"),
    "care.child_visit": Msg("记录儿童探访", "Child visit recorded"),
    "care.child_visit_rule": Msg("修改儿童探访周期", "Child visit interval changed"),
    "care.child_director_appoint": Msg("任命儿童主任/督导员", "Children's director or supervisor appointed"),
    "care.child_director_end": Msg("儿童主任/督导员离任", "Children's director or supervisor ended"),
    "care.child_facility_opening": Msg("记录儿童之家/保护站开放", "Children's facility opening recorded"),
    "care.child_facility_activity": Msg("记录儿童之家/保护站活动", "Children's facility activity recorded"),
    "care.harm_report": Msg("提交疑似侵害报告", "Suspected harm report filed"),
    "care.harm_read": Msg("查阅疑似侵害个案", "Restricted harm case read"),
    "care.harm_action": Msg("记录侵害个案处置", "Harm case action recorded"),
    "care.harm_close": Msg("结案疑似侵害个案", "Harm case closed"),
}
