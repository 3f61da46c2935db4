"""Rules of volunteers with no ORM: vocabularies, star levels by cumulative hours, the hour
arithmetic (clock minutes between check-in and check-out, capped by the service window), overlap
and distance checks for on-the-spot check-in."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.errors import Msg

# Star levels of the national volunteer-service record rules (《志愿服务记录与证明出具办法》 and
# 《中国注册志愿者管理办法》: 一星 100 小时 … 五星 1500 小时 of cumulative recorded service).
# Kept as data: these thresholds are TO BE VERIFIED against the current national text before a
# city relies on them; change this tuple, not the code that reads it.
STAR_THRESHOLDS_HOURS: tuple[int, ...] = (100, 300, 600, 1_000, 1_500)

ADULT_AGE = 18
CHECK_IN_EARLY = timedelta(minutes=30)  # check-in opens this long before a shift starts
CHECK_OUT_LATE = timedelta(hours=2)  # check-out still accepted this long after it ends (minutes stay capped)
QR_TOKEN_MAX_AGE = timedelta(hours=12)  # an organiser's QR link is valid this long after it is shown
DEFAULT_RADIUS_M = 300
MAX_REPORTED_MINUTES = 12 * 60  # one report of neighbourly help covers at most one half-day's work
REPORT_MAX_AGE_DAYS = 30  # help is reported within a month


class VolunteerStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    LEFT = "left", _("Left volunteering")


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")
    FINISHED = "finished", _("Activity finished")


class SignUpMode(models.TextChoices):
    OPEN = "open", _("Open sign-up")
    CONFIRM = "confirm", _("Request, then confirm")


class SignUpState(models.TextChoices):
    REQUESTED = "requested", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Sign-up confirmed")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_SIGNUP_STATES = (SignUpState.REQUESTED, SignUpState.CONFIRMED)


class HoursKind(models.TextChoices):
    CHECK_IN = "check_in", _("Check-in on the spot")
    REPORTED = "reported", _("Reported neighbourly help")
    PROXY = "proxy", _("Recorded by staff")
    CORRECTION = "correction", _("Correction")


class HoursState(models.TextChoices):
    OPEN = "open", _("Checked in, not yet out")
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Hours approved")
    REJECTED = "rejected", _("Hours not approved")


# Skills a volunteer offers and an activity may require (data; a city may add to it).
class Skill(models.TextChoices):
    ELDER_CARE = "elder_care", _("Elder care")
    DISABILITY = "disability", _("Help for people with disabilities")
    MEDICAL = "medical", _("Medical and first aid")
    LEGAL = "legal", _("Legal advice")
    COUNSELLING = "counselling", _("Counselling")
    TUTORING = "tutoring", _("Tutoring")
    ENVIRONMENT = "environment", _("Environment and sorting waste")
    CULTURE = "culture", _("Culture and sports")
    EMERGENCY = "emergency", _("Emergency response")
    PATROL = "patrol", _("Safety patrol")
    REPAIR = "repair", _("Repairs")
    DRIVING = "driving", _("Driving")
    PHOTOGRAPHY = "photography", _("Photography")
    LANGUAGES = "languages", _("Foreign languages")


# Chinese names of the skills, for spreadsheets (import and export read and write these whatever
# the interface language) and the translation catalogue.
SKILL_ZH = {
    Skill.ELDER_CARE: "助老服务",
    Skill.DISABILITY: "助残服务",
    Skill.MEDICAL: "医疗急救",
    Skill.LEGAL: "法律咨询",
    Skill.COUNSELLING: "心理疏导",
    Skill.TUTORING: "课业辅导",
    Skill.ENVIRONMENT: "环保与垃圾分类",
    Skill.CULTURE: "文体活动",
    Skill.EMERGENCY: "应急救援",
    Skill.PATROL: "治安巡逻",
    Skill.REPAIR: "维修服务",
    Skill.DRIVING: "驾驶",
    Skill.PHOTOGRAPHY: "摄影",
    Skill.LANGUAGES: "外语",
}


def star_level(minutes: int) -> int:
    """0–5 stars for cumulative approved service minutes (thresholds in hours above)."""
    hours = minutes / 60
    return sum(1 for threshold in STAR_THRESHOLDS_HOURS if hours >= threshold)


def next_star_minutes(minutes: int) -> int | None:
    """Minutes still needed for the next star; None at five stars."""
    for threshold in STAR_THRESHOLDS_HOURS:
        if minutes < threshold * 60:
            return threshold * 60 - minutes
    return None


def served_minutes(
    checked_in_at: datetime, checked_out_at: datetime, window_start: datetime, window_end: datetime
) -> int:
    """Whole clock minutes between check-in and check-out, counted only inside the service
    window (the shift's, or the activity's): early arrival and late leaving earn nothing."""
    start = max(checked_in_at, window_start)
    end = min(checked_out_at, window_end)
    if end <= start:
        return 0
    return int((end - start).total_seconds() // 60)


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Half-open intervals [start, end) share some time (touching ends do not overlap)."""
    return a_start < b_end and b_start < a_end


