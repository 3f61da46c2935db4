"""Vocabulary and rules of grid events, with no ORM: states and the transition table, urgency,
channels, default time limits per stage, the category tables' format, distances and the three
rates' formulas."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.accounts.domain import (
    GRID_DISPATCH,
    GRID_HANDLE,
    GRID_REGISTER,
    GRID_REPORT,
    GRID_VERIFY,
    GRID_WHISTLE,
)
from linli.core.errors import Msg
from linli.core.files import Signature


class EventState(models.TextChoices):
    REPORTED = "reported", _("Reported")
    REGISTERED = "registered", _("Registered")
    DISPATCHED = "dispatched", _("Dispatched")
    HANDLING = "handling", _("Being handled")
    HANDLED = "handled", _("Handled, awaiting verification")
    CLOSED = "closed", _("Verified and closed")  # 结案 (the desk's "Closed" is 归档)
    EVALUATED = "evaluated", _("Rated")
    REJECTED = "rejected", _("Not registered")
    MERGED = "merged", _("Merged into another event")


OPEN_STATES = frozenset(
    {EventState.REPORTED, EventState.REGISTERED, EventState.DISPATCHED, EventState.HANDLING, EventState.HANDLED}
)
FINISHED_STATES = frozenset({EventState.CLOSED, EventState.EVALUATED})
ENDED_STATES = FINISHED_STATES | {EventState.REJECTED, EventState.MERGED}


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class Channel(models.TextChoices):
    GRID_PATROL = "grid_patrol", _("Grid worker on patrol")
    RESIDENT_PHOTO = "resident_photo", _("Resident photo report (随手拍)")
    OPEN311 = "open311", _("Open311 client")
    HOTLINE = "hotline", _("Hotline (12345)")
    STAFF = "staff", _("Entered by staff")


# Channels that carry a resident's own report: public on Open311 from the start (decision 0014).
# A grid worker's patrol finding and an event staff enter are internal until someone publishes it.
PUBLIC_CHANNELS = frozenset({Channel.RESIDENT_PHOTO, Channel.OPEN311, Channel.HOTLINE})


class CategoryKind(models.TextChoices):
    EVENT = "event", _("Event (事件)")
    COMPONENT = "component", _("Component (部件)")
    CITY = "city", _("City-defined")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead department")
    ASSIST = "assist", _("Assisting department")


class AssignmentState(models.TextChoices):
    PENDING = "pending", _("Waiting to be accepted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned as not ours")
    HANDLED = "handled", _("Handled")
    CANCELLED = "cancelled", _("Withdrawn")


class SupervisionLevel(models.IntegerChoices):
    REMINDER = 1, _("Reminder (提醒)")
    SUPERVISION = 2, _("Supervision notice (督办)")
    LISTED = 3, _("Listed supervision (挂牌督办)")


class PhotoStage(models.TextChoices):
    REPORT = "report", _("Report")
    HANDLING = "handling", _("Handling")
    VERIFICATION = "verification", _("Verification")


class Warning(models.TextChoices):
    GREEN = "green", _("On track")
    YELLOW = "yellow", _("Yellow warning")
    RED = "red", _("Red warning")


# ---------------------------------------------------------------- the workflow as data
# `side` says who may take a step:
#   holder   — the unit or department holding the event now (scope path or department posting)
#   owner    — staff whose scope covers the event's place (its community, street, district)
#   reporter — the person who reported it


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    permission: str
    side: str
    label: Msg
    needs_reason: bool = False


def _t(action, sources, target, permission, side, zh, en, needs_reason=False) -> Transition:
    return Transition(action, frozenset(sources), target, permission, side, Msg(zh, en), needs_reason)


S = EventState
TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        _t("register", {S.REPORTED}, S.REGISTERED, GRID_REGISTER, "holder", "立案", "Register"),
        _t("reject", {S.REPORTED}, S.REJECTED, GRID_REGISTER, "holder", "不予立案", "Reject", True),
        _t("merge", {S.REPORTED, S.REGISTERED}, S.MERGED, GRID_REGISTER, "holder", "合并到原事件", "Merge"),
        _t("self_handle", {S.REGISTERED}, S.HANDLING, GRID_REGISTER, "holder", "自办自结", "Handle ourselves"),
        _t("dispatch", {S.REGISTERED}, S.DISPATCHED, GRID_DISPATCH, "holder", "派遣", "Dispatch"),
        _t("accept", {S.DISPATCHED}, S.HANDLING, GRID_HANDLE, "holder", "签收", "Accept"),
        _t(
            "return",
            {S.DISPATCHED, S.HANDLING},
            S.REGISTERED,
            GRID_HANDLE,
            "holder",
            "退回（非本单位职责）",
            "Return (not ours)",
            True,
        ),
        _t(
            "whistle",
            {S.REGISTERED, S.DISPATCHED, S.HANDLING},
            S.DISPATCHED,
            GRID_WHISTLE,
            "owner",
            "吹哨",
            "Blow the whistle",
            True,
        ),
        _t("report_handled", {S.HANDLING}, S.HANDLED, GRID_HANDLE, "holder", "反馈处置结果", "Report handling"),
        _t("verify_pass", {S.HANDLED}, S.CLOSED, GRID_VERIFY, "holder", "核查通过并结案", "Verify and close"),
        _t(
            "verify_fail",
            {S.HANDLED},
            S.HANDLING,
            GRID_VERIFY,
            "holder",
            "核查不通过（返工）",
            "Verification failed (rework)",
            True,
        ),
        _t("rate", {S.CLOSED}, S.EVALUATED, GRID_REPORT, "reporter", "评价", "Rate"),
    )
}
REPORT_LABEL = Msg("上报", "Reported")
# Steps that are not transitions but still land on the timeline.
OTHER_STEP_LABELS = {
    "report": REPORT_LABEL,
    "check_in": Msg("报到", "Checked in"),
    "supervise": Msg("督办", "Supervision notice"),
    "supervision_answer": Msg("督办回复", "Supervision answered"),
    "publish": Msg("在公开列表中公开", "Published on the public list"),
    "unpublish": Msg("从公开列表中撤下", "Hidden from the public list"),
    "merged_in": Msg("合并了重复事件", "A duplicate was merged in"),
    "photo": Msg("上传照片", "Photo added"),
}
# The department-side actions also count as "community-side" when the community handles itself.
SELF_HANDLED_BY_COMMUNITY = frozenset({"report_handled"})


def transition_for(action: str) -> Transition | None:
    return TRANSITIONS.get(action)


def transitions_from(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if state in t.sources]


def actions_from(state: str) -> list[str]:
    return [t.action for t in transitions_from(state)]


def step_label(action: str) -> Msg:
    transition = TRANSITIONS.get(action)
    if transition:
        return transition.label
    return OTHER_STEP_LABELS.get(action, Msg(action, action))


# ---------------------------------------------------------------- time limits
# Minutes per stage. Normal events count working minutes (office hours of the work calendar);
# urgent events count clock minutes, because a burst gas pipe does not wait for Monday. Sources:
# reference/case_workflow_stages.csv (Taiyuan: 立案+派遣 urgent ≤ 10 min, normal ≤ 30 min;
# verification urban 1 h, rural 2 h; 暴露垃圾 4 working hours; 私搭乱建 demolition 20 working
# days). Every figure is an editable default on the category, not law.
WORKING_DAY_MINUTES = 8 * 60


@dataclass(frozen=True)
class StageLimits:
    register: int = 30
    dispatch: int = 30
    accept: int = 120  # a department signs for (or returns) a dispatched task
    handle: int = 4 * 60
    handle_urgent: int = 2 * 60
    verify: int = 60
    verify_rural: int = 120
    check_in: int = 120  # summoned departments report (报到) after a whistle
    check_in_urgent: int = 30
    urgent_register: int = 10
    urgent_dispatch: int = 10


DEFAULT_LIMITS = StageLimits()
# Handling limits (working minutes) by major class where the typical job is longer than 4 hours.
HANDLE_MINUTES_BY_MAJOR = {
    "E01": 4 * 60,
    "E02": WORKING_DAY_MINUTES,
    "E03": 2 * WORKING_DAY_MINUTES,
    "E04": 2 * 60,
    "E05": 4 * 60,
    "C01": WORKING_DAY_MINUTES,
    "C02": 2 * WORKING_DAY_MINUTES,
    "C03": WORKING_DAY_MINUTES,
    "C04": 2 * WORKING_DAY_MINUTES,
    "C05": 5 * WORKING_DAY_MINUTES,
}
HANDLE_MINUTES_BY_CODE = {"E0101": 20 * WORKING_DAY_MINUTES}

# Which department kind answers for a major class by default (editable per category and district).
DEPARTMENT_KIND_BY_MAJOR = {
    "E01": "urban_management",
    "E02": "urban_management",
    "E03": "housing",
    "E04": "water",
    "E05": "urban_management",
    "E06": "urban_management",
    "C01": "urban_management",
    "C02": "transport",
    "C03": "urban_management",
    "C04": "urban_management",
    "C05": "housing",
    "C06": "urban_management",
}
DEPARTMENT_KIND_BY_CODE = {
    "E0116": "ecology",  # 油烟污染
    "E0403": "housing",  # 燃气管道破裂
    "E0405": "housing",  # 热力管道破裂
    "E0409": "police",  # 群发性事件
    "E0502": "civil_affairs",  # 流浪乞讨
    "E0505": "police",  # 机动车乱停放
    "E0509": "police",  # 黑车拉客
    "E0512": "market_regulation",  # 非法出版物销售
    "C0112": "police",
    "C0113": "police",
    "C0209": "police",
    "C0210": "police",
    "C0214": "police",
}


def default_handle_minutes(code: str) -> int:
    return HANDLE_MINUTES_BY_CODE.get(code, HANDLE_MINUTES_BY_MAJOR.get(code[:3], DEFAULT_LIMITS.handle))


def default_department_kind(code: str) -> str:
    return DEPARTMENT_KIND_BY_CODE.get(code, DEPARTMENT_KIND_BY_MAJOR.get(code[:3], "urban_management"))


# ---------------------------------------------------------------- the category tables


@dataclass(frozen=True)
class CategoryRow:
    line: int
    code: str
    kind: str
    major_code: str
    major_name: str
    name: str


@dataclass(frozen=True)
class SkippedRow:
    line: int
    reason: Msg


EVENT_COLUMNS = {"kind", "major_code_cjt214", "major_name", "minor_code_cjt214", "minor_name", "full_code_cjt214"}
COMPONENT_COLUMNS = {"kind", "major_code", "major_name", "minor_code", "minor_name", "full_code"}


def parse_category_table(text: str) -> tuple[list[CategoryRow], list[SkippedRow]]:
    """Read an event or component class table (CJ/T 214 numbering, as in reference/). Minor
    classes become categories coded E<full code> (事件) or C<full code> (部件); major-class rows
    name the groups; rows without a code are skipped with the reason."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = set(reader.fieldnames or [])
    if header >= EVENT_COLUMNS:
        prefix, suffix = "E", "_cjt214"
    elif header >= COMPONENT_COLUMNS:
        prefix, suffix = "C", ""
    else:
        raise ValueError("unknown table")
    rows: list[CategoryRow] = []
    skipped: list[SkippedRow] = []
    for line, raw in enumerate(reader, start=2):
        full_code = (raw.get(f"full_code{suffix}") or "").strip()
        minor = (raw.get("minor_name") or "").strip()
        if not minor:
            continue  # a major-class row: its name comes with every minor row
        if not (full_code.isdigit() and len(full_code) == 4):
            skipped.append(SkippedRow(line, Msg(f"「{minor}」没有标准编码，未导入", f"'{minor}' has no standard code")))
            continue
        kind = CategoryKind.EVENT if prefix == "E" else CategoryKind.COMPONENT
        major = f"{prefix}{full_code[:2]}"
        rows.append(CategoryRow(line, f"{prefix}{full_code}", kind, major, raw["major_name"].strip(), minor))
    return rows, skipped


