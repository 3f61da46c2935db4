"""Care services, stage classes (幸福教育): residents request topics and vote for them (居民点单),
the community plans classes from the requests and the lecturer pool (社区统筹、多元送课), residents
enrol (capacity, then a waiting list), attendance per session, ratings; the opening rate per
community and the model sites (示范点) are the plan's figures. Vocabulary and rules, no ORM."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.errors import Msg

AUDIT_ACTIONS: dict[str, Msg] = {
    "care.class_request": Msg("提出课程需求", "Requested a class topic"),
    "care.class_request_answer": Msg("答复课程需求", "Answered a class request"),
    "care.class_lecturer_add": Msg("登记讲师", "Registered a lecturer"),
    "care.class_plan": Msg("编排课程", "Planned a class"),
    "care.class_publish": Msg("发布课程", "Published a class"),
    "care.class_enrol": Msg("报名课程", "Enrolled in a class"),
    "care.class_cancel": Msg("取消报名", "Cancelled an enrolment"),
    "care.class_attendance": Msg("登记出勤", "Recorded attendance"),
    "care.class_close": Msg("结课", "Closed a class"),
    "care.class_rate": Msg("评价课程", "Rated a class"),
    "care.class_model_site": Msg("认定幸福教育示范点", "Designated a happy-education model site"),
}

# the plan's goals (seed section 八): every community holds classes (2023), 330 model sites (2025)
OPENING_GOAL = 1.0
MODEL_SITES_GOAL = 330
CLASSROOM_KIND = "happy_classroom"
MANY_VOTES = 5  # a request with this many supporters waits for the community's answer on the workbench
TITLE_MAX = 80
TEXT_MAX = 500


class RequestState(models.TextChoices):
    OPEN = "open", _("Waiting for the community")
    PLANNED = "planned", _("Class planned")
    DECLINED = "declined", _("Declined")


class LecturerKind(models.TextChoices):
    PERSON = "person", _("Individual")
    SCHOOL = "school", _("School")
    ORGANISATION = "organisation", _("Social organisation")
    VOLUNTEER = "volunteer", _("Volunteer")


class Audience(models.TextChoices):
    ALL = "all", _("For everyone")
    ELDERLY = "elderly", _("For older people")
    CHILDREN = "children", _("For children")
    PARENTS = "parents", _("For parents")


class ClassState(models.TextChoices):
    DRAFT = "draft", _("Being planned")
    OPEN = "open", _("Open for enrolment")
    CLOSED = "closed", _("Class finished")


class EnrolState(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class SiteLevel(models.TextChoices):
    DISTRICT = "district", _("District")
    CITY = "city", _("City")


def community_of(path: str) -> str:
    """The community (12 digits) a household, building or grid path lies in."""
    return path[:12]


def opening_rate(held: int, communities: int) -> float:
    """Communities that held a class (a session with attendance) this year over those in scope."""
    return held / communities if communities else 0.0


def rating_mean(total: int, count: int) -> float | None:
    return round(total / count, 1) if count else None


def rating_problem(value) -> Msg | None:
    try:
        stars = int(value)
    except (TypeError, ValueError):
        return Msg("请选择 1 到 5 颗星", "Choose 1 to 5 stars")
    return None if 1 <= stars <= 5 else Msg("请选择 1 到 5 颗星", "Choose 1 to 5 stars")


def text_problem(text: str, *, minimum: int, maximum: int, zh: str, en: str) -> Msg | None:
    """A required text between `minimum` and `maximum` characters (`zh`/`en` name what to write)."""
    size = len((text or "").strip())
    if size < minimum:
        return Msg(f"请填写{zh}", f"Write {en}")
    if size > maximum:
        return Msg(f"{zh}不能超过 {maximum} 字", f"{en[0].upper()}{en[1:]} is at most {maximum} characters")
    return None