def first_overlap(
    start: datetime, end: datetime, others: Iterable[tuple[datetime, datetime]]
) -> tuple[datetime, datetime] | None:
    for other_start, other_end in others:
        if overlaps(start, end, other_start, other_end):
            return other_start, other_end
    return None


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    r = 6_371_000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))


def check_in_window(shift_start: datetime, shift_end: datetime) -> tuple[datetime, datetime]:
    """When a check-in is accepted: from a little before the shift starts to its end."""
    return shift_start - CHECK_IN_EARLY, shift_end


def is_minor(birth: date, today: date) -> bool:
    age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
    return age < ADULT_AGE


def hours_label(minutes: int) -> str:
    """`90` → `1.5`; hours with at most one decimal for display."""
    value = round(minutes / 60, 1)
    return f"{value:g}"


# The audit log's names for what this app writes (merged by `portal.audit_actions`).
AUDIT_ACTIONS: dict[str, Msg] = {
    "volunteer.register": Msg("志愿者：注册", "Volunteer: registered"),
    "volunteer.register_bulk": Msg("志愿者：批量导入", "Volunteers: imported"),
    "volunteer.reveal": Msg("志愿者：查看完整信息", "Volunteer: personal data revealed"),
    "volunteer.export": Msg("志愿者：导出", "Volunteers: exported"),
    "activity.create": Msg("志愿活动：创建", "Activity: created"),
    "activity.published": Msg("志愿活动：发布", "Activity: published"),
    "activity.cancelled": Msg("志愿活动：取消", "Activity: cancelled"),
    "activity.finished": Msg("志愿活动：结束", "Activity: finished"),
    "activity.draft": Msg("志愿活动：退回草稿", "Activity: back to draft"),
    "signup.create": Msg("志愿活动：报名", "Activity: signed up"),
    "signup.confirmed": Msg("志愿活动：确认报名", "Activity: sign-up confirmed"),
    "signup.declined": Msg("志愿活动：婉拒报名", "Activity: sign-up declined"),
    "signup.cancelled": Msg("志愿活动：取消报名", "Activity: sign-up cancelled"),
    "signup.requested": Msg("志愿活动：申请报名", "Activity: sign-up requested"),
    "signup.rate": Msg("志愿活动：评价参与", "Activity: participation rated"),
    "hours.check_in": Msg("服务时长：签到", "Hours: checked in"),
    "hours.check_out": Msg("服务时长：签退", "Hours: checked out"),
    "hours.report": Msg("服务时长：填报邻里互助", "Hours: neighbourly help reported"),
    "hours.approved": Msg("服务时长：认定", "Hours: approved"),
    "hours.rejected": Msg("服务时长：不予认定", "Hours: not approved"),
    "hours.proxy": Msg("服务时长：代录", "Hours: recorded on behalf"),
    "hours.correct": Msg("服务时长：更正", "Hours: corrected"),
    "hours.record_bulk": Msg("服务时长：批量导入", "Hours: imported"),
}