# ---------------------------------------------------------------- places and distances
EARTH_RADIUS_M = 6_371_008.8


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres (haversine); plenty for duplicate checks within a city."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def degree_box(lat: float, lng: float, metres: float) -> tuple[float, float, float, float]:
    """A lat/lng box enclosing a circle of `metres`, for an indexable pre-filter."""
    dlat = metres / 111_320
    dlng = metres / (111_320 * max(math.cos(math.radians(lat)), 0.01))
    return lat - dlat, lat + dlat, lng - dlng, lng + dlng


def related_codes(code: str) -> tuple[str, str]:
    """Categories count as related for duplicate checks when they share the major class."""
    return code, code[:3]


# ---------------------------------------------------------------- the three rates (响应率、解决率、满意率)
# Per department, over the tasks dispatched to it in the period:
#   response rate     = tasks answered (accepted, or returned as not ours) within the acceptance
#                       limit ÷ tasks whose answer is due or given
#   solution rate     = tasks whose event passed verification ÷ tasks accepted (returned ones
#                       stop the department's clock and do not count against it)
#   on-time rate      = tasks handled (passed verification) by their due time ÷ tasks solved
#   satisfaction rate = ratings of 基本满意 or better ÷ ratings, on events the department solved
# Per street or community, over the events reported in its area in the period:
#   response rate     = events registered (or rejected/merged) within the registration limit ÷
#                       events reported
#   solution rate     = events closed ÷ events registered
#   on-time rate      = events closed by their final due time ÷ events closed
#   satisfaction rate = good ratings ÷ ratings
# Warnings: red below RED_BELOW, yellow below YELLOW_BELOW, for any of the rates with a figure.
GOOD_RATING_MIN = 3  # the 好差评 scale: 5 非常满意 … 3 基本满意; 2 and 1 are 差评
YELLOW_BELOW = 0.90
RED_BELOW = 0.80


def rate(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole


def warning_for(*rates: float | None) -> str:
    figures = [r for r in rates if r is not None]
    if any(r < RED_BELOW for r in figures):
        return Warning.RED
    if any(r < YELLOW_BELOW for r in figures):
        return Warning.YELLOW
    return Warning.GREEN


def event_number(district_code: str, day, sequence: int) -> str:
    """GE + district + date + sequence, e.g. GE210102-20261125-00042: readable on a phone."""
    return f"GE{district_code}-{day:%Y%m%d}-{sequence:05d}"


DESCRIPTION_MAX = 4000  # Open311 GeoReport v2 allows descriptions of up to 4,000 characters
PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_TYPES: dict[str, tuple[Signature, ...]] = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/webp": (((0, b"RIFF"), (8, b"WEBP")),),
}
PHOTOS_PER_STEP = 6
